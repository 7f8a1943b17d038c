"""Replay `clean.html.html_body` on captured inputs: a change to how trafilatura's text and the line labels
are weighed, scored on Fundus (CV fold models) and zyte HTML in seconds, not minutes.

--capture runs the clean stage once per set, as bench_fundus.py --cv (Fundus, each fold's pages one batch,
the fold's line model) and bench_html.py (zyte, one page at a time, the shipped model) run it, and pickles
each page's `html_body` inputs (trafilatura's extraction with its default pass already run, the dump lines,
their labels, the site template) with the body newsfold gave and the gold body. --replay calls the
`html_body` of the code on PYTHONPATH on those inputs and prints body F1 beside the captured run's, with
the pages whose F1 moved. Same extractions and labels on both sides: only html_body's own decisions differ.

    PYTHONPATH=src python bench/html_body_replay.py --capture fundus --fold-cache F --out /tmp/cap
    PYTHONPATH=src python bench/html_body_replay.py --replay fundus zyte --out /tmp/cap

Dec 6 (wt-htmlframe), from the captures of 73c6574: Fundus 0.95385 -> 0.95406 (3 pages gain, none lose),
zyte 0.97275 -> 0.97374 (2 pages gain, none lose): trafilatura taking a block whole with its headline
gives the line labels the decision; template lines passed over at the edges; the model's "outside the
article text" on the closing run.

Dec 7 (html13): the captures carry each dump line's block (`HtmlExtraction.dump_blocks`); older captures
get them from their markup at replay. A replay gave the end-to-end F1 of bench_fundus.py --cv exactly.
Dec 7 (html14): and each line's kind of block (`HtmlExtraction.dump_kinds`: tag and class), likewise.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import gzip
import importlib
import json
import pickle
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfold.models import Page  # noqa: E402
from newsfold.settings import CleanSettings  # noqa: E402
from zyte_data import ZYTE, tools  # noqa: E402

clean_pkg = importlib.import_module("newsfold.clean")  # the package (`newsfold.clean.clean` is a function)
html_mod = importlib.import_module("newsfold.clean.html")


def capture(which: str, fold_cache: Path | None) -> dict[str, Any]:
    """The html_body inputs of every page of one set, the bodies newsfold gave and the gold bodies."""
    caps: dict[str, dict[str, Any]] = {}
    current: list[str] = [""]
    # _finish imports html_body from its module at each call (lazily): patch it there.
    real_body, real_finish = html_mod.html_body, clean_pkg._finish

    def recording_body(extraction, lines, labels, template, settings):  # type: ignore[no-untyped-def]
        run = html_mod.run_default_pass(extraction, settings)
        caps[current[0]] = dict(
            extraction=extraction, run=run, lines=list(lines), labels=list(labels),
            template=copy.copy(template), settings=settings,
        )  # fmt: skip
        return real_body(extraction, lines, labels, template, settings)

    def naming_finish(item, *args, **kwargs):  # type: ignore[no-untyped-def]
        current[0] = item.page.id
        return real_finish(item, *args, **kwargs)

    html_mod.html_body, clean_pkg._finish = recording_body, naming_finish
    try:
        if which == "fundus":
            import bench_fundus
            from fundus_data import load_fundus

            pages = load_fundus()
            articles = bench_fundus.cv_articles(pages, "html", 5, fold_cache, CleanSettings())
            gold = {p.id: p.gold_body for p in pages}
        else:
            truth = json.loads((ZYTE / "ground-truth.json").read_text())
            articles, gold = [], {}
            for pid in sorted(truth):
                raw = gzip.decompress((ZYTE / "html" / f"{pid}.html.gz").read_bytes())
                page = Page(id=pid, kind="html", content=raw.decode("utf-8", errors="replace"),
                            url=truth[pid].get("url"))  # fmt: skip
                articles.append(clean_pkg.clean(page))
                gold[pid] = truth[pid]["articleBody"]
    finally:
        html_mod.html_body, clean_pkg._finish = real_body, real_finish
    return dict(caps=caps, out={a.id: a.text for a in articles}, gold=gold)


def replayed_text(cap: dict[str, Any]) -> str:
    """The body the current html_body gives on one page's captured inputs (the labels' body where it
    leaves the decision to them)."""
    labels = list(cap["labels"])
    extraction, run = cap["extraction"], cap["run"]
    if "dump_links" not in extraction.__dict__:  # captured before extractions carried the link shares
        links = tuple(html_mod._dump(extraction.markup, cap["settings"].max_text_node_chars)[1])
        extraction, run = (dataclasses.replace(x, dump_links=links) for x in (extraction, run))
    if not extraction.__dict__.get("dump_blocks"):  # captured before extractions carried the blocks
        blocks = tuple(html_mod._dump(extraction.markup, cap["settings"].max_text_node_chars).blocks)
        extraction, run = (dataclasses.replace(x, dump_blocks=blocks) for x in (extraction, run))
    if not extraction.__dict__.get("dump_kinds") and extraction.markup:  # captured before the block kinds
        kinds = tuple(html_mod._dump(extraction.markup, cap["settings"].max_text_node_chars).kinds)
        extraction, run = (dataclasses.replace(x, dump_kinds=kinds) for x in (extraction, run))
    real_run = html_mod.run_default_pass
    html_mod.run_default_pass = lambda extraction, settings: run
    try:
        paragraphs = html_mod.html_body(
            extraction, list(cap["lines"]), labels, cap["template"], cap["settings"]
        )
    finally:
        html_mod.run_default_pass = real_run
    if paragraphs is None:
        paragraphs = [cap["lines"][i].strip() for i, label in enumerate(labels) if label.kind == "body"]
    return "\n".join(paragraphs)


def replay(which: str, data: dict[str, Any]) -> None:
    _, shinglef1 = tools()
    now, then = [], []
    moved = []
    for pid, cap in data["caps"].items():
        a = shinglef1.page(data["gold"][pid], replayed_text(cap))  # type: ignore[attr-defined]
        b = shinglef1.page(data["gold"][pid], data["out"][pid])  # type: ignore[attr-defined]
        now.append(a)
        then.append(b)
        if abs(a[0] - b[0]) > 1e-9:
            moved.append((a[0] - b[0], pid))
    f, p, r = shinglef1.prf(now)  # type: ignore[attr-defined]
    f0, p0, r0 = shinglef1.prf(then)  # type: ignore[attr-defined]
    print(f"{which}: captured F1 {f0:.5f} (P {p0:.5f} R {r0:.5f}) -> replayed {f:.5f} (P {p:.5f} R {r:.5f}); "
          f"{len(moved)} of {len(now)} pages moved")  # fmt: skip
    for delta, pid in sorted(moved):
        print(f"   {delta:+.3f} {pid}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--capture", nargs="*", choices=["fundus", "zyte"], default=[])
    ap.add_argument("--replay", nargs="*", choices=["fundus", "zyte"], default=[])
    ap.add_argument("--fold-cache", type=Path, help="bench_fundus.py's CV fold models (Fundus capture)")
    ap.add_argument("--out", type=Path, required=True, help="folder of the captures")
    a = ap.parse_args()
    a.out.mkdir(parents=True, exist_ok=True)
    for which in a.capture:
        (a.out / f"{which}.pkl").write_bytes(pickle.dumps(capture(which, a.fold_cache)))
    for which in a.replay:
        replay(which, pickle.loads((a.out / f"{which}.pkl").read_bytes()))


if __name__ == "__main__":
    main()
