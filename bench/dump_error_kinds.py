"""Errors of the text-dump line classifier by kind of line, on zyte and Fundus side by side: where the two
golds agree on a kind (and we are wrong) and where they follow different conventions.

Each page is classified by bench/train_line_model.py's fold model that never saw its site (--fold-cache,
the trainer's split-0 folds), each fold's pages of one set as one run, as the trainer scores them. A line's
kind is its place against the page's predicted body span (before, inside, after) and its shape: heading
(<= 12 tokens, no final punctuation: subheadings, labels, links), short sentence (<= 12 tokens, ended), prose
(longer). Per kind: lines, the share the gold calls body (the convention), the share we keep, false
positives and negatives, and the F1 the set would gain were that kind's false positives (fixFP) or false
negatives (fixFN) all right (an oracle: what fixing the kind is worth at most).

Dec 6 (wt-fundusdumps), fold models of 694e9e6's features, main f20386d:
  kind              zyte: gold% ours%  FP  FN  fixFP   fixFN | Fundus: gold% ours%  FP  FN  fixFP   fixFN
  inside heading          51.8  26.9   47 258 +.0023 +.0048 |         24.9  25.2  164 157 +.0049 +.0027
  inside short sent.      90.6  61.0   19 135 +.0009 +.0015 |         58.2  73.6  141  39 +.0066 +.0006
  inside prose            94.1  95.7  119  72 +.0170 +.0036 |         86.4  92.0  335  83 +.0231 +.0035
  before prose            21.8   0      0  85  0     +.0076 |         23.4   0      0 153  0     +.0121
  after prose              7.4   0      0  97  0     +.0037 |          7.0   0      0 132  0     +.0116
After the one-sentence standfirst (lines.standfirst): before prose FN 85 -> 82 (zyte), 153 -> 150 (Fundus).
Subheadings and short sentences inside the body are the golds' convention (zyte keeps half its in-body
headings, Fundus a quarter); prose kept inside the body that the gold leaves out is the largest kind on
both (captions, embedded-content and consent notices, teasers, list pages' items) and is spread over many
small shapes.

Dec 6 (wt-dumps, session 10), retrained folds with the three new features and the rules of 59620d2:
zyte 0.9305, Fundus 0.9298; after prose FN 132 -> 64 (Fundus: the article resumed after an inserted block
of other headlines now stays), before prose FN 150 -> 114; inside prose FP (+.0222 Fundus, +.0172 zyte at
most) is still the largest kind.

Dec 7 (dumps15), the same fold models (folds of 8d1d4dc's features), lines labelled body, shingle F1:
zyte 0.9305 / Fundus 0.9301 at main. (1) A line of another language stays when more than
off_topic_max_fit of its content words occur in the core: the "another language" drops were 336 gold
words against 129 right on Fundus (Icelandic, Polish, Turkish, Danish pages, which the nine stopword
lists do not know, had their own sentences dropped; English and Spanish quotations too); now the
video-player notice in English on a German page and an English note on a Zulu page still go (no shared
word), the test's French note inside an English article too. zyte 0.9305 -> 0.9305, Fundus 0.9301 ->
0.9310 (11 pages gain, 1 loses 0.005). (2) The line just below the body, prose on topic by the same bar,
is the article's last paragraph (the model drops it as a "teaser of another story": its neighbours are
the page's chrome): zyte 0.9305 -> 0.9307, Fundus 0.9310 -> 0.9315 (10 pages gain, 3 lose). Tried, no
gain: the same for the line just above the body (1 page gains, 1 loses).

usage: python bench/dump_error_kinds.py --fold-cache FILE [--show KIND:FP|FN] [--set zyte|fundus]
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import train_line_model as tlm  # noqa: E402
from newsfold.clean.lines import LineClassifier  # noqa: E402
from zyte_data import tools  # noqa: E402

TOKEN = re.compile(r"\w+")
# A line "ends" with sentence, clause or quote punctuation (a heading ends with a letter or digit).
ENDS = tuple('.!?。！？…:;"”’»')
# Headings and short sentences: at most this many tokens (a headline runs to about a dozen words).
SHORT_TOKENS = 12


def predicted(cache: Path) -> dict[str, tuple[tlm.LabelledPage, list[bool]]]:
    """Each page of both sets with its predicted body mask, from the fold model that never saw its site."""
    pages = tlm.training_pages()
    by_id = {p.id: p for p in pages}
    out = {}
    for ids, model in tlm.load_fold_models(cache):
        clf = LineClassifier(model)
        for dataset in ("zyte", "fundus"):
            run = [by_id[i] for i in ids if by_id[i].dataset == dataset]
            labels = clf.classify_many([p.lines for p in run], sites=[p.site for p in run], run_context=True)
            for p, labs in zip(run, labels, strict=True):
                out[p.id] = (p, [lab.kind == "body" for lab in labs])
    return out


def kinds(page: tlm.LabelledPage, body: list[bool]) -> dict[int, str]:
    """The kind of each line with words: its place against the predicted body span and its shape."""
    at = [i for i, b in enumerate(body) if b]
    first, last = (at[0], at[-1]) if at else (len(body), -1)
    out = {}
    for i, line in enumerate(page.lines):
        n = len(TOKEN.findall(line))
        if not n:
            continue
        place = "before" if i < first else ("after" if i > last else "inside")
        ended = line.strip().endswith(ENDS)
        shape = "prose" if n > SHORT_TOKENS else ("short sentence" if ended else "heading")
        out[i] = f"{place} {shape}"
    return out


def f1(pred: dict, dataset: str, fix: Callable[[str, int], bool] | None = None) -> float:
    """Body F1 of one set, with the errors `fix(page id, line)` selects set right."""
    _, shinglef1 = tools()
    rows = []
    for pid, (p, body) in pred.items():
        if p.dataset != dataset:
            continue
        keep = [
            line for i, line in enumerate(p.lines)
            if (p.body_mask[i] if fix is not None and body[i] != p.body_mask[i] and fix(pid, i) else body[i])
        ]  # fmt: skip
        rows.append(shinglef1.page(p.gold_body, "\n".join(keep)))  # type: ignore[attr-defined]
    return shinglef1.prf(rows)[0]  # type: ignore[attr-defined]


def table(pred: dict, kind_of: dict[tuple[str, int], str], dataset: str) -> None:
    base = f1(pred, dataset)
    print(f"\n{dataset}: body F1 {base:.4f}")
    print(f"{'kind':22} {'lines':>6} {'gold%':>6} {'ours%':>6} {'FP':>5} {'FN':>5} {'fixFP':>7} {'fixFN':>7}")
    stats: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for (pid, i), kind in kind_of.items():
        p, body = pred[pid]
        if p.dataset != dataset:
            continue
        gold, ours = p.body_mask[i], body[i]
        s = stats[kind]
        s[0], s[1], s[2] = s[0] + 1, s[1] + gold, s[2] + ours
        s[3], s[4] = s[3] + (ours and not gold), s[4] + (gold and not ours)
    for kind in sorted(stats):
        n, gold, ours, fp, fn = stats[kind]
        gain_fp = f1(pred, dataset, lambda pid, i, k=kind: kind_of.get((pid, i)) == k and pred[pid][1][i])
        gain_fn = f1(pred, dataset, lambda pid, i, k=kind: kind_of.get((pid, i)) == k and not pred[pid][1][i])
        print(f"{kind:22} {n:6d} {100 * gold / n:6.1f} {100 * ours / n:6.1f} {fp:5d} {fn:5d} "
              f"{gain_fp - base:+7.4f} {gain_fn - base:+7.4f}")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fold-cache", type=Path, required=True, help="train_line_model.py's fold models")
    ap.add_argument("--show", help="print sample lines of one kind and error, e.g. 'inside prose:FP'")
    ap.add_argument("--set", default="fundus", choices=["zyte", "fundus"], help="the set --show samples")
    a = ap.parse_args()
    pred = predicted(a.fold_cache)
    kind_of = {(pid, i): k for pid, (p, body) in pred.items() for i, k in kinds(p, body).items()}
    if a.show:
        kind, err = a.show.split(":")
        rows = []
        for (pid, i), k in kind_of.items():
            p, body = pred[pid]
            wrong = (body[i] and not p.body_mask[i]) if err == "FP" else (p.body_mask[i] and not body[i])
            if p.dataset == a.set and k == kind and wrong:
                rows.append(f"{pid[:28]:28} {i:4d} {p.lines[i].strip()[:120]}")
        for row in random.Random(0).sample(rows, min(40, len(rows))):
            print(row)
        return
    for dataset in ("zyte", "fundus"):
        table(pred, kind_of, dataset)


if __name__ == "__main__":
    main()
