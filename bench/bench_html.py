"""Body F1 and pages/s on the zyte HTML benchmark: newsfold beside plain trafilatura and jusText, one run.

usage: python bench/bench_html.py [--sweep]

--sweep also checks the one tuned number (CleanSettings.html_precision_floor) by leave-one-site-out:
for each site, the floor is chosen on the other sites and the site is scored with it.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfold.clean import clean  # noqa: E402
from newsfold.clean.html import extract_html  # noqa: E402
from newsfold.models import Page  # noqa: E402
from newsfold.settings import CleanSettings  # noqa: E402
from zyte_data import ZYTE, site_of, tools  # noqa: E402


def load() -> tuple[dict[str, dict], dict[str, str]]:
    gold = json.loads((ZYTE / "ground-truth.json").read_text())
    htmls = {}
    for pid in sorted(gold):
        raw = gzip.decompress((ZYTE / "html" / f"{pid}.html.gz").read_bytes())
        htmls[pid] = raw.decode("utf-8", errors="replace")
    return gold, htmls


def run(name: str, fn: Callable[[str, str], str], gold: dict, htmls: dict) -> dict[str, str]:
    _, shinglef1 = tools()
    start = time.perf_counter()
    pred = {pid: fn(pid, html) for pid, html in htmls.items()}
    speed = len(htmls) / (time.perf_counter() - start)
    f, p, r = shinglef1.score(gold, {k: {"articleBody": v} for k, v in pred.items()})  # type: ignore[attr-defined]
    print(f"{name:28s} F1 {f:.4f}  P {p:.4f}  R {r:.4f}  {speed:6.1f} pages/s")
    return pred


def justext_body(html: str) -> str:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def sweep(gold: dict, htmls: dict) -> None:
    """Leave-one-site-out check of html_precision_floor."""
    _, shinglef1 = tools()
    floors = [0.05, 0.1, 0.2, 0.25, 0.3, 0.4, 0.5, 0.7]
    rows: dict[float, dict[str, tuple]] = {}
    for floor in floors:
        settings = dataclasses.replace(CleanSettings(), html_precision_floor=floor)
        rows[floor] = {}
        for pid, html in htmls.items():
            text = "\n".join(extract_html(html, gold[pid].get("url"), settings).paragraphs)
            rows[floor][pid] = shinglef1.page(gold[pid]["articleBody"], text)  # type: ignore[attr-defined]
    sites = {pid: site_of(gold[pid].get("url", "")) for pid in gold}
    held_out = []
    for site in sorted(set(sites.values())):
        train = [p for p in gold if sites[p] != site]
        best = max(floors, key=lambda f: shinglef1.prf([rows[f][p] for p in train])[0])  # type: ignore
        held_out.extend(rows[best][p] for p in gold if sites[p] == site)
    for floor in floors:
        print(f"  floor {floor:.2f}: F1 {shinglef1.prf(list(rows[floor].values()))[0]:.4f}")  # type: ignore
    print(f"  leave-one-site-out F1 {shinglef1.prf(held_out)[0]:.4f}")  # type: ignore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sweep", action="store_true")
    args = ap.parse_args()
    gold, htmls = load()
    import trafilatura

    print(f"zyte HTML, {len(htmls)} pages; trafilatura {trafilatura.__version__}")
    run("trafilatura (default)", lambda pid, h: trafilatura.extract(h) or "", gold, htmls)
    run(
        "trafilatura favor_precision",
        lambda pid, h: trafilatura.extract(h, favor_precision=True) or "",
        gold,
        htmls,
    )
    run("jusText (English stoplist)", lambda pid, h: justext_body(h), gold, htmls)
    run(
        "newsfold extract_html",
        lambda pid, h: "\n".join(extract_html(h, gold[pid].get("url")).paragraphs),
        gold,
        htmls,
    )
    run(
        "newsfold clean (Article)",
        lambda pid, h: clean(Page(id=pid, kind="html", content=h, url=gold[pid].get("url"))).text,
        gold,
        htmls,
    )
    if args.sweep:
        sweep(gold, htmls)


if __name__ == "__main__":
    main()
