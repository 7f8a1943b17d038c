"""The keys through which `find_origins` can relate two articles, and corpus-wide counts of them.

`find_origins` pairs two articles only through a key both hold: a substantive sentence, a headline, a
page-lead sentence (bucketed by its first words). A key held by more than `max_sentence_fanout` articles
(boilerplate, a site name taken for a headline, a cookie banner leading every page) relates nothing, but
its count still decides that, so a run over part of a corpus needs the corpus-wide counts
(`EvidenceCounts`). The store keeps these keys per article so that an ingest can find the articles a new
one could touch without reading the rest (engine/incremental.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Container, Mapping
from dataclasses import dataclass

from newsfold.models import Article
from newsfold.settings import SyndicationSettings
from newsfold.syndication.passages import LineCache, PageText, page_text

__all__ = [
    "EvidenceCounts",
    "EvidenceKeys",
    "evidence_keys",
    "keys_of_text",
    "lede_bucket",
    "split_for_evidence",
    "stable_hash",
]


@dataclass(frozen=True)
class EvidenceKeys:
    """One article's keys: distinct substantive sentences, its headline (when long enough to be evidence,
    else ""), and the distinct sentences of its page lead."""

    sentences: tuple[str, ...]
    headline: str
    leads: tuple[str, ...]


@dataclass(frozen=True)
class EvidenceCounts:
    """How many articles of the whole corpus hold each key (at least every key of the articles given to
    `find_origins` with it): substantive sentences, headlines, page-lead sentences."""

    sentences: Mapping[str, int]
    headlines: Mapping[str, int]
    leads: Mapping[str, int]
    # Sentences held more than `max_sentence_fanout` times that are a syndicated story's, not boilerplate:
    # decided over the whole corpus (`sentence_index` without counts; engine.spark_copies distributes it).
    syndicated: Container[str] = frozenset()
    # Whether the articles given with these counts hold every article that is nothing but boilerplate
    # among the holders of their boilerplate sentences (engine.spark_copies links them into one
    # component): then `sentence_index` pairs those articles as over the whole corpus.
    boilerplate_closed: bool = False


def evidence_keys(
    article: Article, settings: SyndicationSettings, cache: LineCache | None = None
) -> EvidenceKeys:
    """The keys of one article, as `sentence_index`, `_headlines` and `lead_pairs` compute them. `cache`:
    lines already split (a site's chrome is split once for all its pages, not once a page)."""
    return keys_of_text(split_for_evidence(article, settings, cache), settings)


def split_for_evidence(
    article: Article, settings: SyndicationSettings, cache: LineCache | None = None
) -> PageText:
    """The article's `page_text` as copy detection splits it (its lead scanned `lead_sentences +
    lead_scan_extra` deep): what `evidence_keys` reads, and what `find_origins` takes as `texts`."""
    scan = settings.lead_sentences + settings.lead_scan_extra
    return page_text(article, settings.min_substantive_tokens, scan, cache)


def keys_of_text(text: PageText, settings: SyndicationSettings) -> EvidenceKeys:
    """`evidence_keys` of an article already split (`split_for_evidence`)."""
    sentences = dict.fromkeys(p.key for p in text.passages if p.substantive(settings.min_substantive_tokens))
    headline = text.title
    if not settings.headline_min_tokens or len(headline.split()) < settings.headline_min_tokens:
        headline = ""
    leads = dict.fromkeys(s.passage.key for s in text.lead) if settings.page_leads else {}
    return EvidenceKeys(tuple(sentences), headline, tuple(leads))


def lede_bucket(key: str, settings: SyndicationSettings) -> str:
    """The bucket `lead_pairs` files a lede under: its first `min_substantive_tokens` words."""
    return " ".join(key.split()[: settings.min_substantive_tokens])


def stable_hash(key: str) -> int:
    """A 63-bit hash of a key that is the same in every process (Python's `hash` of a str is not)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=8).digest()) >> 1
