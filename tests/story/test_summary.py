from __future__ import annotations

import pytest

from newsfold.models import Article
from newsfold.settings import StorySettings
from newsfold.story.sentences import Sentence, story_sentences
from newsfold.story.summary import (
    _DIGITS,
    FEATURES,
    ConceptModel,
    _is_prose,
    _says_only_who,
    _with_digits,
    concept_features,
    concept_weights,
    summarize,
    trim_attribution,
)


def _sentence(text: str) -> Sentence:
    return Sentence("a", 0, 0, text, 0.0)


def _article(id_: str, *paragraphs: str) -> Article:
    return Article(id=id_, title=None, paragraphs=paragraphs)


def test_trim_drops_a_trailing_attribution_clause() -> None:
    trimmed = trim_attribution(_sentence("Floods killed 12 people in the valley, officials said on Monday."))
    assert trimmed.text == "Floods killed 12 people in the valley."


def test_trim_drops_a_leading_according_to() -> None:
    trimmed = trim_attribution(_sentence("According to state media, the train left Pyongyang on Sunday."))
    assert trimmed.text == "The train left Pyongyang on Sunday."


def test_trim_drops_an_inner_attribution_clause() -> None:
    trimmed = trim_attribution(_sentence("The driver, police said, was not hurt in the crash on Main St."))
    assert trimmed.text == "The driver was not hurt in the crash on Main St."


def test_trim_keeps_the_speaker_of_a_quote() -> None:
    text = "“We will rebuild the bridge by spring,” the mayor said on Monday."
    assert trim_attribution(_sentence(text)).text == text


def test_trim_keeps_a_long_clause_that_holds_said() -> None:
    text = "The plant will close, the owner of the factory and the union of its workers said after talks."
    assert trim_attribution(_sentence(text)).text == text


@pytest.mark.parametrize(
    "text",
    [
        "On Friday, a day after the deadlock was first reported, the judge asked the jury to go on.",
        "Ratliff, a former Florida standout, said he didn't know if Garrard saw him.",
        "Five people were confirmed dead in the quake, Fauzi, an official, told AFP late Tuesday.",
        "At least two houses were totally flattened, she said, adding that the quake cut the power.",
        "Six versions of the attack code circulate, according to researchers, a lab owned by VeriSign.",
    ],
)
def test_trim_keeps_clauses_that_are_content(text: str) -> None:
    assert trim_attribution(_sentence(text)).text == text


def test_trim_keeps_a_sentence_whose_abbreviation_ends_it() -> None:
    trimmed = trim_attribution(_sentence("The quake struck at 10 a.m., the US Geological Survey said."))
    assert trimmed.text == "The quake struck at 10 a.m."


def test_concept_model_needs_one_coefficient_per_feature() -> None:
    with pytest.raises(ValueError, match="coefficients"):
        ConceptModel(coefficients=(1.0,), intercept=0.0)


_LEAD = "A storm flooded the coastal town of Harbor Bay on Sunday and forced residents to leave."
_FILLER = (
    "The town council met on Tuesday to discuss the budget for the next year.",
    "Local schools reported higher enrolment this autumn than in previous years.",
)
_BACKGROUND = "The regional weather office keeps records of rainfall going back to the last century."


def _storm_story() -> list[Article]:
    return [_article(name, _LEAD, *_FILLER, _BACKGROUND) for name in "abcd"]


def test_model_none_weighs_a_concept_by_its_documents() -> None:
    sentences = story_sentences(_storm_story())
    weights = concept_weights(sentences, {}, StorySettings(), model=None)
    assert weights["harbor bai"] == 4.0


def test_learned_weights_prefer_what_the_articles_lead_with() -> None:
    # Both bigrams are in every document; one in each article's first sentence, one in its last.
    weights = concept_weights(story_sentences(_storm_story()), {}, StorySettings())
    assert weights["harbor bai"] > weights["weather offic"]
    assert all(0.0 < w < 1.0 for w in weights.values())


def test_concept_features_count_copies_once() -> None:
    story = _storm_story()
    documents = {a.id: "wire" for a in story}  # four copies of one origin
    concepts, features, df = concept_features(story_sentences(story), documents, StorySettings())
    assert concepts and set(df) == {1.0}
    assert features.shape == (len(concepts), len(FEATURES))


def test_summary_sentences_lose_their_attribution_clause() -> None:
    lead = "A storm flooded the coastal town of Harbor Bay on Sunday, the regional governor said."
    story = [_article(name, lead, *_FILLER) for name in "abc"]
    chosen = summarize(story_sentences(story), {}, StorySettings(summary_words=40))
    assert chosen[0].text == "A storm flooded the coastal town of Harbor Bay on Sunday."
    assert (chosen[0].article, chosen[0].index) == ("a", 0)


def test_summary_keeps_attribution_when_trimming_is_off() -> None:
    lead = "A storm flooded the coastal town of Harbor Bay on Sunday, the regional governor said."
    story = [_article(name, lead, *_FILLER) for name in "abc"]
    settings = StorySettings(summary_words=40, trim_attribution=False)
    assert summarize(story_sentences(story), {}, settings)[0].text == lead


_RESCUE = "Rescue crews reached stranded residents of Harbor Bay by boat after the storm on Sunday."
_REWORDED = "By boat, rescue crews on Sunday reached the stranded Harbor Bay residents after the storm."


def _rescue_story() -> list[Article]:
    return [_article(name, _LEAD, _RESCUE, _REWORDED, *_FILLER) for name in "abc"]


def test_summary_leaves_out_a_reworded_sentence() -> None:
    settings = StorySettings(summary_words=50, reworded=0.7)
    texts = [s.text for s in summarize(story_sentences(_rescue_story()), {}, settings)]
    assert _LEAD in texts and (_RESCUE in texts) != (_REWORDED in texts)


def test_summary_keeps_both_wordings_when_rewording_is_allowed() -> None:
    settings = StorySettings(summary_words=50, reworded=2.0)
    texts = [s.text for s in summarize(story_sentences(_rescue_story()), {}, settings)]
    assert _RESCUE in texts and _REWORDED in texts


_LONG_LEAD = (
    "A storm flooded the coastal town of Harbor Bay on Sunday, as thousands of residents fled inland, "
    "with rescue crews reaching the stranded by boat as the water rose through the night."
)


def test_summary_below_a_lead_is_its_main_clause() -> None:
    story = [_article(name, _LONG_LEAD, *_FILLER) for name in "abc"]
    (lead,) = summarize(story_sentences(story), {}, StorySettings(summary_words=16))
    assert lead.text == "A storm flooded the coastal town of Harbor Bay on Sunday."


def test_summary_below_every_main_clause_is_the_lead_cut() -> None:
    story = [_article(name, _LONG_LEAD, *_FILLER) for name in "abc"]
    (lead,) = summarize(story_sentences(story), {}, StorySettings(summary_words=10))
    assert lead.text == "A storm flooded the coastal town of Harbor Bay on…"


_ROLES_LEAD = (
    "Swedish leader Anna Maria Berg and Norwegian leader Tomas Erik Lind agreed on a rescue plan for the "
    "region's largest lender on Sunday after talks in Oslo."
)


def test_summary_cut_inside_its_subject_leaves_out_the_roles_before_names() -> None:
    story = [_article(name, _ROLES_LEAD, *_FILLER) for name in "abc"]
    (lead,) = summarize(story_sentences(story), {}, StorySettings(summary_words=10))
    assert lead.text == "Anna Maria Berg and Tomas Erik Lind agreed on a…"


def test_a_cut_says_only_who_when_it_holds_names_roles_and_stop_words_alone() -> None:
    assert _says_only_who(_sentence("Swedish leader Anna Maria Berg and Norwegian leader Tomas Erik Lind…"))
    assert not _says_only_who(_sentence("Fulton Courthouse killer Brian Nichols was sentenced Saturday…"))


def test_summary_keeps_the_roles_where_the_lead_fits() -> None:
    story = [_article(name, _ROLES_LEAD, *_FILLER) for name in "abc"]
    (lead,) = summarize(story_sentences(story), {}, StorySettings(summary_words=30))
    assert lead.text == _ROLES_LEAD


def test_summary_main_clause_never_leaves_a_clause_unfinished() -> None:
    fire = (
        "No one was hurt in the church fire on Friday night although a handful of people, including two "
        "children, were inside the building when it started."
    )
    story = [_article(name, fire, *_FILLER) for name in "abc"]
    (lead,) = summarize(story_sentences(story), {}, StorySettings(summary_words=16))
    assert lead.text.endswith("…")


def test_a_line_with_a_link_is_not_prose_and_a_word_holding_http_inside_is() -> None:
    assert not _is_prose("Read the whole report at HTTPS://example.org/report today please.")
    assert _is_prose("Engineers at the lab renamed the xhttp protocol draft on Monday.")


def test_the_concepts_holding_a_digit_are_found_in_their_joined_text() -> None:
    # A digit in either stem, of another script ("٣"), at a stem's edge; the stems of any length.
    concepts = ["kill 12", "the mayor", "3 peopl", "x y", "ab4 c", "é٣ k", "longerstem q", "z 9"]
    joined = " ".join(concepts)
    found = _with_digits(joined, joined.split(" "))
    assert found.tolist() == [float(_DIGITS.search(c) is not None) for c in concepts]
    assert found.tolist() == [1.0, 0.0, 1.0, 0.0, 1.0, 1.0, 0.0, 1.0]
