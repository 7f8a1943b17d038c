"""Body extraction from zyte text dumps: newsfold's line classifier beside jusText and trafilatura.

Every page of ../shared/bench/zyte is dumped with ../shared/tools/textdump.py. Peers get each dump line
wrapped as a <p> (the README's protocol). Our F1 is cross-validated by site: each page is cleaned by a
model trained without its site (bench/train_line_model.py), with the run as its own context (template
lines by site, other pages' headlines), exactly as `clean_pages` classifies a batch; the shipped model
(trained on all sites) is used only for speed. Speed: pages/s of each tool on the same dumps in this run,
single process, best of --repeat turns: the classifier alone (`classify_run`) and the whole `clean_pages`
on text-dump Pages (metadata included: what users run).

--fold-cache FILE keeps the CV fold models (each trained without its test sites) in FILE and reuses them
when FILE exists: training them takes minutes on a busy machine; delete FILE after changing features.

Dec 6 (wt-dumps, session 10), folds trained on zyte alone (this script's --fold-cache): main 2ddacbd 0.9269
(P 0.9401 R 0.9140); 9a4b6b1 (three new line features, retrained; the new lines.py rules) 0.9264 (P 0.9366
R 0.9164). Folds trained on zyte + Fundus (train_line_model.py): 0.9285 -> 0.9305.

usage: python bench/bench_text_dumps.py [--folds 5] [--no-cv] [--limit N] [--fold-cache FILE] [--repeat 3]
"""

from __future__ import annotations

import argparse
import html
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfold.clean import clean_pages  # noqa: E402
from newsfold.clean.line_model import LineModel  # noqa: E402
from newsfold.clean.lines import LineClassifier, classify_lines, classify_run  # noqa: E402
from newsfold.models import Page  # noqa: E402
from zyte_data import load_zyte, tools  # noqa: E402


def as_html(lines: list[str]) -> str:
    """A dump as the peers see it: one <p> per line."""
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f"<html><body>{body}</body></html>"


def body_of(lines: list[str], labels) -> str:  # type: ignore[no-untyped-def]
    return "\n".join(line for line, lab in zip(lines, labels, strict=True) if lab.kind == "body")


def compiled_kernels() -> str:
    """The cleaner's kernels that ran compiled in this run ("none": their plain specs ran)."""
    from newsfold.clean import _kernels

    return ", ".join(_kernels.compiled()) or "none"


def run_justext(docs: list[str]) -> list[str]:
    import justext

    stop = justext.get_stoplist("English")
    out = []
    for doc in docs:
        paras = justext.justext(doc, stop)
        out.append("\n".join(p.text for p in paras if not p.is_boilerplate))
    return out


def run_trafilatura(docs: list[str]) -> list[str]:
    import trafilatura

    return [trafilatura.extract(doc, include_comments=False, include_tables=False) or "" for doc in docs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-cv", action="store_true", help="score the shipped model (trained on these pages!)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N pages (quick runs)")
    ap.add_argument("--fold-cache", type=Path, help="keep/reuse the CV fold models in this JSON file")
    ap.add_argument("--repeat", type=int, default=3, help="time each tool this many times, keep the best")
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

    sites = [p.site for p in pages]
    if a.no_cv:
        labels = classify_run([p.lines for p in pages], sites)
        ours = [body_of(p.lines, lab) for p, lab in zip(pages, labels, strict=True)]
        label = "newsfold (shipped model, seen these pages)"
    else:
        ours = cross_validated(pages, a.folds, a.fold_cache)
        label = f"newsfold ({a.folds}-fold CV by site)"

    # Speed, all tools back to back on the same dumps: the classifier one page per call and the whole run
    # at once, then the whole clean stage (Pages in, Articles with metadata out).
    lines = [p.lines for p in pages]
    text_pages = [
        Page(id=p.id, kind="text", content="\n".join(p.lines), url=f"https://{p.site}/{p.id}") for p in pages
    ]
    classify_run(lines[:2])  # load the model and tables outside the timing
    clean_pages(text_pages[:2])
    # Each tool timed `--repeat` times in turns (the machine is shared): the best time of each counts.
    # Wall time is the figure; the process's CPU time is printed beside it, as it is steadier while other
    # jobs share the cores (both single process, the same for every tool).
    times: dict[str, float] = {}
    cpu: dict[str, float] = {}

    def timed(name: str, run: Callable[[], object]) -> object:
        t0, c0 = time.perf_counter(), time.process_time()
        out = run()
        times[name] = min(times.get(name, float("inf")), time.perf_counter() - t0)
        cpu[name] = min(cpu.get(name, float("inf")), time.process_time() - c0)
        return out

    for _ in range(a.repeat):
        timed("single", lambda: [classify_lines(page_lines) for page_lines in lines])
        timed("batch", lambda: classify_run(lines, sites))
        timed("clean", lambda: clean_pages(text_pages))
        jt_bodies: list[str] = timed("justext", lambda: run_justext(docs))  # type: ignore[assignment]
        tr_bodies: list[str] = timed("trafilatura", lambda: run_trafilatura(docs))  # type: ignore[assignment]
    t_single, t_batch, t_clean = times["single"], times["batch"], times["clean"]
    t_jt, t_tr = times["justext"], times["trafilatura"]
    n = len(pages)
    rows.append((label, f1(ours), n / t_clean))
    rows.append(("jusText 3.0.2 (<p> per line)", f1(jt_bodies), n / t_jt))
    rows.append(("trafilatura 2.3.1 (<p> per line)", f1(tr_bodies), n / t_tr))
    print(f"zyte text dumps: {n} pages, {len({p.site for p in pages})} sites")
    print(f"compiled kernels: {compiled_kernels()}")
    print(f"{'tool':44} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>9}")
    for name, (f, p, r), speed in rows:
        print(f"{name:44} {f:6.3f} {p:6.3f} {r:6.3f} {speed if speed else float('nan'):9.1f}")
    print(
        f"newsfold pages/s: clean_pages (whole clean stage) {n / t_clean:.1f}; line classifier alone "
        f"{n / t_batch:.1f} (whole run per call), {n / t_single:.1f} (one page per call)"
    )
    ours_f1 = rows[1][1][0]
    print(f"ratios: F1 vs jusText {ours_f1 / rows[2][1][0]:.3f}, "
          f"vs trafilatura {ours_f1 / rows[3][1][0]:.3f}; "
          f"speed vs jusText: clean_pages {t_jt / t_clean:.1f}x, classifier {t_jt / t_batch:.1f}x (batch), "
          f"{t_jt / t_single:.1f}x (per page); clean_pages vs trafilatura {t_tr / t_clean:.1f}x")  # fmt: skip
    c_clean, c_jt = cpu["clean"], cpu["justext"]
    print(f"cpu time: clean_pages {n / c_clean:.1f} pages/s, jusText {n / c_jt:.1f}, trafilatura "
          f"{n / cpu['trafilatura']:.1f}; clean_pages vs jusText {c_jt / c_clean:.1f}x, "
          f"classifier {c_jt / cpu['batch']:.1f}x (batch)")  # fmt: skip


def fold_models(pages, folds: int, cache: Path | None) -> list[tuple[list[int], LineModel]]:  # type: ignore[no-untyped-def]
    """(test page indices, model trained on the other sites) per fold, as the training script folds them."""
    if cache is not None and cache.exists():
        return [(f["te"], LineModel.from_json(f["model"])) for f in json.loads(cache.read_text())]
    from sklearn.model_selection import GroupKFold

    import train_line_model as tlm

    sw = tlm.stopwords()
    xs, ys = zip(*(tlm.page_xy(p, sw) for p in pages), strict=True)
    groups = [p.site for p in pages]
    out = []
    for tr, te in GroupKFold(n_splits=folds).split(xs, groups=groups):
        model = tlm.train([xs[i] for i in tr], [ys[i] for i in tr], [groups[i] for i in tr], sw, folds - 1)
        out.append(([int(i) for i in te], model))
        print(f"cv fold trained ({len(te)} test pages)", file=sys.stderr)
    if cache is not None:
        cache.write_text(json.dumps([{"te": te, "model": m.to_json()} for te, m in out]))
    return out


def cross_validated(pages, folds: int, cache: Path | None = None) -> list[str]:  # type: ignore[no-untyped-def]
    """Bodies predicted by models that never saw the page's site, each test fold cleaned as one run."""
    bodies = [""] * len(pages)
    for te, model in fold_models(pages, folds, cache):
        run = [pages[i] for i in te]
        labels = LineClassifier(model).classify_many(
            [p.lines for p in run], sites=[p.site for p in run], run_context=True
        )
        for i, lab in zip(te, labels, strict=True):
            bodies[i] = body_of(pages[i].lines, lab)
    return bodies


if __name__ == "__main__":
    main()
