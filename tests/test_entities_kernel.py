"""The compiled line reader (`_entities.pyx`) reads every line as its spec, `entities._read_line`, does."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from newsfold import entities

pytestmark = pytest.mark.skipif(entities._compiled_read_line is None, reason="_entities.pyx is not built")

# Words and what stands between them, chosen for the rules: honorifics, connectors, initials, acronyms,
# possessives, function words, -ing and -ly words, lines in capitals, and characters whose classes or
# case mappings are not ASCII's (a final sigma, a dotted capital I, the Kelvin sign, numerals that are
# not decimal digits, digits of other scripts, an astral capital, a combining mark).
WORDS = (
    "President Vladimir Putin Putin's Putin’s Mr. Mr Dr. W. George Bush U.S. U.S U.N. of the The THE Bank"
    " England bin Laden al van Der der La said met running Running quickly Quickly Kim Jong Un Today a A I"
    " NEWS STARS GATHER O'Neal O’Neal d'Estaing rock'n'roll e.g. St. Jr. No. Mt. Vostochny Über café Zoë"
    " ΟΔΟΣ Σ İstanbul İ \u212aelvin Ⅻ ² ½ ٣ x_y _x 3rd 2010 Kiev-based Rolls-Royce Al-Qaeda and in to for"
    " Meanwhile January Monday \U0001d400bc e\u0301 中文 Ａ"
).split()
GAPS = [" ", " ", " ", "  ", ", ", ". ", " - ", "-", "\n", ' "', '" ', "“", "” ", ": ", "; ", "! ", "? ",
        "\t", "\u00a0", "'", ".", "...", " (", ") ", "—", " ‘", "’ ", "_", "1", ""]  # fmt: skip


def _same(line: str) -> bool:
    return entities._read_line(line) == entities._compiled_read_line(line, entities._KERNEL_RULES)


def _real_lines(seeds: Path) -> list[str]:
    """The lines of the seed pages and of ECB+'s dev documents (../shared)."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(seeds.glob("*.txt"))]
    ecb = seeds.parents[1] / "bench" / "ecbplus" / "dev.jsonl"
    if ecb.is_file():
        texts += [json.loads(line)["text"] for line in ecb.read_text(encoding="utf-8").splitlines()]
    return sorted({line for text in texts for line in text.splitlines(keepends=True)})


def test_real_lines_read_the_same(seeds_dir: Path) -> None:
    lines = _real_lines(seeds_dir)
    assert sum(bool(entities._read_line(line).phrases) for line in lines) > 100  # names were read
    assert [line for line in lines if not _same(line)] == []


def test_random_lines_read_the_same() -> None:
    rng = random.Random(3)
    lines = []
    for _ in range(20_000):
        parts = [rng.choice(GAPS) if rng.random() < 0.2 else ""]
        for _ in range(rng.randint(0, 14)):
            word = rng.choice(WORDS)
            parts += [word.upper() if rng.random() < 0.05 else word, rng.choice(GAPS)]
        lines.append("".join(parts))
    assert sum(bool(entities._read_line(line).phrases) for line in lines) > 5_000
    assert [line for line in lines if not _same(line)] == []


def test_the_reader_uses_the_kernel_and_gives_the_specs_mentions() -> None:
    text = "President Vladimir Putin's aides met U.S. envoys.\nTHE SUMMIT ENDS TODAY\nKim Jong Un left."
    assert entities.EntityReader(cache_lines=0).names(text) == ["Vladimir Putin", "US", "Kim Jong Un"]
