"""export: the JSON schema the README documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newsfold.export import (
    ARTICLE_KEYS,
    STORY_KEYS,
    article_to_dict,
    fold_json_text,
    fold_to_dict,
    json_text,
    story_to_dict,
)
from newsfold.models import (
    Article,
    Change,
    CopyLink,
    Flag,
    FoldResult,
    InputProblem,
    RemovedLine,
    RemovedLines,
    SourcedText,
    Story,
)

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_documented_key_is_printed_and_every_printed_key_documented() -> None:
    documented = set(re.findall(r"^\| `(\w+)` \|", README.read_text(), flags=re.MULTILINE))
    assert documented == set(ARTICLE_KEYS) | set(STORY_KEYS)


def test_article_dict_keeps_order_and_plain_types() -> None:
    article = Article(id="a.txt", title="T", paragraphs=("One.", "Two."), credits=("AP",))
    data = article_to_dict(article)
    assert tuple(data) == ARTICLE_KEYS and data["text"] == "One.\nTwo." and data["credits"] == ["AP"]


def test_story_dict_rounds_shared_and_lists_sources() -> None:
    story = Story(
        id="s-1",
        headline="H",
        articles=("a", "b"),
        origins=(("a", "b"),),
        copies=(CopyLink("b", "a", "excerpt", 0.98765),),
        summary=(SourcedText("S.", ("a", "b")),),
        flags=(Flag("b", "truncated", "stops mid-sentence"),),
    )
    data = story_to_dict(story)
    assert tuple(data) == STORY_KEYS
    assert data["copies"][0]["shared"] == 0.988 and data["summary"] == [{"text": "S.", "sources": ["a", "b"]}]


def test_story_dict_lists_changes_with_null_sides() -> None:
    story = Story(
        id="s-1",
        headline="H",
        articles=("a", "b"),
        changes=(Change("b", "a", "name", "X said.", "Y said."), Change("b", "a", "added", None, "Z.")),
    )
    assert story_to_dict(story)["changes"] == [
        {"article": "b", "of": "a", "kind": "name", "before": "X said.", "after": "Y said."},
        {"article": "b", "of": "a", "kind": "added", "before": None, "after": "Z."},
    ]


def test_json_text_is_json_dumps_indented(monkeypatch: pytest.MonkeyPatch) -> None:
    document = {
        "text": 'He said "no"\n\tthen \x01 left: café — 東京 \u2028',
        "empty": [[], {}, ()],
        "numbers": [0, -3, 0.1, 1e-07, 2.5e20, True, False, None],
        "nested": [{"a": ["x", "y"], "b": {"c": [1, "z"]}}],
    }
    expected = json.dumps(document, ensure_ascii=False, indent=2)
    monkeypatch.setattr(json, "dumps", None)  # its own encoding, not json.dumps's
    assert json_text(document) == expected


def test_json_text_leaves_other_values_to_json_dumps() -> None:
    document = {"keys": {1: "int key"}, "nan": float("nan")}
    assert json_text(document) == json.dumps(document, ensure_ascii=False, indent=2)


def test_fold_json_text_is_json_dumps_of_fold_to_dict(monkeypatch: pytest.MonkeyPatch) -> None:
    reasons = ("nav \"bar\"", "boilerplate")
    columns = RemovedLines((2, 5, 9), ("Menu", "Share", "Ad"), bytes([1, 0, 1]), reasons)
    articles = [
        Article(id="a.txt", title="T", paragraphs=("One.",), removed=columns),
        Article(id="b.txt", title=None, paragraphs=("Two.",), removed=(RemovedLine(4, "x", "menu"),)),
        Article(id="c.txt", title="C", paragraphs=("Three.",)),
    ]
    summary = (SourcedText("S.", ("a.txt",)),)
    story = Story(id="s-1", headline="H", articles=("a.txt", "b.txt"), summary=summary)
    result = FoldResult(articles, [story], [InputProblem("x.bin", "not text")], {})
    expected = json.dumps(fold_to_dict(result), ensure_ascii=False, indent=2)
    assert '"reason": "nav \\"bar\\""' in expected and '"line": 4' in expected
    monkeypatch.setattr(json, "dumps", None)  # its own encoding, not json.dumps's
    assert fold_json_text(result) == expected
