"""outlets: who published each article and how widely a story is covered."""

from __future__ import annotations

from newsfold.export import article_to_dict, story_to_dict
from newsfold.models import Article, Story
from newsfold.outlets import article_sources, country_of, coverage_of, site_name_in_title_line
from newsfold.story import write_story


def _article(article_id: str, **fields: object) -> Article:
    return Article(id=article_id, title="T", paragraphs=("One sentence here.",), **fields)  # type: ignore[arg-type]


def test_outlet_is_source_then_site_name_then_domain() -> None:
    url = "https://www.example.co.uk/news/1"
    assert _article("a", url=url, source="Wire", site_name="Example").outlet == "Wire"
    assert _article("a", url=url, site_name="Example News").outlet == "Example News"
    assert _article("a", url=url).outlet == "example.co.uk"
    assert _article("a").outlet is None


def test_a_malformed_url_names_no_domain() -> None:
    assert _article("a", url="http://[bad/").domain is None


def test_country_from_country_code_domains_only() -> None:
    assert country_of("yna.co.kr") == "KR" and country_of("bbc.co.uk") == "GB"
    assert country_of("apnews.com") is None and country_of("news.co") is None and country_of(None) is None


def test_article_json_carries_url_domain_and_outlet() -> None:
    data = article_to_dict(_article("a", url="https://www.lemonde.fr/x", lang="fr"))
    assert data["url"] == "https://www.lemonde.fr/x"
    assert data["domain"] == data["outlet"] == "lemonde.fr"


def test_coverage_counts_distinct_outlets_languages_and_countries() -> None:
    articles = [
        _article("a", url="https://lemonde.fr/1", lang="fr"),
        _article("b", url="https://www.lemonde.fr/2", lang="fr"),
        _article("c", url="https://yna.co.kr/3", lang="en"),
        _article("d", lang="en"),
    ]
    story = Story(id="s", headline="H", articles=("a", "b", "c", "d"), sources=article_sources(articles))
    coverage = coverage_of(story)
    assert (coverage.pages, coverage.outlets, coverage.origins) == (4, 2, 4)
    assert coverage.languages == ("en", "fr") and coverage.countries == ("FR", "KR")


def test_written_story_lists_each_article_source_in_order() -> None:
    articles = [_article("a", url="https://a.de/1"), _article("b", source="Reuters")]
    data = story_to_dict(write_story("s", articles))
    assert [(s["article"], s["outlet"], s["country"]) for s in data["sources"]] == [
        ("a", "a.de", "DE"),
        ("b", "Reuters", None),
    ]
    assert data["coverage"]["outlets"] == 2


def test_site_name_from_a_title_line_with_the_headline_and_a_separator() -> None:
    title = "Storm closes the harbour for a week"
    assert site_name_in_title_line(["Home > News", f"{title} | Coast Herald"], title) == "Coast Herald"
    assert site_name_in_title_line([f"{title} -Daily Wire"], title) == "Daily Wire"
    assert site_name_in_title_line([title, "Coast Herald"], title) is None
    long_tail = f"{title} - and what the mayor said about it on the radio this morning"
    assert site_name_in_title_line([long_tail], title) is None


def test_html_report_links_each_source_to_its_original_and_counts_coverage() -> None:
    from newsfold.models import FoldResult
    from newsfold.report import render_report

    articles = [_article("a", url="https://www.lemonde.fr/1", lang="fr"), _article("b", source="Reuters")]
    html = render_report(FoldResult(articles=articles, stories=[write_story("s", articles)]))
    assert 'href="https://www.lemonde.fr/1"' in html and ">lemonde.fr</a>" in html and "Reuters" in html
    assert "2 outlets known" in html and "countries FR" in html


def test_a_source_link_is_only_ever_http() -> None:
    from newsfold.models import FoldResult
    from newsfold.report import render_report

    articles = [_article("a", url="javascript:alert(1)")]
    html = render_report(FoldResult(articles=articles, stories=[write_story("s", articles)]))
    assert "javascript:" not in html
