"""Authors and JSON-LD objects an HTML page's markup states (newsfold.clean.markup)."""

from __future__ import annotations

import lxml.html

from newsfold.clean.markup import MAX_JSON_LD_CHARS, json_ld_objects, stated_authors


def _tree(head: str) -> lxml.html.HtmlElement:
    return lxml.html.document_fromstring(f"<html><head>{head}</head><body><p>x</p></body></html>")


def _ld(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


def test_json_ld_article_authors_are_read_in_order() -> None:
    head = _ld('{"@type": "NewsArticle", "author": [{"@type": "Person", "name": "Ana Ruiz"}, "Li Wei"]}')
    assert stated_authors(_tree(head)) == ("Ana Ruiz", "Li Wei")


def test_an_author_given_by_given_and_family_name() -> None:
    head = _ld('{"@type": "Article", "author": {"givenName": "Birgit", "familyName": "Baumann"}}')
    assert stated_authors(_tree(head)) == ("Birgit Baumann",)


def test_authors_in_a_caseless_script_are_kept() -> None:
    head = _ld('{"@type": "NewsArticle", "author": [{"name": "배윤경"}, {"name": "新間"}]}')
    assert stated_authors(_tree(head)) == ("배윤경", "新間")


def test_meta_author_is_read_when_json_ld_names_none() -> None:
    assert stated_authors(_tree('<meta name="author" content="Jane Doe; John Roe">')) == (
        "Jane Doe",
        "John Roe",
    )


def test_an_author_that_is_a_url_is_not_a_name() -> None:
    head = _ld('{"@type": "NewsArticle", "author": "https://example.com/staff/jane"}')
    assert stated_authors(_tree(head)) == ()


def test_the_authors_of_a_non_article_object_are_not_read() -> None:
    assert stated_authors(_tree(_ld('{"@type": "WebSite", "author": "Site Team"}'))) == ()


def test_broken_and_oversized_json_ld_blocks_are_skipped() -> None:
    big = '{"@type": "NewsArticle", "headline": "' + "x" * MAX_JSON_LD_CHARS + '"}'
    head = _ld("{not json") + _ld(big) + _ld('{"@graph": [{"@type": "NewsArticle", "headline": "H"}]}')
    assert [o.get("headline") for o in json_ld_objects(_tree(head))] == [None, "H"]


def test_a_stated_list_of_names_is_split() -> None:
    head = _ld('{"@type": "NewsArticle", "author": {"name": "Felix Schröder und Jörg Soldwisch, dpa"}}')
    assert stated_authors(_tree(head)) == ("Felix Schröder", "Jörg Soldwisch", "dpa")


def test_a_name_with_a_comma_and_a_long_affiliation_is_not_split() -> None:
    head = _ld(
        '{"@type": "NewsArticle", "author": "Ana Ruiz, Universidad Nacional de Educación a Distancia"}'
    )
    assert stated_authors(_tree(head)) == ("Ana Ruiz, Universidad Nacional de Educación a Distancia",)


def test_byline_words_and_bracketed_tags_are_cut() -> None:
    head = _ld('{"@type": "NewsArticle", "author": ["Autor Monika Bolliger", "Corina Gall (cog.)"]}')
    assert stated_authors(_tree(head)) == ("Monika Bolliger", "Corina Gall")
