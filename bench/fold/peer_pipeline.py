"""The peers' pipeline a user would glue together, run as one process over a folder of page dumps.

    python bench/fold/peer_pipeline.py DIR [--out stories.json]

jusText 3 on each dump (every line wrapped as a <p>, the README's protocol) -> datasketch MinHashLSH
(128 permutations, threshold 0.3, 5-word shingles of the kept text; copies = connected components) ->
scikit-learn TF-IDF and average-link agglomerative clustering at cosine distance 0.8 (the ECB+ peer).
Prints each stage's seconds on stderr; the stories as JSON lists of page ids.
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", type=Path)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    started = time.perf_counter()
    import justext
    from datasketch import MinHash, MinHashLSH
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    seconds: dict[str, float] = {"import": time.perf_counter() - started}
    t = time.perf_counter()
    paths = sorted(args.folder.rglob("*.txt"))
    dumps = {str(p.relative_to(args.folder)): p.read_text(encoding="utf-8", errors="replace") for p in paths}
    seconds["read"] = time.perf_counter() - t

    t = time.perf_counter()
    stoplist = justext.get_stoplist("English")
    texts = {}
    for page_id, dump in dumps.items():
        body = "".join(f"<p>{html.escape(line)}</p>" for line in dump.splitlines())
        page = f"<html><body>{body}</body></html>"
        paragraphs = justext.justext(page, stoplist)
        texts[page_id] = "\n".join(p.text for p in paragraphs if not p.is_boilerplate)
    seconds["clean"] = time.perf_counter() - t

    t = time.perf_counter()
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    parent = {i: i for i in texts}
    for page_id, text in texts.items():
        words = re.findall(r"\w+", text.lower())
        sketch = MinHash(num_perm=128)
        sketch.update_batch([" ".join(words[i : i + 5]).encode() for i in range(max(1, len(words) - 4))])
        for other in lsh.query(sketch):
            a, b = parent[page_id], other
            while parent[b] != b:
                b = parent[b]
            while parent[a] != a:
                a = parent[a]
            parent[a] = b
        lsh.insert(page_id, sketch)
    seconds["copies"] = time.perf_counter() - t

    t = time.perf_counter()
    # A page jusText kept nothing of (or nothing but stop words) is a story of its own: cosine distance
    # is undefined for a zero vector.
    vectorizer = TfidfVectorizer()
    matrix = vectorizer.fit_transform([texts[i] for i in texts])
    nonzero = matrix.getnnz(axis=1) > 0
    ids = [i for i, keep in zip(texts, nonzero, strict=True) if keep]
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=0.8
    ).fit_predict(matrix[nonzero].toarray())
    stories: dict[int, list[str]] = {}
    for page_id, label in zip(ids, labels, strict=True):
        stories.setdefault(int(label), []).append(page_id)
    for k, page_id in enumerate(i for i, keep in zip(texts, nonzero, strict=True) if not keep):
        stories[-1 - k] = [page_id]
    seconds["stories"] = time.perf_counter() - t

    if args.out:
        args.out.write_text(json.dumps(sorted(stories.values())))
    print(json.dumps({k: round(v, 3) for k, v in seconds.items()}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
