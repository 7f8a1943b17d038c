"""Sentence boundaries on real news text: where this splitter cuts differently from a reference version
of it (by default main's), and what two peers say at each of those places.

There are no sentence labels in ../shared: the gold bodies of the Fundus fixtures and the zyte pages have
paragraphs, not sentences. So the check is the changes themselves: every place (paragraph, character
offset of the next sentence's start) where the two versions disagree is printed with its context, to be
read and judged by hand, beside two peers' votes at that place:
- pysbd 0.3.4 (the Pragmatic Segmenter's rules, English; `pip install pysbd`),
- NLTK's Punkt (Kiss and Strunk 2006), trained unsupervised on the same gold bodies (no model download).
Both splitters run their plain Python (`split_lines_plain`), so the reference needs no build.
With --abbreviations, the places judged are instead all of rule 3's (a full stop ending an abbreviation,
an initial or dotted letters, then a capital or a digit), cut or not, each with both versions' decisions.

With --fold-json FILE (the output of `newsfold fold --json`), the paragraphs are its articles' texts.
With --ecbplus, the one set with sentence labels: each ECB+ dev document (one gold sentence a line)
joined into one paragraph, and the boundary precision, recall and F1 of the four splitters against
its lines (Punkt trained on those documents).

Run: python bench/bench_sentence_split.py [--ref main] [--show N] [--seed 1] [--abbreviations]
     [--fold-json FILE] [--ecbplus]
"""

from __future__ import annotations

import argparse
import importlib.util
import itertools
import json
import random
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from newsfold import sentence_split

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "bench"
Split = Callable[[str], list[str]]


def gold_paragraphs() -> list[str]:
    """The non-empty paragraphs of every gold body (Fundus fixtures, then zyte), stripped."""
    paragraphs: list[str] = []
    for base in ("fundus-fixtures", "zyte"):
        truth = json.loads((SHARED / base / "ground-truth.json").read_text(encoding="utf-8"))
        for key in sorted(truth):
            body = truth[key].get("articleBody") or ""
            paragraphs.extend(line.strip() for line in body.split("\n") if line.strip())
    return paragraphs


def fold_paragraphs(path: Path) -> list[str]:
    """The non-empty paragraphs of the articles of a `newsfold fold --json` output, stripped."""
    articles = json.loads(path.read_text(encoding="utf-8"))["articles"]
    return [line.strip() for article in articles for line in article["text"].split("\n") if line.strip()]


def reference_module(ref: str) -> ModuleType:
    """`newsfold.sentence_split` as git revision `ref` has it, loaded under another name."""
    source = subprocess.run(
        ["git", "show", f"{ref}:src/newsfold/sentence_split.py"], check=True, capture_output=True, text=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "reference_sentence_split.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("reference_sentence_split", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def starts(paragraph: str, sentences: list[str]) -> set[int]:
    """The offsets in `paragraph` where a sentence after the first begins."""
    found: set[int] = set()
    at = 0
    for n, sentence in enumerate(sentences):
        at = paragraph.index(sentence, at)
        if n:
            found.add(at)
        at += len(sentence)
    return found


def peers(paragraphs: list[str]) -> dict[str, Callable[[str], set[int]]]:
    """Each peer's sentence-start offsets of a paragraph (those installed)."""
    found: dict[str, Callable[[str], set[int]]] = {}
    try:
        import pysbd
    except ImportError:
        print("pysbd not installed: no pysbd column", file=sys.stderr)
    else:
        segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
        found["pysbd"] = lambda p: {
            span.start + len(span.sent) - len(span.sent.lstrip()) for span in segmenter.segment(p)[1:]
        }
    from nltk.tokenize.punkt import PunktSentenceTokenizer

    punkt = PunktSentenceTokenizer("\n\n".join(paragraphs))
    found["punkt"] = lambda p: {a for a, _ in list(punkt.span_tokenize(p))[1:]}
    return found


_RULE3 = re.compile(r"\.\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")


def rule3_places(paragraph: str) -> set[int]:
    """The offsets of the next sentence's start after each of rule 3's full stops in `paragraph`."""
    return {
        m.end()
        for m in _RULE3.finditer(paragraph)
        if sentence_split._abbreviation(paragraph[: m.start() + 1]) is not None
    }


def ecbplus_scores(splitters: dict[str, Callable[[str], set[int]]], documents: list[list[str]]) -> None:
    """Print each splitter's boundary precision, recall and F1 against the gold sentence lines."""
    for name, cut in splitters.items():
        hits = found = gold = 0
        for lines in documents:
            paragraph = " ".join(lines)
            truth = set(itertools.accumulate(len(line) + 1 for line in lines[:-1]))
            predicted = cut(paragraph)
            hits, found, gold = hits + len(truth & predicted), found + len(predicted), gold + len(truth)
        p, r = hits / found, hits / gold
        f1 = 2 * p * r / (p + r)
        print(f"  {name:8} P {p:.4f} R {r:.4f} F1 {f1:.4f} ({found - hits} false, {gold - hits} missed)")


def ecbplus_documents() -> list[list[str]]:
    """The gold sentences (stripped, non-empty) of each ECB+ dev document."""
    path = SHARED / "ecbplus" / "dev.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [[s.strip() for s in row["text"].split("\n") if s.strip()] for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default="main", help="git revision of the reference splitter")
    parser.add_argument("--show", type=int, default=100, help="changes printed (a random sample)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fold-json", type=Path, help="judge the articles of this fold output instead")
    parser.add_argument("--ecbplus", action="store_true", help="score against ECB+ dev's sentence lines")
    parser.add_argument("--abbreviations", action="store_true", help="judge all of rule 3's places")
    args = parser.parse_args()
    old: Split = reference_module(args.ref).split_sentences_plain
    new: Split = sentence_split.split_sentences_plain
    if args.ecbplus:
        documents = ecbplus_documents()
        votes = peers([" ".join(lines) for lines in documents])
        print(f"ECB+ dev: {len(documents)} documents, {sum(map(len, documents))} gold sentences")
        ours = {args.ref: lambda p: starts(p, old(p)), "this": lambda p: starts(p, new(p))}
        ecbplus_scores(ours | votes, documents)
        return
    paragraphs = fold_paragraphs(args.fold_json) if args.fold_json else gold_paragraphs()
    votes = peers(paragraphs)
    changes: list[tuple[str, int, str, dict[str, bool]]] = []
    counts = {"old": 0, "new": 0}
    for p in paragraphs:
        before, after = starts(p, old(p)), starts(p, new(p))
        counts["old"] += len(before) + 1
        counts["new"] += len(after) + 1
        places = rule3_places(p) if args.abbreviations else before ^ after
        for at in sorted(places):
            said = {name: at in cut(p) for name, cut in votes.items()}
            kind = ("cut" if at in after else "join") + ("*" if (at in after) != (at in before) else "")
            changes.append((kind, at, p, said))
    print(f"{len(paragraphs)} paragraphs; sentences {args.ref} {counts['old']}, this {counts['new']}")
    added = sum(kind.startswith("cut") for kind, *_ in changes)
    what = "rule 3's places" if args.abbreviations else "changes"
    print(f"{what}: {len(changes)} ({added} cut, {len(changes) - added} joined; * where {args.ref} differs)")
    for name in votes:
        agree = sum(said[name] == kind.startswith("cut") for kind, _, _, said in changes)
        print(f"  {name} agrees with this version at {agree} of {len(changes)}")
    sample = random.Random(args.seed).sample(changes, min(args.show, len(changes)))
    for kind, at, p, said in sorted(sample, key=lambda c: (c[0], c[2][c[1] - 30 : c[1]])):
        peer_votes = " ".join(f"{name}:{'cut' if v else 'join'}" for name, v in said.items())
        print(f"{kind:5} {peer_votes:20} …{p[max(0, at - 45) : at]}|{p[at : at + 35]}…")


if __name__ == "__main__":
    main()
