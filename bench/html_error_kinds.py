"""Errors of newsfold's HTML body by kind, on Fundus (cross-validated line models) and zyte side by side.

Each page goes through `clean_pages` as bench_fundus.py --cv cleans it (Fundus: the fold model that never
saw its site, each fold's pages one batch; zyte: the shipped model, one page at a time as bench_html.py
does), with `html_body`'s inputs kept. Then, per dump line of 4+ words (shorter lines cannot be placed in
the text by `match_lines`), the words newsfold gets wrong, by kind:
  FN traf-missed   gold body trafilatura's passes both left out (inside / outside the span of its text)
  FN default-only  gold body only the default pass holds, which was not taken
  FN dropped       gold body trafilatura kept and a rule of `html_body` dropped (with the line's reason)
  FP               text kept outside the gold (inside / outside the span, with the line model's label)
and per paragraph of the text kept: list items ("- "), table rows ("|"), prose; and the F1 the set would
have with the better of the two trafilatura passes on every page (an oracle of the pass choice).

Dec 6 (wt-htmlbody, main c5a1b30 + the one promo rule and the deferred default pass, fold models of
c5a1b30): Fundus 0.9538, zyte 0.9727 (words of lines of 4+ words):
  kind                                                    Fundus (pages)   zyte (pages)
  FP inside trafilatura's text, labelled body              5,167 (59)      1,454 (22)
  FN trafilatura missed inside its span, labelled body     2,230 (28)        577 (14)
  FP inside, labelled link list / teaser of another story  2,156 (82)        836 (49)
  FN the stated summary (labelled standfirst), missed       885 (37)          0
  list items kept outside / inside the gold                1,914 / 640       267 / 3,832
  table rows kept outside / inside the gold                  292 / 0         272 / 3,342
  the better trafilatura pass on every page (oracle)       0.9548            0.9728
The golds differ in convention on lists, tables and the summary; the labels do not tell the kept teasers
and link lists from gold lines of the same shape (closing runs of lines labelled so hold more gold words
than others on both sets), and adding dump lines trafilatura skipped inside its span (labelled body, 8+
words, a sentence, next to its lines) loses on Fundus (0.9538 -> 0.9525) for +0.0003 on zyte: what it
skips there is mostly not Fundus gold. The pass choice is worth at most +0.001.

usage: python bench/html_error_kinds.py --fold-cache FILE [--set fundus|zyte] [--top 25]
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_fundus as bf  # noqa: E402
from fundus_data import load_fundus  # noqa: E402
from newsfold.clean.html import match_lines  # noqa: E402
from newsfold.models import Page  # noqa: E402
from newsfold.settings import CleanSettings  # noqa: E402
from zyte_data import ZYTE, label_lines, tools  # noqa: E402

clean_module = importlib.import_module("newsfold.clean")
_WORD = re.compile(r"\w+")


def captured_pages(pages: list[Page], model_context) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """Per page id: html_body's inputs (labels before it changes them) and the Article's text."""
    by_content = {p.content: p.id for p in pages}
    seen: dict[int, str] = {}
    out: dict[str, dict] = {}
    real_extract, real_body = clean_module.extract_html, clean_module.html_body

    def extract(html, *args, **kwargs):  # type: ignore[no-untyped-def]
        # both passes run, so the default pass's lines can be told apart (html_body's choice is the same)
        extraction = real_extract(html, *args, **{**kwargs, "defer_default": False})
        seen[id(extraction)] = by_content[html]
        return extraction

    def body(extraction, lines, labels, template, settings):  # type: ignore[no-untyped-def]
        labels_before = list(labels)  # html_body sets the labels to match its text
        out[seen[id(extraction)]] = dict(lines=list(lines), labels=labels_before, extraction=extraction)
        return real_body(extraction, lines, labels, template, settings)

    clean_module.extract_html, clean_module.html_body = extract, body
    try:
        with model_context():
            articles = clean_module.clean_pages(pages, CleanSettings()).articles
    finally:
        clean_module.extract_html, clean_module.html_body = real_extract, real_body
    for article in articles:
        out[article.id]["text"] = article.text
    return out


def fundus_items(cache: Path) -> dict[str, dict]:
    at = {p.id: p for p in load_fundus()}
    items: dict[str, dict] = {}
    for test_ids, model in bf.fold_models(5, cache):
        batch = [bf.page_of(at[i], "html") for i in test_ids if i in at]
        items.update(captured_pages(batch, lambda m=model: bf.line_model_in_use(m)))
    for pid, item in items.items():
        item["gold"] = at[pid].gold_body
    return items


def zyte_items() -> dict[str, dict]:
    from contextlib import nullcontext

    gold = json.loads((ZYTE / "ground-truth.json").read_text())
    items: dict[str, dict] = {}
    for pid in sorted(gold):
        html = gzip.decompress((ZYTE / "html" / f"{pid}.html.gz").read_bytes()).decode("utf-8", "replace")
        page = Page(id=pid, kind="html", content=html, url=gold[pid].get("url"))
        items.update(captured_pages([page], nullcontext))
        items[pid]["gold"] = gold[pid]["articleBody"]
    return items


def line_kinds(items: dict[str, dict]) -> tuple[Counter, dict]:
    kinds: Counter = Counter()
    pages: dict = defaultdict(set)
    for pid, item in items.items():
        lines, labels, extraction = item["lines"], item["labels"], item["extraction"]
        gold = label_lines(lines, item["gold"])
        ours = set(match_lines(item["text"].split("\n"), lines)) if item["text"] else set()
        precision = set(match_lines(extraction.paragraphs, lines))
        default = set(match_lines(extraction.default_pass or (), lines))
        lo, hi = (min(precision), max(precision)) if precision else (0, -1)
        for i, line in enumerate(lines):
            words = len(_WORD.findall(line))
            if words < 4 or gold[i] == (i in ours):
                continue
            where = "inside" if lo <= i <= hi else "outside"
            label = labels[i].kind if labels[i].kind != "drop" else f"drop: {labels[i].reason}"
            if not gold[i]:
                kind = f"FP {where}, labelled {label}"
            elif i in precision:
                kind = f"FN dropped, labelled {label}"
            elif i in default:
                kind = f"FN default-only, labelled {label}"
            else:
                kind = f"FN traf-missed {where}, labelled {label}"
            kinds[kind] += words
            pages[kind].add(pid)
    return kinds, pages


def paragraph_kinds(items: dict[str, dict]) -> Counter:
    _, shinglef1 = tools()
    out: Counter = Counter()
    for item in items.values():
        gold = shinglef1.shingles(item["gold"])  # type: ignore[attr-defined]
        for paragraph in item["text"].split("\n"):
            grams = shinglef1.shingles(paragraph)  # type: ignore[attr-defined]
            if not grams:
                continue
            shape = (
                "list item" if paragraph.startswith("- ") else "table row" if "|" in paragraph else "prose"
            )
            in_gold = sum(g in gold for g in grams) >= 0.5 * len(grams)
            out[shape, in_gold] += len(paragraph.split())
    return out


def _page_f1(tp: float, fp: float, fn: float) -> float:
    return 1.0 if fp == fn == 0 else 2 * tp / (2 * tp + fp + fn)


def pass_oracle(items: dict[str, dict]) -> float:
    """Body F1 of the set were the better of trafilatura's two passes (edges trimmed) taken on each page."""
    _, shinglef1 = tools()
    rows = []
    for item in items.values():
        extraction = item["extraction"]
        passes = [extraction.paragraphs, extraction.default_pass or extraction.paragraphs]
        scored = [shinglef1.page(item["gold"], "\n".join(p)) for p in passes]  # type: ignore[attr-defined]
        rows.append(max(scored, key=lambda row: _page_f1(*row)))
    return shinglef1.prf(rows)[0]  # type: ignore[attr-defined]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fold-cache", type=Path, required=True, help="bench/train_line_model.py's fold models")
    ap.add_argument("--set", choices=["fundus", "zyte"], action="append")
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args()
    _, shinglef1 = tools()
    for name in a.set or ["fundus", "zyte"]:
        items = fundus_items(a.fold_cache) if name == "fundus" else zyte_items()
        gold = {k: {"articleBody": v["gold"]} for k, v in items.items()}
        f1 = shinglef1.score(gold, {k: {"articleBody": v["text"]} for k, v in items.items()})  # type: ignore
        print(f"== {name}: {len(items)} pages, body F1 {f1[0]:.4f} (P {f1[1]:.4f} R {f1[2]:.4f})")
        kinds, pages = line_kinds(items)
        for kind, words in kinds.most_common(a.top):
            print(f"  {words:6d} words {len(pages[kind]):4d} pages  {kind}")
        print(f"  the better trafilatura pass on every page: F1 {pass_oracle(items):.4f}")
        shapes = paragraph_kinds(items)
        for shape in ("prose", "list item", "table row"):
            inside, outside = shapes[shape, True], shapes[shape, False]
            print(f"  {shape:10} kept: {inside:7d} words in the gold, {outside:6d} outside")


if __name__ == "__main__":
    main()
