"""newsfold's published date beside plain htmldate, page by page, in one run.

htmldate is the library newsfold calls for HTML dates; newsfold must date pages at least as well as it
alone. This lists every page where the two disagree, with the evidence each used, so the losses can be
read: Fundus fixtures (gold day), zyte (no gold date: the disagreements alone, and whether the URL's day
sides with either). Pages are given as HTML with the URL they name themselves (--no-url: also without).

usage: python bench/bench_dates.py [--quiet] [--no-url]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fundus_data import load_fundus, own_url  # noqa: E402
from newsfold.clean import clean_pages  # noqa: E402
from newsfold.clean.dates import date_from_url  # noqa: E402
from newsfold.models import Page  # noqa: E402
from zyte_data import ZYTE, tools  # noqa: E402


def htmldate_days(docs: Sequence[str], urls: Sequence[str | None], **options: bool) -> list[str | None]:
    from htmldate import find_date

    return [find_date(doc, url=url, **options) for doc, url in zip(docs, urls, strict=True)]


def newsfold_days(ids: Sequence[str], docs: Sequence[str], urls: Sequence[str | None]) -> list[tuple]:
    pages = [Page(id=i, kind="html", content=d, url=u) for i, d, u in zip(ids, docs, urls, strict=True)]
    by_id = {a.id: a for a in clean_pages(pages).articles}
    return [(by_id[i].published, by_id[i].published_from) for i in ids]


def zyte_pages() -> tuple[list[str], list[str], list[str | None]]:
    textdump, _ = tools()
    gold = json.loads((ZYTE / "ground-truth.json").read_text())
    ids = sorted(gold)
    docs = [textdump.decode(gzip.decompress((ZYTE / "html" / f"{i}.html.gz").read_bytes())) for i in ids]  # type: ignore[attr-defined]
    return ids, docs, [gold[i].get("url") or own_url(d) for i, d in zip(ids, docs, strict=True)]


def compare(name: str, ids, docs, urls, gold: Sequence[str | None] | None, quiet: bool, no_url: bool) -> None:  # type: ignore[no-untyped-def]
    ours = newsfold_days(ids, docs, urls)
    rows = {
        "newsfold (URL)": [d for d, _ in ours],
        "htmldate original_date (URL)": htmldate_days(docs, urls, original_date=True),
        "htmldate default (URL)": htmldate_days(docs, urls),
    }
    if no_url:
        ours_nourl = newsfold_days(ids, docs, [None] * len(ids))
        rows["newsfold (no URL)"] = [d for d, _ in ours_nourl]
        rows["htmldate original_date (no URL)"] = htmldate_days(docs, [None] * len(ids), original_date=True)
        rows["htmldate default (no URL)"] = htmldate_days(docs, [None] * len(ids))
    print(f"\n{name}: {len(ids)} pages")
    for label, days in rows.items():
        if gold is not None:
            right = sum((d or "")[:10] == g for d, g in zip(days, gold, strict=True))
            print(f"  {label:34} right {right:4d} ({right / len(ids):.3f})  none {days.count(None)}")
        else:
            print(f"  {label:34} none {days.count(None)}")
    sources = Counter(src for _, src in ours)
    print(f"  newsfold's sources (URL): {dict(sources)}")
    pairs = [("newsfold (URL)", "htmldate original_date (URL)")]
    if no_url:
        pairs.append(("newsfold (no URL)", "htmldate original_date (no URL)"))
    for k, i in enumerate(ids):
        if quiet or all((rows[a][k] or "")[:10] == (rows[b][k] or "")[:10] for a, b in pairs):
            continue
        g = f"gold {gold[k]} | " if gold is not None else ""
        shown = " | ".join(f"{label} {days[k]}" for label, days in rows.items())
        print(f"  {i}: {g}newsfold from {ours[k][1]} | {shown} | URL day {date_from_url(urls[k])}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quiet", action="store_true", help="counts only, no per-page disagreements")
    ap.add_argument("--no-url", action="store_true", help="also give every page without its URL")
    a = ap.parse_args()
    fundus = load_fundus()
    gold = [p.gold["published"][:10] for p in fundus]
    ids, docs, urls = [p.id for p in fundus], [p.html for p in fundus], [p.url for p in fundus]
    compare("Fundus fixtures (gold day)", ids, docs, urls, gold, a.quiet, a.no_url)
    compare("zyte (no gold date)", *zyte_pages(), None, a.quiet, a.no_url)


if __name__ == "__main__":
    main()
