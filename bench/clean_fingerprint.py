"""Output fingerprint of the clean stage, to prove that a speed-up changes no Article.

Cleans the zyte text dumps (one batch, as bench_text_dumps.py times it), the seeds (one batch), each seed
and the first zyte dumps alone (no context), the ECB+ dev records read as `newsfold fold` reads JSONL
(one batch), variants of the dumps (lines shuffled within a page, blank
lines and odd characters inserted: other paths through the code) and a few zyte HTML pages, then hashes
every field of every Article (body, captions, metadata, removed lines with reasons).

Record with one checkout's code, check with another's:

    PYTHONPATH=/work/main/src python bench/clean_fingerprint.py --record /tmp/clean_fp.json
    PYTHONPATH=src python bench/clean_fingerprint.py --check /tmp/clean_fp.json

The fingerprint depends on the shipped line model: record it again after the model changes.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from newsfold.clean import clean, clean_pages  # noqa: E402
from newsfold.models import Article, Page  # noqa: E402
from newsfold.read import read_many  # noqa: E402
from zyte_data import SHARED, ZYTE, load_zyte  # noqa: E402


def digest(article: Article) -> str:
    """A hash of every field of an Article (its removed lines as a tuple of `RemovedLine`s, as they read)."""
    fields = dataclasses.astuple(dataclasses.replace(article, removed=tuple(article.removed)))
    return hashlib.sha256(repr(fields).encode("utf-8", "surrogatepass")).hexdigest()


def _variant(lines: list[str], rng: random.Random) -> list[str]:
    """The page's lines shuffled a little, with blank lines, whitespace and rare characters put in."""
    out = list(lines)
    for _ in range(len(out) // 10):
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    extras = ["", "   ", "\u00a0İstanbul ǅ ß ﬁ »", "ÀÉÎ — 12:30 p.m. Sept. 13, 2023", "\ud83d", "‖ © AP ‖"]
    for _ in range(5):
        out.insert(rng.randrange(len(out) + 1), rng.choice(extras))
    return out


def _html(page_id: str) -> str:
    return gzip.decompress((ZYTE / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")


def batches() -> dict[str, list[tuple[Page, bool]]]:
    """Named batches of pages; the flag says whether each page is cleaned alone (`clean`) too."""
    zyte = load_zyte()
    text = [
        Page(id=p.id, kind="text", content="\n".join(p.lines), url=f"https://{p.site}/{p.id}") for p in zyte
    ]
    seeds = [
        Page(id=f.name, kind="text", content=f.read_text(encoding="utf-8"))
        for f in sorted((SHARED / "corpus" / "seeds").glob("*.txt"))
    ]
    rng = random.Random(7)
    variants = [
        Page(id=f"v{p.id}", kind="text", content="\n".join(_variant(p.lines, rng)), source=p.site)
        for p in zyte[::3]
    ]
    ecbplus = read_many([SHARED / "bench" / "ecbplus" / "dev.jsonl"]).pages
    html = [
        Page(id=f"h{p.id}", kind="html", content=_html(p.id), url=f"https://{p.site}/{p.id}")
        for p in zyte[:12]
    ]
    return {
        "zyte": [(p, k < 20) for k, p in enumerate(text)],
        "seeds": [(p, True) for p in seeds],
        "variants": [(p, k < 10) for k, p in enumerate(variants)],
        "html": [(p, False) for p in html],
        "ecbplus": [(p, False) for p in ecbplus],
    }


def fingerprint() -> dict[str, str]:
    out = {}
    for name, batch in batches().items():
        for article in clean_pages([p for p, _ in batch]).articles:
            out[f"{name}/batch/{article.id}"] = digest(article)
        for page, alone in batch:
            if alone:
                out[f"{name}/alone/{page.id}"] = digest(clean(page))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--record", type=Path, help="write the fingerprint to this JSON file")
    group.add_argument("--check", type=Path, help="compare with the fingerprint in this JSON file")
    a = ap.parse_args()
    fp = fingerprint()
    if a.record:
        a.record.write_text(json.dumps(fp, indent=0, sort_keys=True))
        print(f"recorded {len(fp)} articles in {a.record}")
        return
    want = json.loads(a.check.read_text())
    differ = sorted(k for k in want.keys() | fp.keys() if want.get(k) != fp.get(k))
    for k in differ[:20]:
        print(f"differs: {k}")
    print(f"{len(fp)} articles, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
