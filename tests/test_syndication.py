"""Origins, copy relations and credit flags on the seed pages (gold bodies) and tiny edited copies."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from newsfold.models import Article, RemovedLine
from newsfold.settings import SyndicationSettings
from newsfold.syndication import Body, align_articles, find_origins, passages_of, uncredited_copy_flags

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    """The five seed pages as Articles built from the gold body lines (no cleaner involved)."""
    gold = json.loads((SHARED / "gold" / "seeds.json").read_text(encoding="utf-8"))["articles"]
    out = []
    for name in sorted(gold):
        lines = (SHARED / "corpus" / "seeds" / name).read_text(encoding="utf-8").splitlines()
        label = gold[name]
        body = tuple(lines[i - 1].strip() for i in label["body_lines"])
        out.append(
            Article(id=name[:3], title=label["title"], paragraphs=body, credits=tuple(label["credits"]))
        )
    return out


def passages_split(paragraph: str) -> list[str]:
    """The sentences of a paragraph as the aligner splits them."""
    return [p.text for p in passages_of(Article(id="p", title=None, paragraphs=(paragraph,)))]


def _base(seeds: list[Article]) -> Article:
    return seeds[0]


def test_seed_origins_are_the_wire_story_and_two_independent_reports(seeds: list[Article]) -> None:
    groups = find_origins(seeds)
    assert [g.members for g in groups] == [("000", "001", "002"), ("003",), ("004",)]


def test_seed_aggregator_page_is_an_excerpt(seeds: list[Article]) -> None:
    wire = find_origins(seeds)[0]
    links = {link.article: link for link in wire.copies}
    assert links["001"].relation == "excerpt"
    assert links["001"].shared == 1.0
    assert set(links) | {wire.representative} == {"000", "001", "002"}


def test_seed_update_is_a_version_with_readable_differences(seeds: list[Article]) -> None:
    wire = find_origins(seeds)[0]
    link = next(link for link in wire.copies if {link.article, link.of} == {"000", "002"})
    assert link.relation == "version"
    assert link.adds and link.lacks
    assert all(isinstance(p, str) and p for p in (*link.adds, *link.lacks))


def test_typography_alone_makes_a_copy(seeds: list[Article]) -> None:
    base = _base(seeds)
    straight = tuple(
        p.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"') for p in base.paragraphs
    )
    copy = replace(base, id="copy", paragraphs=straight)
    group = find_origins([base, copy])[0]
    assert group.members == ("000", "copy")
    assert [(c.article, c.relation, c.shared) for c in group.copies] == [("copy", "copy", 1.0)]


def test_first_paragraphs_with_read_more_are_an_excerpt(seeds: list[Article]) -> None:
    base = _base(seeds)
    excerpt = replace(base, id="teaser", paragraphs=(*base.paragraphs[:3], "Read more"))
    link = find_origins([excerpt, base])[0].copies[0]
    assert (link.article, link.of, link.relation) == ("teaser", "000", "excerpt")
    assert len(link.lacks) == len(base.paragraphs) - 3


def test_changed_number_makes_a_version_and_shows_both_wordings(seeds: list[Article]) -> None:
    base = _base(seeds)
    paragraphs = list(base.paragraphs)
    target = next(i for i, p in enumerate(paragraphs) if "40 seconds" in p)
    paragraphs[target] = paragraphs[target].replace("40 seconds", "45 seconds")
    version = replace(base, id="update", paragraphs=tuple(paragraphs[:-2]))
    link = find_origins([base, version])[0].copies[0]
    assert link.relation == "version"
    assert any("45 seconds" in p for p in link.adds)
    assert any("40 seconds" in p for p in link.lacks)


def test_one_shared_quoted_sentence_is_not_a_copy(seeds: list[Article]) -> None:
    report, other = seeds[3], seeds[4]
    quote = seeds[0].paragraphs[-4]
    a = replace(report, paragraphs=(*report.paragraphs[:5], quote))
    b = replace(other, paragraphs=(quote, *other.paragraphs[:5]))
    assert [g.members for g in find_origins([a, b])] == [("003",), ("004",)]


def test_every_article_in_exactly_one_group_in_input_order(seeds: list[Article]) -> None:
    shuffled = [seeds[4], seeds[2], seeds[0], seeds[3], seeds[1]]
    groups = find_origins(shuffled)
    members = [m for g in groups for m in g.members]
    assert sorted(members) == sorted(a.id for a in seeds)
    assert groups[0].members == ("004",)
    assert find_origins(shuffled) == groups


def test_copy_without_the_wire_credit_is_flagged(seeds: list[Article]) -> None:
    base = _base(seeds)
    body = tuple(p.replace("(AP) ", "") for p in base.paragraphs if "Associated Press" not in p)
    stripped = replace(base, id="stripped", credits=(), paragraphs=body)
    kept = replace(base, id="kept", credits=())
    articles = [base, stripped, kept]
    flags = uncredited_copy_flags(find_origins(articles), articles)
    assert [(f.article, f.kind) for f in flags] == [("stripped", "uncredited-copy")]
    assert "AP" in flags[0].detail


def test_alignment_tolerates_a_cut_last_sentence(seeds: list[Article]) -> None:
    base = Body.of(_base(seeds))
    first = base.passages[0].text
    cut = Body.of(Article(id="x", title=None, paragraphs=(" ".join(first.split()[:-3]) + " ...",)))
    alignment = align_articles(cut, base)
    assert alignment.match == (0,) and alignment.changed == 0


def test_stray_chrome_lines_leave_a_copy_a_copy(seeds: list[Article]) -> None:
    base = _base(seeds)
    chrome = (
        "World",
        "Putin welcomes Kim Jong Un",
        *base.paragraphs,
        "Read more",
        "Photo: File",
        "Most read",
    )
    copy = replace(base, id="copy", paragraphs=chrome)
    link = find_origins([base, copy])[0].copies[0]
    assert (link.article, link.relation) == ("copy", "copy")


def test_a_dropped_first_and_last_line_leave_a_copy_a_copy(seeds: list[Article]) -> None:
    base = _base(seeds)
    copy = replace(base, id="copy", paragraphs=base.paragraphs[1:-1])
    link = find_origins([base, copy])[0].copies[0]
    assert (link.article, link.relation) == ("copy", "copy")


def test_a_kept_teaser_of_another_story_is_not_an_addition(seeds: list[Article]) -> None:
    base, other = _base(seeds), seeds[3]
    teaser = other.paragraphs[0]
    copy = replace(base, id="copy", paragraphs=(*base.paragraphs, teaser))
    groups = find_origins([base, copy, other])
    assert [g.members for g in groups] == [("000", "copy"), ("003",)]
    assert groups[0].copies[0].relation == "copy"


def test_a_dropped_middle_paragraph_makes_a_version(seeds: list[Article]) -> None:
    base = _base(seeds)
    longest = max(range(2, len(base.paragraphs) - 2), key=lambda i: len(base.paragraphs[i]))
    version = replace(base, id="v", paragraphs=base.paragraphs[:longest] + base.paragraphs[longest + 1 :])
    link = find_origins([base, version])[0].copies[0]
    assert (link.article, link.relation) == ("v", "version")


def test_duplicate_ids_are_rejected_with_a_fix(seeds: list[Article]) -> None:
    with pytest.raises(ValueError, match="unique"):
        find_origins([seeds[0], seeds[0]])


def test_lsh_stage_finds_a_copy_with_every_sentence_touched(
    seeds: list[Article],
) -> None:
    base = _base(seeds)
    touched = tuple(
        " ".join(" ".join(s.split()[:1] + s.split()[2:]) for s in passages_split(p)) for p in base.paragraphs
    )
    restyled = replace(base, id="restyled", paragraphs=touched)
    assert find_origins([base, restyled])[0].members == ("000",)  # by default a verbatim sentence is needed
    fuzzy = SyndicationSettings(near_candidates=True, anchor_match=0.9)
    group = find_origins([base, restyled], fuzzy)[0]
    assert group.members == ("000", "restyled")
    assert group.copies[0].relation == "version"


def test_a_page_holding_two_stories_joins_one_and_never_merges_them(seeds: list[Article]) -> None:
    wire, report = seeds[0], seeds[3]
    teaser = replace(wire, id="teaser", paragraphs=wire.paragraphs[:2])
    mixed = replace(report, id="mixed", paragraphs=(*report.paragraphs, *wire.paragraphs[:2]))
    groups = find_origins([wire, teaser, report, mixed])
    assert [g.members for g in groups] == [("000", "teaser"), ("003", "mixed")]


def test_a_lede_excerpt_keeping_a_teaser_joins_under_the_same_headline(seeds: list[Article]) -> None:
    wire, report = seeds[0], seeds[3]
    excerpt = replace(wire, id="excerpt", paragraphs=(wire.paragraphs[0], report.paragraphs[0], "Read more"))
    groups = find_origins([wire, excerpt, report])
    assert [g.members for g in groups] == [("000", "excerpt"), ("003",)]
    assert groups[0].copies[0].relation == "excerpt"


def test_a_page_under_another_headline_opening_with_a_teaser_joins_nothing(seeds: list[Article]) -> None:
    wire, report = seeds[0], seeds[3]
    other = Article(
        id="other",
        title="Local council approves a new budget for the coming school year",
        paragraphs=(wire.paragraphs[0], report.paragraphs[0]),
    )
    groups = find_origins([wire, other, report])
    assert [g.members for g in groups] == [("000",), ("other",), ("003",)]


def test_a_copy_whose_cleaner_dropped_the_lede_joins_by_its_page_lead(seeds: list[Article]) -> None:
    wire = seeds[0]
    lines = tuple(range(10, 10 + len(wire.paragraphs)))
    full = replace(wire, title=None, body_lines=lines)
    # The cleaner kept the first two paragraphs of one page and took those of the other for chrome.
    excerpt = replace(full, id="excerpt", paragraphs=wire.paragraphs[:2], body_lines=lines[:2])
    dropped = replace(
        full,
        id="dropped",
        paragraphs=wire.paragraphs[3:],
        body_lines=lines[3:],
        removed=tuple(
            RemovedLine(n, t, "standfirst") for n, t in zip(lines[:3], wire.paragraphs[:3], strict=True)
        ),
    )
    assert find_origins([excerpt, dropped])[0].members == ("excerpt", "dropped")
    assert find_origins([excerpt, dropped], SyndicationSettings(page_leads=False))[0].members == ("excerpt",)


def test_pages_without_a_sentence_join_by_a_long_headline(seeds: list[Article]) -> None:
    wire = seeds[0]
    title = "Calendar of the 2018 stock car season"
    listing = ("1st round: 17 March, Interlagos", "2nd round: 8 April, Curitiba")
    pages = [
        replace(wire, id="story", title=title),
        Article(id="list", title=title, paragraphs=listing),
        Article(id="short", title="Calendar", paragraphs=listing[:1]),
    ]
    groups = find_origins(pages)
    assert [g.members for g in groups] == [("story", "list"), ("short",)]
    off = SyndicationSettings(headline_min_tokens=0)
    assert [g.members for g in find_origins(pages, off)] == [("story",), ("list",), ("short",)]


def test_a_banner_the_cleaner_removed_on_both_pages_links_nothing(seeds: list[Article]) -> None:
    banner = (
        "Our newsroom relies on readers like you to fund independent local reporting every day.",
        "Become a member today and get unlimited access to every story on this website.",
    )
    pages = []
    for article in (seeds[0], seeds[3]):
        lines = tuple(range(3, 3 + len(article.paragraphs)))
        removed = (RemovedLine(1, banner[0], "navigation"), RemovedLine(2, banner[1], "navigation"))
        pages.append(replace(article, body_lines=lines, removed=removed))
    assert [g.members for g in find_origins(pages)] == [("000",), ("003",)]


def test_no_article_has_no_origin() -> None:
    assert find_origins([]) == []


def test_equal_copies_have_the_same_representative_in_any_order(seeds: list[Article]) -> None:
    """Two copies equally full and equally dated: the smallest id represents them, whichever comes first
    (input order is a crawl's arrival order, not evidence of who copied whom)."""
    base = _base(seeds)
    first, second = replace(base, id="a-copy"), replace(base, id="b-copy")
    for articles in ([first, second], [second, first]):
        (group,) = find_origins(articles)
        assert group.representative == "a-copy"
        assert [c.article for c in group.copies] == ["b-copy"]
