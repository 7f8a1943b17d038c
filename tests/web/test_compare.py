"""web.compare: snippets escaped before marking, passages marked by copy links, copy tree, timeline."""

from __future__ import annotations

from newsfold.models import Article
from newsfold.web.compare import copy_tree, marked_paragraphs, marked_snippet, timeline

MARKS = ("\ue000", "\ue001")


def test_snippet_is_escaped_before_its_words_are_marked() -> None:
    html = marked_snippet("<b>x</b> \ue000Putin\ue001 & <mark>", MARKS)
    assert str(html) == "&lt;b&gt;x&lt;/b&gt; <mark>Putin</mark> &amp; &lt;mark&gt;"


def test_a_stray_mark_is_dropped_not_left_open() -> None:
    assert str(marked_snippet("a \ue000b", MARKS)) == "a b"


def _story() -> dict:
    return {
        "id": "s",
        "articles": ["a", "b", "c"],
        "event_date": "2024-01-01",
        "copies": [
            {
                "article": "b",
                "of": "a",
                "relation": "version",
                "shared": 0.5,
                "adds": ["Only b says this here."],
                "lacks": ["Only a has this one."],
            },
        ],
    }


def test_passages_are_marked_shared_added_and_lacked() -> None:
    numbers = {"a": 1, "b": 2, "c": 3}
    a = Article("a", None, ("The rocket left at dawn today. Only a has this one.",))
    b = Article("b", None, ("The rocket left at dawn today. Only b says this here.",))
    kinds_b = {seg.text: seg.kind for seg in marked_paragraphs(b, _story(), numbers)[0]}
    kinds_a = {seg.text: seg.kind for seg in marked_paragraphs(a, _story(), numbers)[0]}
    assert kinds_b["The rocket left at dawn today."] == "shared"
    assert kinds_b["Only b says this here."] == "adds"
    assert kinds_a["Only a has this one."] == "lacked" and kinds_a["The rocket left at dawn today."] == ""
    assert "".join(seg.text for seg in marked_paragraphs(b, _story(), numbers)[0]) == b.paragraphs[0]


def test_copy_tree_roots_each_origin() -> None:
    tree = copy_tree(_story())
    assert [n.article for n in tree] == ["a", "c"]
    assert [(k.article, k.relation) for k in tree[0].children] == [("b", "version")]


def test_timeline_puts_article_dates_and_the_event_in_order() -> None:
    articles = {"a": Article("a", None, (), published="2024-01-03"), "b": Article("b", None, ())}
    days = timeline(_story(), articles)
    assert [(d.date, d.articles, d.event) for d in days] == [
        ("2024-01-01", (), True),
        ("2024-01-03", ("a",), False),
    ]
