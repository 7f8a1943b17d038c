"""Headlines of HTML pages without the site's name (newsfold.clean.titles)."""

from __future__ import annotations

import lxml.html

from newsfold.clean.titles import (
    HTML_TITLE_FEATURES,
    HTML_TITLE_WEIGHTS,
    TITLE_FEATURES,
    TITLE_WEIGHTS,
    choose_title,
    dump_headline_line,
    dump_title,
    strip_site,
    title_candidates,
    title_candidates_of_dump,
    title_features,
    title_from_slug,
    title_options,
)


def _title(
    head: str, body: str = "", host: str | None = "www.example-news.com", printed: tuple[str, ...] = ()
) -> str | None:
    tree = lxml.html.document_fromstring(f"<html><head>{head}</head><body>{body}<p>x</p></body></html>")
    return choose_title(title_candidates(tree), host, (), printed)


def test_the_site_name_after_a_pipe_is_cut() -> None:
    assert _title('<meta property="og:title" content="Rocket summit ends | Example News">') == (
        "Rocket summit ends"
    )


def test_a_site_name_given_by_og_site_name_is_cut_before_the_headline() -> None:
    head = '<meta property="og:site_name" content="Daily Planet"><title>Daily Planet - Mayor resigns</title>'
    assert _title(head, host=None) == "Mayor resigns"


def test_a_section_between_headline_and_site_name_is_cut() -> None:
    head = '<meta property="og:title" content="Mayor resigns - Politics | Example News">'
    assert _title(head) == "Mayor resigns"


def test_a_trailing_date_part_is_cut() -> None:
    assert strip_site("Mayor resigns | DW | 28.04.2023", ("dw",), ()) == "Mayor resigns"


def test_a_dash_inside_the_headline_is_kept() -> None:
    head = '<meta property="og:title" content="Talks resume - but no deal in sight">'
    assert _title(head) == "Talks resume - but no deal in sight"


def test_a_part_cut_when_the_rest_is_the_pages_own_h1() -> None:
    head = "<title>Mayor resigns after vote | Local</title>"
    assert _title(head, "<h1>Mayor resigns after vote</h1>", host=None) == "Mayor resigns after vote"


SHARED = "Council approves budget for school repairs"
SHARING = "Schools get their repairs at last"
LD = f'<script type="application/ld+json">{{"@type": "NewsArticle", "headline": "{SHARED}"}}</script>'


def test_the_headline_json_ld_and_h1_agree_on_and_the_page_prints_beats_the_og_title() -> None:
    head = f'<meta property="og:title" content="{SHARING}">{LD}'
    assert _title(head, f"<h1>{SHARED}</h1>", printed=(SHARED,)) == SHARED


def test_the_og_title_beats_a_json_ld_headline_the_page_does_not_print() -> None:
    assert _title(f'<meta property="og:title" content="{SHARING}">{LD}', printed=(SHARING,)) == SHARING


def test_places_giving_the_same_headline_are_one_option() -> None:
    tree = lxml.html.document_fromstring(f"<html><head>{LD}</head><body><h1>{SHARED}</h1></body></html>")
    options = title_options(title_candidates(tree), ())
    assert [o for o, _ in options] == [SHARED]
    assert len(HTML_TITLE_WEIGHTS) == len(HTML_TITLE_FEATURES) == len(options[0][1])


def test_json_ld_headline_with_entities_is_decoded() -> None:
    ld = '{"@type": "NewsArticle", "headline": "It&#8217;s over"}'
    head = f'<script type="application/ld+json">{ld}</script>'
    assert _title(head) == "It\u2019s over"


def test_a_long_name_in_the_site_name_place_is_not_taken_for_the_site() -> None:
    long_name = "Mayor resigns after a long night of talks in the city council"
    head = f'<meta property="og:site_name" content="{long_name}"><title>Breaking / {long_name}</title>'
    assert _title(head, host=None) == f"Breaking / {long_name}"


def test_soft_hyphens_and_zero_width_spaces_are_left_out() -> None:
    head = '<meta property="og:title" content="Helikopter&shy;landeplatz geplant&#8203;">'
    assert _title(head) == "Helikopterlandeplatz geplant"


def test_the_line_saying_what_the_url_slug_says_is_the_title() -> None:
    lines = ["Share this article", "Mayor resigns after late-night vote", "By Jane Doe"]
    url = "https://example.com/2024/05/03/mayor-resigns-after-vote"
    assert title_from_slug(lines, url) == "Mayor resigns after late-night vote"


def test_no_slug_no_title_from_it() -> None:
    assert title_from_slug(["Mayor resigns after vote"], "https://example.com/news/123456") is None


def test_a_line_sharing_a_word_or_two_with_the_slug_is_not_taken() -> None:
    url = "https://example.com/world/mayor-resigns-after-long-council-vote"
    assert title_from_slug(["Council news", "Vote here for the best mayor"], url) is None


def test_a_malformed_url_has_no_slug() -> None:
    url = "http://[not-an-ipv6/mayor-resigns-after-vote"
    assert title_from_slug(["Mayor resigns after vote"], url) is None


DUMP = [
    "Home World Business Sport",
    "World",
    "Council approves new budget for school repairs after long debate",
    "By Jane Doe",
    "March 4, 2024, 9:15 am",
    "Share on Facebook Share on X Email",
    "The city council approved a new budget for school repairs on Monday after a debate that lasted hours.",
    "The budget sets aside money for roofs, heating and new windows in twelve schools across the city.",
]


def test_a_dumps_headline_is_chosen_over_its_byline_date_and_share_bar() -> None:
    assert dump_title(DUMP, 6, None) == DUMP[2]


def test_date_lines_the_caller_names_are_no_candidates_and_the_others_are_parsed() -> None:
    assert 4 not in title_candidates_of_dump(DUMP, 6)  # "March 4, 2024, 9:15 am" parsed as a date line
    assert 4 not in title_candidates_of_dump(DUMP, 6, {4})
    assert 4 in title_candidates_of_dump(DUMP, 6, set())  # the caller's labels name no date line


def test_the_title_ranker_has_a_weight_per_feature() -> None:
    rows = title_features(DUMP, 6, [2, 3], None, None)
    assert len(TITLE_WEIGHTS) == len(TITLE_FEATURES) == len(rows[0])


def test_a_dumps_headline_line_is_the_slugs_line_before_the_rankers() -> None:
    url = "https://example.com/2024/03/04/city-council-approves-roof-repairs"
    lines = [*DUMP[:5], "City council approves roof repairs.", *DUMP[5:]]  # a sentence: no ranker candidate
    assert dump_headline_line(lines, 7, url) == 5
    assert dump_headline_line(lines, 7, None) == 2  # the ranker's


def test_a_dumps_headline_line_falls_back_to_the_line_models_title() -> None:
    assert dump_headline_line(DUMP, 6, None, model_title=1, rank=False) == 1
    assert dump_headline_line(DUMP[6:], 0, None, model_title=None) is None  # no candidate, no model title


def test_a_headline_printed_again_with_breadcrumbs_and_site_name_gives_the_bare_line() -> None:
    lines = [
        "News > WorldCity council approves new river bridge after long debate - Metro Star",
        "City council approves new river bridge after long debate",
        "By Ann Lee",
        "The city council voted on Tuesday to build a bridge over the river, ending years of debate.",
    ]
    # whichever line is chosen first (the model's title here), the bare headline it holds is the title
    assert dump_headline_line(lines, 3, None, model_title=0, rank=False) == 1


def test_a_teaser_cut_from_the_chosen_line_is_not_taken_for_its_bare_form() -> None:
    lines = [
        "Both sides are bullish about the merger, but the regulators must be convinced first",
        "Both sides are bullish about the merger, but the regulators must be conv",
        "Both sides are bullish about the merger, but the regulators",
        "The two companies announced on Monday that they had agreed to combine in a deal worth billions.",
    ]
    assert dump_headline_line(lines, 3, None, model_title=0, rank=False) == 0


def test_a_records_short_first_line_without_a_period_is_its_headline() -> None:
    assert dump_title(DUMP[2:3] + DUMP[6:], 0, None) == DUMP[2]


def test_a_records_lead_sentence_is_not_its_headline() -> None:
    assert dump_title(DUMP[6:], 0, None) is None


def test_the_site_part_the_title_adds_after_the_h1_is_cut_from_the_og_title() -> None:
    og = f'<meta property="og:title" content="{SHARING} | Metro Star News">'
    head = f"{og}<title>{SHARED} | Metro Star News</title>"
    tree = lxml.html.document_fromstring(f"<html><head>{head}</head><body><h1>{SHARED}</h1></body></html>")
    assert sorted(o for o, _ in title_options(title_candidates(tree), ())) == sorted([SHARED, SHARING])


def test_the_seeds_cleaned_titles_are_their_gold_headlines(seeds_dir, seeds_gold) -> None:
    """What `make demo` prints as the story's headline comes from these: the line labels' title is tested
    on the seeds (test_lines.py), this is the Article's title (after the slug, the ranker, the bare line)."""
    from newsfold.clean import clean_pages
    from newsfold.read import read_many

    cleaned = clean_pages(read_many([seeds_dir]).pages)
    for article in cleaned.articles:
        gold = seeds_gold["articles"][article.id.rsplit("/", 1)[-1]]["title"]
        assert article.title == (" ".join(gold.split()) if gold else None), article.id
