"""Body extraction from zyte text dumps: newsfold's line classifier beside jusText and trafilatura.

Every page of ../shared/bench/zyte is dumped with ../shared/tools/textdump.py. Peers get each dump line
wrapped as a <p> (the README's protocol). Our F1 is cross-validated by site: each page is cleaned by a
model trained without its site (bench/train_line_model.py); the shipped model (trained on all sites) is
used only for speed. Speed: pages/s of each tool on the same dumps in this run, single process.

usage: python bench/bench_text_dumps.py [--folds 5] [--no-cv] [--limit N]
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfold.clean.lines import LineClassifier, classify_lines, classify_pages  # noqa: E402
from zyte_data import load_zyte, tools  # noqa: E402


def as_html(lines: list[str]) -> str:
    """A dump as the peers see it: one <p> per line."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f"<html><body>{body}</body></html>"


def body_of(lines: list[str], labels) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(line for line, lab in zip(lines, labels, strict=True) if lab.kind == "body")


def run_justext(docs: list[str]) -> tuple[list[str], float]:
    import justext

    stop = justext.get_stoplist("English")
    out, t0 = [], time.perf_counter()
    for doc in docs:
        paras = justext.justext(doc, stop)
        out.append("\n".join(p.text for p in paras if not p.is_boilerplate))
    return out, time.perf_counter() - t0


def run_trafilatura(docs: list[str]) -> tuple[list[str], float]:
    import trafilatura

    out, t0 = [], time.perf_counter()
    for doc in docs:
        out.append(trafilatura.extract(doc, include_comments=False, include_tables=False) or "")
    return out, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cv", action="store_true", help="score the shipped model (trained on these pages!)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (quick runs)")
    a = ap.parse_args()
    pages = load_zyte()[: a.limit or None]
    _, shinglef1 = tools()
    gold = {p.id: {"articleBody": p.gold_body} for p in pages}
    docs = [as_html(p.lines) for p in pages]

    def f1(bodies: list[str]) -> tuple[float, float, float]:
        pred = {p.id: {"articleBody": b} for p, b in zip(pages, bodies, strict=True)}
        return shinglef1.score(gold, pred)  # type: ignore[attr-defined]

    rows = []
    rows.append(("whole dump", f1(["\n".join(p.lines) for p in pages]), None))

    if a.no_cv:
        ours = [
            body_of(p.lines, lab)
            for p, lab in zip(pages, classify_pages([p.lines for p in pages]), strict=True)
        ]
        label = "newsfold (shipped model, seen these pages)"
    else:
        ours = cross_validated(pages, a.folds)
        label = f"newsfold ({a.folds}-fold CV by site)"

    # Speed, all tools back to back: newsfold's shipped model one page per call and the whole run at once.
    lines = [p.lines for p in pages]
    classify_pages(lines[:2])  # load the model and tables outside the timing
    t0 = time.perf_counter()
    for page_lines in lines:
        classify_lines(page_lines)
    t_single = time.perf_counter() - t0
    t0 = time.perf_counter()
    classify_pages(lines)
    t_batch = time.perf_counter() - t0
    jt_bodies, t_jt = run_justext(docs)
    tr_bodies, t_tr = run_trafilatura(docs)
    n = len(pages)
    rows.append((label, f1(ours), n / t_batch))
    rows.append(("jusText 3.0.2 (<p> per line)", f1(jt_bodies), n / t_jt))
    rows.append(("trafilatura 2.3.1 (<p> per line)", f1(tr_bodies), n / t_tr))
    print(f"zyte text dumps: {n} pages, {len({p.site for p in pages})} sites")
    print(f"{'tool':44} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>9}")
    for name, (f, p, r), speed in rows:
        print(f"{name:44} {f:6.3f} {p:6.3f} {r:6.3f} {speed if speed else float('nan'):9.1f}")
    print(
        f"newsfold one page per call: {n / t_single:.1f} pages/s; "
        f"whole run per call: {n / t_batch:.1f} pages/s"
    )
    ours_f1 = rows[1][1][0]
    print(f"ratios: F1 vs jusText {ours_f1 / rows[2][1][0]:.3f}, "
          f"vs trafilatura {ours_f1 / rows[3][1][0]:.3f}; "
          f"speed vs jusText {t_jt / t_batch:.1f}x (batch), {t_jt / t_single:.1f}x (per page); "
          f"vs trafilatura {t_tr / t_batch:.1f}x")  # fmt: skip


def cross_validated(pages, folds: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Bodies predicted by models that never saw the page's site (same folds as the training script)."""
    from sklearn.model_selection import GroupKFold

    import train_line_model as tlm

    sw = tlm.stopwords()
    xs, ys = zip(*(tlm.page_xy(p, sw) for p in pages), strict=True)
    groups = [p.site for p in pages]
    bodies = [""] * len(pages)
    for tr, te in GroupKFold(n_splits=folds).split(xs, groups=groups):
        model = tlm.train([xs[i] for i in tr], [ys[i] for i in tr], [groups[i] for i in tr], sw, folds - 1)
        labels = LineClassifier(model).classify_many([pages[i].lines for i in te])
        print(f"cv fold done ({len(te)} pages)", file=sys.stderr)
        for i, lab in zip(te, labels, strict=True):
            bodies[i] = body_of(pages[i].lines, lab)
    return bodies


if __name__ == "__main__":
    main()
