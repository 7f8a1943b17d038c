"""The story modules one behaviour at a time, on small made-up texts."""

from __future__ import annotations

import itertools
import random
import tracemalloc
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsfold.models import Article, CopyLink, OriginGroup
from newsfold.settings import StorySettings
from newsfold.story import discrepancies, sentences, write_story
from newsfold.story.changes import find_changes
from newsfold.story.dates import date_mentions, date_the_event
from newsfold.story.discrepancies import find_discrepancies, measures, names_missing_from
from newsfold.story.flags import misdated_flags, truncated_flags
from newsfold.story.quotes import Speakers, find_quotes, story_quotes
from newsfold.story.sentences import align_sentences, split_sentences, story_sentences
from newsfold.story.summary import summarize


def _article(id_: str, *paragraphs: str, published: str | None = None) -> Article:
    return Article(id=id_, title=None, paragraphs=paragraphs, published=published)


def test_split_keeps_abbreviations_and_quotations() -> None:
    text = "Gen. Smith met the U.S. envoy on Sept. 3. “We agreed. It is done,” he said. Talks end."
    assert split_sentences(text) == [
        "Gen. Smith met the U.S. envoy on Sept. 3.",
        "“We agreed. It is done,” he said.",
        "Talks end.",
    ]


def test_split_keeps_a_day_before_its_month() -> None:
    text = "Am 11. Mai 2024 trat er zurück. Seit dem 3. Oktober ist alles anders. Es stieg auf 12. Mai kam."
    assert split_sentences(text) == [
        "Am 11. Mai 2024 trat er zurück.",
        "Seit dem 3. Oktober ist alles anders.",
        "Es stieg auf 12. Mai kam.",
    ]
    assert split_sentences("The toll rose to 12. Rescuers left.") == [
        "The toll rose to 12.",
        "Rescuers left.",
    ]


def test_alignment_finds_a_reworded_copy() -> None:
    a = _article("a", "The mayor opened the new bridge over the river on Monday morning.")
    b = _article("b", "On Monday morning the mayor opened a new bridge over the river.", "Traffic was light.")
    alignment = align_sentences(story_sentences([a, b]))
    assert alignment.sources(0, 0.5) == ("a", "b")
    assert alignment.sources(2, 0.5) == ("b",)


def _dense_alignment(sentences: list, context_bonus: float = 0.15) -> np.ndarray:
    """The alignment computed densely, as it was first written: the spec of the sparse one."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(analyzer=lambda s: s.content_stems, sublinear_tf=True).fit_transform(sentences)
    base = (matrix @ matrix.T).toarray()
    articles = np.array([s.article for s in sentences])
    base[articles[:, None] == articles[None, :]] = 0.0
    continuous = np.array([i > 0 and sentences[i - 1].article == s.article for i, s in enumerate(sentences)])
    has_next = np.append(continuous[1:], False)
    same_prev, same_next = np.zeros_like(base), np.zeros_like(base)
    same_prev[1:, 1:], same_next[:-1, :-1] = base[:-1, :-1], base[1:, 1:]
    same_prev[~continuous, :] = same_prev[:, ~continuous] = 0.0
    same_next[~has_next, :] = same_next[:, ~has_next] = 0.0
    support = np.maximum(same_prev, same_next)
    return np.minimum(np.where(base > 0, base + context_bonus * support, 0.0), 1.0)


def test_sparse_alignment_equals_the_dense_computation(seeds_dir: Path) -> None:
    from newsfold.clean import clean_pages
    from newsfold.read import read

    sentences = story_sentences(clean_pages(read(seeds_dir)).articles)
    assert len(sentences) > 100
    alignment = align_sentences(sentences)
    statements = alignment.similarity.toarray()
    assert len(statements) < len(sentences)  # the seeds' copies print statements again
    dense = _dense_alignment(sentences)
    articles = np.array([s.article for s in sentences])
    compared = 0
    for d in range(len(statements)):
        for e in range(len(statements)):
            i, j = alignment.prints(d), alignment.prints(e)
            apart = articles[i][:, None] != articles[j][None, :]
            if d == e or not apart.any():
                continue
            best = dense[np.ix_(i, j)][apart].max()
            if len(i) == len(j) == 1:  # printed once each: the pair of sentences' similarity
                assert statements[d, e] == pytest.approx(best, abs=1e-12)
                compared += 1
            else:  # the neighbours of every print count: at least the best pair's, at most one bonus more
                assert best - 1e-12 <= statements[d, e] <= best + 0.15 + 1e-12
    assert compared > 5_000


def test_stop_words_are_scikit_learns() -> None:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from newsfold.story.stop_words import ENGLISH_STOP_WORDS as copied

    assert copied == ENGLISH_STOP_WORDS


def test_weekday_resolves_against_a_printed_date() -> None:
    found = date_mentions("Photo taken Tuesday, Sept. 12, 2023. They met on Wednesday.", date(2023, 9, 12))
    assert [(m.kind, m.date) for m in found] == [("full", date(2023, 9, 12)), ("weekday", date(2023, 9, 13))]


def test_event_date_prefers_printed_dates_over_claimed_ones() -> None:
    printed = _article("a", "The vote was held on Sunday, March 3, 2024.")
    misdated = _article("b", "Voters went to the polls on Sunday.", published="2025-01-01")
    assert date_the_event([printed, misdated]).date == date(2024, 3, 3)


def test_misdated_needs_a_claimed_date_and_support() -> None:
    printed = _article("a", "The vote was held on Sunday, March 3, 2024.")
    misdated = _article("b", "Voters went to the polls on Sunday.", published="2025-01-01")
    undated = _article("c", "Voters went to the polls on Sunday.")
    dating = date_the_event([printed, misdated, undated])
    flags = misdated_flags([printed, misdated, undated], dating)
    assert [(f.article, f.kind) for f in flags] == [("b", "misdated")]
    assert "2025-01-01" in flags[0].detail and "Sunday" in flags[0].detail


def test_close_claimed_date_is_not_misdated() -> None:
    printed = _article("a", "The vote was held on Sunday, March 3, 2024.")
    fine = _article("b", "Voters went to the polls on Sunday.", published="2024-03-04")
    assert misdated_flags([printed, fine], date_the_event([printed, fine])) == []


def test_truncated_paragraph_and_complete_body() -> None:
    cut = _article(
        "a", "The leaders of both countries met at a remote launch facility for a summit that shows how their"
    )
    whole = _article(
        "b", "The leaders of both countries met at a remote launch facility for a summit on Monday."
    )
    assert [f.article for f in truncated_flags([cut, whole])] == ["a"]


def test_speaker_from_pronoun_and_full_name() -> None:
    a = _article(
        "a",
        "President Jane Doe spoke to reporters in the capital.",
        "Doe said “we will rebuild every home in the valley.”",
        "She added that “the money is already there for it.”",
    )
    quotes = find_quotes(a)
    assert [q.speaker for q in quotes] == ["Doe", "Doe"]
    assert {q.speaker for q in story_quotes([a])} == {"Jane Doe"}


def test_full_name_read_from_paragraphs_with_curly_quotes_and_apostrophes() -> None:
    # The only paragraphs naming her in full hold curly quotes and a curly apostrophe (not ASCII): they
    # must still be read for her full name.
    a = _article(
        "a",
        "“The valley will be rebuilt before winter,” said Mary O’Brien, the city’s mayor.",
        "“We have the money for every single home,” O’Brien told reporters on Monday.",
    )
    b = _article("b", "O’Brien said “the money is already there for every home.”")
    assert {q.speaker for q in story_quotes([a, b])} == {"Mary O'Brien"}


def test_role_speaker_is_the_person_another_article_gives_that_role() -> None:
    a = _article("a", "Kremlin spokesman Dmitry Peskov met reporters in Moscow on Monday.")
    b = _article("b", "“We see no reason for any haste in this matter,” the Kremlin spokesperson said.")
    assert [q.speaker for q in story_quotes([a, b])] == ["Dmitry Peskov"]


def test_role_apposition_after_the_name_resolves_too() -> None:
    a = _article(
        "a",
        "Jane Roe, the city's mayor, opened the bridge.",
        "“Traffic will flow again by the end of the week,” the mayor said.",
    )
    assert [q.speaker for q in story_quotes([a])] == ["Jane Roe"]


def test_role_two_people_hold_equally_is_left_unresolved() -> None:
    a = _article(
        "a",
        "Police spokesman John Smith and army spokesman Tom Brown spoke on Monday.",
        "“The roads will stay closed until further notice,” the spokesman said.",
    )
    assert [q.speaker for q in story_quotes([a])] == [None]


def test_a_quote_opened_curly_and_closed_straight_is_read() -> None:
    # Without the mixed pair, the straight marks would pair from its close to the next quote's opening.
    a = _article("a", 'Ann Lee said the “dam will hold through the night." "We will see," Lee added.')
    assert [(q.text, q.speaker) for q in find_quotes(a, min_words=3)] == [
        ("dam will hold through the night.", "Ann Lee"),
        ("We will see", "Lee"),
    ]


def test_apposition_between_speaker_and_verb() -> None:
    a = _article("a", "“The dam will hold through the night,” Ann Lee, a city engineer, told reporters.")
    assert [q.speaker for q in find_quotes(a)] == ["Ann Lee"]


def test_quoted_sentence_after_an_attributed_one_has_the_same_speaker() -> None:
    a = _article(
        "a",
        "“The dam will hold through the night,” Lee said. “We have checked every gate twice today.”",
        "“Nobody needs to leave their homes tonight,” she added.",
    )
    assert [q.speaker for q in find_quotes(a)] == ["Lee", "Lee", "Lee"]


def test_pronoun_refers_to_the_last_person_named_sentences_before_the_quote() -> None:
    # The person named speaking last, two sentences that quote no one before the quote.
    a = _article(
        "a",
        "Ann Lee said the dam was old.",
        "Jim Park said the gates were shut. Water rose all night. Crews checked every gate.",
        "The river fell by morning. “The dam held through the night,” she said.",
    )
    assert [q.speaker for q in find_quotes(a)] == ["Jim Park"]
    assert [q.speaker for q in find_quotes(_article("b", *a.paragraphs[2:]))] == [None]


def test_colon_quote_is_given_to_the_person_its_sentence_names() -> None:
    a = _article(
        "a",
        "Lee said the dam was safe, and the mayor agreed.",
        "Before leaving, Lee signed the visitors' book: “This town has the bravest people I have met.”",
    )
    b = _article("b", "Before leaving, Lee signed the visitors' book: “This town has the bravest people.”")
    assert [q.speaker for q in story_quotes([a, b])] == ["Lee"]
    assert [q.speaker for q in story_quotes([b])] == [None]  # no sign elsewhere that Lee speaks


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "one",
                "tone",
                "ones",
                "two",
                "a",
                "an",
                "hour",
                "hours",
                "half",
                "behalf",
                "7",
                "٣",
                "x",
                "_",
                "dozen",
                "dozens",
                "eleven",
                "hundred",
                " ",
                "-",
                "'",
                "’",
                "é",
                ".",
                "seven_",
                "nine9",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_may_measure_in_parts_is_the_pattern(text: str) -> None:
    lowered = text.lower()
    assert discrepancies._may_measure(lowered) == bool(discrepancies._LOWER_PATTERNS[0].search(lowered))


def test_a_names_paragraphs_read_apart_give_the_index_of_every_name() -> None:
    # Names with hyphens, dots, possessives, curly apostrophes and non-ASCII letters, copies printing some
    # paragraphs twice: the words' names read from the paragraphs holding them are those of the one pass.
    paragraphs = (
        "Russian President Vladimir Putin met Kim Jong-un at the U.S.-built Vostochny site.",
        "Putin’s aide Dmitry Peskov told reporters that Kim’s train left. Peskov smiled.",
        "Jürgen Groß, of the Berlin office, said Groß would stay. İlhan Omar spoke.",
        "The St. Louis delegation and Mr. O’Brien arrived late, O’Brien said.",
    )
    articles = [_article("a", *paragraphs), _article("b", *paragraphs[:2]), _article("c", paragraphs[3])]
    apart = Speakers(articles)
    every = Speakers(articles)
    words = sorted(every._names_by_word)
    assert len(words) > 10  # the names were read: the comparison is not of nothing
    for word in [*words, "putin", "nobody"]:
        assert list(apart._names_with_word(word)) == every._names_by_word.get(word, []), word
    assert "_names_by_word" not in apart.__dict__  # each word was read apart


def test_quote_wordings_grouped_across_sources() -> None:
    a = _article("a", "Doe said “we will rebuild every home in the valley.”")
    b = _article("b", "Doe promised to “rebuild every single home in the valley,” officials said.")
    c = _article("c", "Smith said “the bridge will reopen in the spring.”")
    quotes = story_quotes([a, b, c])
    assert sorted(len(q.variants) for q in quotes) == [1, 2]


def test_measures_agree_across_units() -> None:
    (a,) = measures(0, "The 18-month-old war drained stores.")
    (b,) = measures(1, "A year and a half into this war, stores are drained.")
    assert a.value == b.value


def test_summary_respects_budget_and_reading_order() -> None:
    base = "The storm flooded the coastal town of Harbor Bay and forced thousands of residents to leave home"
    arts = [
        _article(
            "a", base + ".", "Officials in Harbor Bay opened three shelters at local schools on Monday night."
        ),
        _article(
            "b", base + " on Sunday.", "Officials in Harbor Bay opened three shelters at local schools."
        ),
        _article(
            "c", "Rescue crews in Harbor Bay reached stranded residents by boat as the storm flooded streets."
        ),
    ]
    chosen = summarize(story_sentences(arts), {}, StorySettings(summary_words=40, lead_bonus=0.0))
    assert 0 < sum(s.words for s in chosen) <= 40
    after_lead = [s.position for s in chosen[1:]]
    assert after_lead == sorted(after_lead)


_SHELTERS = "Officials in Harbor Bay opened three shelters at local schools on Monday night."
_STORM = (
    "A storm flooded the coastal town of Harbor Bay on Sunday and forced thousands of residents to leave.",
    "The storm flooded Harbor Bay on Sunday, forcing thousands of residents from their homes by nightfall.",
    "Thousands of residents left the coastal town of Harbor Bay on Sunday after a storm flooded it.",
)


def _storm_story() -> list[Article]:
    return [_article(name, lead, _SHELTERS) for name, lead in zip("abc", _STORM, strict=True)]


def test_summary_leads_with_the_event_not_a_side_detail_that_fits() -> None:
    # The shelters sentence holds the most shared bigrams per word: alone, the ILP picks it at 20 words.
    for words in (20, 40, 80):
        chosen = summarize(story_sentences(_storm_story()), {}, StorySettings(summary_words=words))
        assert chosen[0].text in _STORM and chosen[0].index == 0
        assert sum(s.words for s in chosen) <= words


def test_summary_below_every_lead_is_the_lead_cut_to_the_budget() -> None:
    (cut,) = summarize(story_sentences(_storm_story()), {}, StorySettings(summary_words=10))
    assert cut.text.endswith("…") and len(cut.text.split()) == 10
    assert any(lead.startswith(cut.text.removesuffix("…")) for lead in _STORM)


def test_summary_lead_skips_url_and_headline_lines() -> None:
    arts = [
        _article(name, "http: / / www. example. com / news / harbor - bay - flood. html", title_line, lead)
        for name, lead, title_line in zip(
            "abc",
            _STORM,
            ("Storm Floods Harbor Bay Town.", "Harbor Bay Flooded By Storm.", "Flood In Harbor Bay."),
            strict=True,
        )
    ]
    chosen = summarize(story_sentences(arts), {}, StorySettings(summary_words=30))
    assert chosen[0].text in _STORM


def test_summary_sentences_are_whole_unless_the_benchmark_fills_the_budget() -> None:
    storm = (
        "The storm flooded the coastal town of Harbor Bay and forced thousands of residents to leave home."
    )
    shelters = "Officials in Harbor Bay opened three shelters at local schools on Monday night."
    boats = "Rescue crews in Harbor Bay reached stranded residents by boat as the storm flooded streets."
    arts = [_article("a", storm, shelters), _article("b", storm, shelters), _article("c", boats, storm)]
    sentences = story_sentences(arts)
    whole = summarize(sentences, {}, StorySettings(summary_words=24, lead_bonus=0.0))
    assert [s.text for s in whole] == [storm]  # 17 words; no other sentence fits whole
    filled = summarize(
        sentences, {}, StorySettings(summary_words=24, lead_bonus=0.0, fill_with_cut_sentence=True)
    )
    assert [s.text for s in filled][0] == storm and filled[-1].text.endswith("…")
    assert sum(len(s.text.split()) for s in filled) == 24


_FIRST = (
    "Floods in the river valley killed 12 residents on Monday, officials said.",
    "The regional governor visited the worst-hit town of Millbrook in the afternoon.",
)
_UPDATE = (
    "Floods in the river valley killed 15 residents on Monday, officials said.",
    "The regional governor visited the worst-hit town of Millbrook in the afternoon.",
    "Rescue teams from three neighbouring provinces arrived by helicopter before dark.",
)


def _versions() -> tuple[list[Article], list[OriginGroup]]:
    arts = [_article("old", *_FIRST), _article("new", *_UPDATE)]
    return arts, [OriginGroup("new", ("new", "old"), (CopyLink("old", "new", "version", 0.6),))]


def test_version_changes_say_what_changed_and_what_was_added() -> None:
    arts, groups = _versions()
    changes = find_changes(
        align_sentences(story_sentences(arts)), groups, {"old": "2024-01-01", "new": "2024-01-02"}
    )
    assert [(c.article, c.of, c.kind) for c in changes] == [("new", "old", "number"), ("new", "old", "added")]
    assert "12 residents" in (changes[0].before or "") and "15 residents" in (changes[0].after or "")
    assert changes[1].before is None and "helicopter" in (changes[1].after or "")


def test_version_changes_list_removed_statements_from_the_other_side() -> None:
    arts, groups = _versions()
    changes = find_changes(
        align_sentences(story_sentences(arts)), groups, {"old": "2024-01-03", "new": "2024-01-02"}
    )
    assert [(c.article, c.of, c.kind) for c in changes] == [
        ("old", "new", "number"),
        ("old", "new", "removed"),
    ]
    assert changes[1].after is None and "helicopter" in (changes[1].before or "")


def test_version_changes_without_dates_take_the_longer_version_as_newer() -> None:
    arts, groups = _versions()
    changes = find_changes(align_sentences(story_sentences(arts)), groups)
    assert [(c.article, c.of, c.kind) for c in changes] == [("new", "old", "number"), ("new", "old", "added")]


def test_copies_and_excerpts_change_nothing() -> None:
    arts, _ = _versions()
    excerpt = [OriginGroup("new", ("new", "old"), (CopyLink("old", "new", "excerpt", 1.0),))]
    assert find_changes(align_sentences(story_sentences(arts)), excerpt) == []


def test_versions_of_one_origin_do_not_disagree() -> None:
    arts, groups = _versions()
    alignment = align_sentences(story_sentences(arts))
    texts = {a.id: a.text for a in arts}
    (between_articles,) = find_discrepancies(alignment, texts)
    assert between_articles.about.endswith("12 residents / 15 residents")
    assert find_discrepancies(alignment, texts, origins={"old": "new", "new": "new"}) == []
    story = write_story("s", arts, groups)
    assert story.discrepancies == () and [c.kind for c in story.changes] == ["number", "added"]


def test_copies_are_aligned_once_per_statement() -> None:
    # A wire report on 300 sites: pairs of statements are kept, never pairs of prints.
    text = ("The mayor opened the new bridge on Monday.", "Traffic was light all day.", "Crowds cheered.")
    copies = [_article(f"site{k}", *text) for k in range(300)]
    alignment = align_sentences(story_sentences(copies))
    assert alignment.similarity.shape == (3, 3)
    assert len(alignment.sources(0, 0.5)) == 300
    assert len(alignment.same_statement(0, 0.5)) == 299  # its prints in the other articles


@pytest.mark.skipif(
    sentences._compiled_support is None, reason="the compiled support (story/_align.pyx) is not built"
)
@pytest.mark.parametrize("seed", range(20))
def test_the_compiled_neighbour_support_is_its_plain_spec(seed: int) -> None:
    rng = np.random.default_rng(seed)
    size = int(rng.integers(3, 40))
    keys = np.unique(rng.integers(0, size * size, size=size * size // 2))
    rows, cols = keys // size, keys % size
    base = rng.random(len(keys))
    links = sentences._links(rng.integers(0, size, 3 * size), rng.integers(0, size, 3 * size), size)
    starts = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=size))])
    expected = sentences._neighbour_support(rows, cols, links, sentences._looked_up(keys, base, size))
    assert expected.any()  # the draw holds supported pairs: the comparison is not of zeros
    assert np.array_equal(sentences._compiled_support(rows, cols, starts, cols, base, *links), expected)
    asked = rng.permutation(len(keys))[: len(keys) // 3]  # some pairs asked, in any order
    found = sentences._compiled_support(rows[asked], cols[asked], starts, cols, base, *links)
    assert np.array_equal(found, expected[asked])


def _word(k: int) -> str:
    """A made-up word of letters (so every one is a content word), distinct for each k."""
    letters = ""
    while True:
        k, r = divmod(k, 26)
        letters += "bcdfghjklmnpqrstvwxzaeiouy"[r]
        if not k:
            return "z" + letters + "ar"


def _drawn_story(seed: int, articles: int, sentences_each: int, vocabulary: int) -> list:
    """Articles of random sentences over a small vocabulary, a few printed again by other articles (as
    copies do), so that statements share words and neighbours in every way."""
    rng = np.random.default_rng(seed)
    pool = [
        " ".join(_word(int(w)) for w in rng.integers(0, vocabulary, rng.integers(3, 9))).capitalize() + "."
        for _ in range(articles * sentences_each)
    ]
    return story_sentences(
        [
            _article(f"a{k}", " ".join(pool[int(j)] for j in rng.integers(0, len(pool), sentences_each)))
            for k in range(articles)
        ]
    )


@pytest.mark.parametrize("seed", range(6))
def test_the_alignment_above_its_floor_is_every_pair_at_or_above_it(monkeypatch, seed: int) -> None:
    # A floor leaves out the pairs under it (they grow with a story's square), bit for bit the others,
    # including a pair lifted over the floor by neighbours whose own pair is under the pairs searched.
    story = _drawn_story(seed, articles=30, sentences_each=6, vocabulary=25)
    monkeypatch.setattr(sentences, "_PRODUCT_ENTRIES", 97)  # several blocks of rows
    for bonus, floor in [(0.15, 0.35), (0.5, 0.6)]:
        every = align_sentences(story, context_bonus=bonus).similarity
        kept = align_sentences(story, context_bonus=bonus, floor=floor).similarity
        every.data[every.data < floor] = 0.0
        every.eliminate_zeros()
        assert (kept != every).nnz == 0 and kept.nnz == every.nnz
        assert np.array_equal(kept.indices, every.indices) and np.array_equal(kept.data, every.data)
    # The neighbours' pairs under the search, computed again, matter in these draws (not a test of zeros):
    monkeypatch.setattr(sentences, "_dots", lambda matrix: lambda p, q: np.zeros(len(p)))
    without = align_sentences(story, floor=0.35).similarity
    assert (without != align_sentences(story, floor=0.0).similarity.multiply(without > 0)).nnz > 0


def test_a_story_of_thousands_of_statements_sharing_a_word_holds_no_table_of_their_pairs(monkeypatch) -> None:
    # 3,000 statements, every pair sharing a word: the pairs' table would be 9 million entries (~100 MB);
    # the floor keeps each statement's own pair, found a block of rows at a time.
    rng = np.random.default_rng(0)
    story = story_sentences(
        [
            _article(f"a{k}", f"The mayor {' '.join(_word(int(w)) for w in rng.integers(0, 50_000, 6))}.")
            for k in range(3000)
        ]
    )
    monkeypatch.setattr(sentences, "_PRODUCT_ENTRIES", 1 << 16)
    tracemalloc.start()
    alignment = align_sentences(story, floor=0.35)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert alignment.similarity.shape == (3000, 3000)
    assert alignment.similarity.nnz < 2 * 3000
    assert peak < 20_000_000


def test_a_name_is_missing_when_only_its_possessive_is_in_the_other_article() -> None:
    # "putin's" is a word of the other article, "putin" (the name's last word) is not.
    assert names_missing_from("Aides met Putin's envoy in Moscow.", {"putin's", "moscow"}) == ["Putin"]
    assert names_missing_from("Aides met Putin's envoy in Moscow.", {"putin", "moscow"}) == []


@pytest.mark.parametrize(
    "text",
    [
        "Kim’s envoy met U.S. officials in Vostochny, the Kremlin said.",
        "İstanbul’s mayor and the ISTANBUL office said “no” on Monday.",
        "the 3M plant's O'Brien and ßtraße met Ωmega_Corp at 10 a.m.",
    ],
)
def test_story_sentences_read_tokens_and_capitals_as_one_text_alone(text: str) -> None:
    # `story_sentences` reads every text of a story at once; a lone `Wording` reads its own: the same.
    (sentence,) = story_sentences([_article("a", text)])
    alone = sentences.Wording(text)
    assert sentence.tokens == alone.tokens == tuple(sentences.word_tokens(text))
    assert sentence.capitalised == alone.capitalised
    assert sentence.stems == alone.stems and sentence.concepts == alone.concepts


# Awkward pieces for the word reader: apostrophes of both kinds at a word's edges, case-changing letters
# ("İ" lowers to two characters, "ǅ" is title case), digits of other scripts, "_" (a `\w` that is not a
# word's), letters beyond U+FFFF, stop words (concepts of two of them are left out), possessives.
_WORD_PIECES = [
    "Kim", "kim", "’s", "'s", "'", "’", "’t", "O'Brien", "the", "of", "and", "The", "U.S.", "İ", "ǅ", "ß",
    "ﬁ", "K", "Σ", "é", "の", "中文", "½", "²", "٣", "_", "x_y", "𝐀", "😀", "3M", "2023", " ", "  ", ",",
    ".", "“", "”", "—", "-", "\t", "\n", "running", "Runs", "caresses",
]  # fmt: skip


@pytest.mark.skipif(sentences._compiled_analyse is None, reason="story/_words.pyx is not built")
@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(_WORD_PIECES), max_size=25).map("".join), max_size=6))
def test_the_compiled_word_reader_is_its_plain_spec(texts: list[str]) -> None:
    assert sentences.analyse(texts) == sentences.analyse_plain(texts)


@pytest.mark.skipif(sentences._compiled_analyse is None, reason="story/_words.pyx is not built")
def test_the_compiled_word_reader_reads_the_seeds_as_its_plain_spec(seeds_dir: Path) -> None:
    from newsfold.clean import clean_pages
    from newsfold.read import read

    texts = list(dict.fromkeys(s.text for s in story_sentences(clean_pages(read(seeds_dir)).articles)))
    read_plain = sentences.analyse_plain(texts)
    assert sum(len(concepts) for _, _, _, concepts, _ in read_plain) > 1000  # not a comparison of nothing
    assert sentences.analyse(texts) == read_plain


@pytest.mark.skipif(
    sentences._compiled_pairs is None, reason="the compiled pairs (story/_align.pyx) are not built"
)
@pytest.mark.parametrize("seed", range(8))
def test_the_compiled_statement_pairs_are_their_plain_spec(monkeypatch, seed: int) -> None:
    # Bit for bit the sparse product's values, with and without a floor, the spec's rows in several blocks.
    story = _drawn_story(seed, articles=20, sentences_each=6, vocabulary=30 + 10 * seed)
    statements = list({s.text: s for s in story}.values())
    matrix = sentences._tfidf(statements, np.ones(len(statements)))
    monkeypatch.setattr(sentences, "_PRODUCT_ENTRIES", 97)
    for low in (0.0, 0.2, 0.5):
        got = sentences._base_pairs(matrix, low)
        want = sentences._base_pairs_plain(matrix, low)
        assert len(want[0]) > len(statements)  # pairs of different statements among them
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype and np.array_equal(g, w)


def _two_disagreements() -> list[Article]:
    """Four origins: a and d disagree on a count (one origin each side, printed first), a and b against
    c and d on a duration (two origins each side)."""
    count = "Rescuers pulled {} residents from the flooded river bank overnight."
    duration = "The warehouse fire burned for {} hours before crews contained it."
    return [
        _article("a", count.format(12), duration.format("three")),
        _article("b", "Officials praised the volunteers.", duration.format("three")),
        _article("c", "Officials praised the volunteers.", duration.format("five")),
        _article("d", count.format(15), duration.format("five")),
    ]


def test_discrepancies_capped_keep_the_best_stated_listed_in_print_order() -> None:
    arts = _two_disagreements()
    alignment = align_sentences(story_sentences(arts))
    texts = {a.id: a.text for a in arts}
    every = find_discrepancies(alignment, texts)
    assert [d.about for d in every] == [
        "count of resid: 12 residents / 15 residents",
        "duration in hours: three hours / five hours",
    ]
    assert find_discrepancies(alignment, texts, limit=2) == every
    # The less stated side of the duration has two origins, the count's one.
    assert find_discrepancies(alignment, texts, limit=1) == every[1:]
    story = write_story("s", arts, settings=StorySettings(discrepancies_per_story=1))
    assert [d.about for d in story.discrepancies] == [every[1].about]


def test_discrepancies_capped_read_only_the_pairs_they_list(monkeypatch: pytest.MonkeyPatch) -> None:
    # 200 origins, each with its own count: 19,900 disagreeing pairs, of which 5 are listed.
    from newsfold.story import discrepancies

    arts = [
        _article(f"site{k}", f"Rescuers pulled {k + 2} residents from the flooded river bank.")
        for k in range(200)
    ]
    alignment = align_sentences(story_sentences(arts))
    texts = {a.id: a.text for a in arts}
    read: list[int] = []
    context = discrepancies._context
    monkeypatch.setattr(discrepancies, "_context", lambda *args: read.append(1) or context(*args))
    assert len(find_discrepancies(alignment, texts, limit=5)) == 5
    assert len(read) < 20  # the contexts of the measures of the pairs tried, not of all 200


@pytest.mark.parametrize("seed", range(6))
def test_quotes_grouped_from_candidate_pairs_as_from_every_pair(seed: int) -> None:
    # The candidate pairs (prefix filtering) hold every pair of wordings `_same_remark` accepts.
    from newsfold.story import quotes

    rng = random.Random(seed)
    words = [f"w{k}" for k in range(12 + 4 * seed)]
    bags = [set(rng.sample(words, rng.randint(0, 7))) for _ in range(60)]
    for overlap, shared in ((0.6, 3), (0.3, 1), (0.9, 5), (0.0, 0)):
        mention = quotes.QuoteMention("a", "x", None, 0)
        accepted = {
            (x, y)
            for x, y in itertools.combinations(range(len(bags)), 2)
            if quotes._same_remark(mention, mention, overlap, shared, bags[x], bags[y])
        }
        assert accepted and accepted <= set(quotes._candidate_pairs(bags, overlap, shared))


@pytest.mark.skipif(
    sentences._compiled_pairs is None, reason="the compiled pairs (story/_align.pyx) are not built"
)
def test_the_filtered_statement_pairs_leave_common_words_out_and_find_every_pair() -> None:
    # A story whose statements share common words: the filter indexes fewer entries, and keeps every pair.
    from newsfold.story import _align

    # Words drawn as text uses them (a few common, most rare: weights 1 / rank), sentences of 10-16.
    rng = np.random.default_rng(3)
    odds = 1.0 / np.arange(1, 401)
    texts = [
        " ".join(
            _word(int(w)) for w in rng.choice(400, rng.integers(10, 17), p=odds / odds.sum())
        ).capitalize()
        + "."
        for _ in range(300)
    ]
    story = story_sentences(
        [_article(f"a{k}", " ".join(texts[int(j)] for j in rng.integers(0, 300, 8))) for k in range(40)]
    )
    statements = list({s.text: s for s in story}.values())
    matrix = sentences._tfidf(statements, np.ones(len(statements)))
    arrays = (matrix.indptr.astype(np.int64), matrix.indices.astype(np.int64), matrix.data, matrix.shape[1])
    for low in (0.1, 0.2, 0.35):
        indexed, _ = _align._indexed(*arrays, low * 0.5)
        assert 0 < indexed.sum() < len(indexed)
        got = _align.statement_pairs(*arrays, low)
        want = sentences._base_pairs_plain(matrix, low)
        assert len(want[0]) > len(statements)
        for g, w in zip(got, want, strict=True):
            assert g.dtype == w.dtype and np.array_equal(g, w)
