"""Per-seed line precision/recall of the page-dump line classifier against ../shared/gold/seeds.json.

Body lines are scored against gold body_lines, captions against caption_lines, and the title against the
gold title. A line that the gold puts in both body_lines and caption_lines (two such lines in seed 003)
counts as correct whether we call it body or caption: it is left out of both body and caption scoring
when we call it the other. Titles are compared with whitespace folded (004's holds no-break spaces).

Gold repair (printed as a second row): in seed 003 the gold body numbers 87..101 point at the blank
(no-break space) lines that follow their paragraphs, one line off after line 84; a gold number that points
at a blank line is moved to the next line with text. Both the raw and the repaired figures are printed.

usage: python bench/bench_seeds_lines.py [--show]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from newsfold.clean.lines import LineLabel, classify_run

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "gold" / "seeds.json"


def prf(pred: set[int], gold: set[int]) -> tuple[float, float]:
    """Precision and recall of a set of line numbers (1.0 for empty-vs-empty)."""
    tp = len(pred & gold)
    p = tp / len(pred) if pred else float(not gold)
    r = tp / len(gold) if gold else float(not pred)
    return p, r


def repaired(numbers: list[int], lines: list[str]) -> set[int]:
    """Gold line numbers with any that point at a blank line moved to the next line with text."""
    out = set()
    for i in numbers:
        j = i
        while j < len(lines) and not lines[j - 1].strip():
            j += 1
        out.add(j)
    return out


def score_page(labels: list[LineLabel], lines: list[str], gold: dict, repair: bool = False) -> dict:
    """Body and caption precision/recall and title match for one page."""
    g_body, g_cap = set(gold["body_lines"]), set(gold["caption_lines"])
    if repair:
        g_body, g_cap = repaired(gold["body_lines"], lines), repaired(gold["caption_lines"], lines)
    both = g_body & g_cap
    body = {i + 1 for i, lab in enumerate(labels) if lab.kind == "body"}
    cap = {i + 1 for i, lab in enumerate(labels) if lab.kind == "caption"}
    # A gold line in both sets is right either way: drop it from the side we did not pick.
    g_body_eff = g_body - (both & cap)
    g_cap_eff = g_cap - (both & body)
    titles = [lines[i].strip() for i, lab in enumerate(labels) if lab.kind == "title"]
    bp, br = prf(body, g_body_eff)
    cp, cr = prf(cap, g_cap_eff)
    title = " ".join(titles[0].split()) if titles else None
    gold_title = " ".join(gold["title"].split()) if gold["title"] else None
    return {"body_p": bp, "body_r": br, "cap_p": cp, "cap_r": cr, "title_ok": title == gold_title,
            "title": title, "body": body, "gold_body": g_body_eff}  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--show", action="store_true", help="print every line with its label")
    a = ap.parse_args()
    gold = json.loads(GOLD.read_text())["articles"]
    paths = sorted(SEEDS.glob("*.txt"))
    pages = [p.read_text(encoding="utf-8").splitlines() for p in paths]
    print(f"{'seed':44} {'body P':>7} {'body R':>7} {'cap P':>6} {'cap R':>6}  title")
    meets = {False: 0, True: 0}
    classify_run(pages[:1])  # load the model outside the timing
    t0 = time.perf_counter()
    # The five seeds as one run (each page's context is the others), as clean_pages classifies a batch.
    all_labels = classify_run(pages)
    elapsed = time.perf_counter() - t0
    for path, lines, labels in zip(paths, pages, all_labels, strict=True):
        for repair in (False, True):
            s = score_page(labels, lines, gold[path.name], repair)
            meets[repair] += s["body_p"] >= 0.97 and s["body_r"] >= 0.97 and s["title_ok"]
            if repair and s["gold_body"] == score_page(labels, lines, gold[path.name])["gold_body"]:
                continue
            name = path.name + (" (gold repaired)" if repair else "")
            print(f"{name:44} {s['body_p']:7.3f} {s['body_r']:7.3f} {s['cap_p']:6.3f} {s['cap_r']:6.3f}  "
                  f"{'ok' if s['title_ok'] else 'WRONG'} {s['title']!r}")  # fmt: skip
        if a.show:
            for i, (line, lab) in enumerate(zip(lines, labels, strict=True), 1):
                mark = "!" if (i in s["body"]) != (i in s["gold_body"]) else " "
                print(f"  {mark}{i:4} {lab.kind:7} {lab.reason[:28]:28} {line.strip()[:90]}")
    print(f"pages meeting body P,R >= 0.97 and the title: {meets[False]}/{len(pages)} on the raw gold, "
          f"{meets[True]}/{len(pages)} on the repaired gold; {len(pages) / elapsed:.0f} pages/s")  # fmt: skip


if __name__ == "__main__":
    main()
