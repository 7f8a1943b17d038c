"""hostile input, property-tested: no reader and not the cleaner raise anything but the typed InputError
(a batch: nothing at all), and what they return keeps its invariants, whatever the bytes."""

from __future__ import annotations

import gzip
import json
import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsfold.clean import clean, clean_pages
from newsfold.errors import InputError
from newsfold.models import InputProblem, Page
from newsfold.read import SUPPORTED_SUFFIXES, read, read_many
from newsfold.settings import ReadSettings

# Small bounds so the examples reach them; each example writes one small file.
SMALL = ReadSettings(
    max_page_bytes=20_000,
    max_file_bytes=200_000,
    max_decompressed_bytes=100_000,
    max_warc_record_bytes=50_000,
    max_jsonl_line_bytes=5_000,
    max_warc_records=20,
    max_line_chars=2_000,
)
EXAMPLES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

MARKUP = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<script>",
        "</script>",
        "<!--",
        "-->",
        "<title>",
        "<meta charset=",
        "<",
        ">",
        "&amp;",
        "&#0;",
        "\x00",
        "\r\n",
        "\n",
        "The council said on Monday ",
        "“quoted” ",
        "é",
        "\ud7ff",
        "<br/>",
    ]
)
HTMLISH = st.lists(st.one_of(MARKUP, st.text(max_size=40)), max_size=60).map("".join)


def _json_record() -> st.SearchStrategy[str]:
    value = st.one_of(st.none(), st.integers(), st.text(max_size=50), st.lists(st.integers(), max_size=3))
    record = st.dictionaries(
        st.sampled_from(["id", "text", "html", "url", "title", "published", "source", "x"]), value, max_size=8
    )
    return st.one_of(record.map(json.dumps), st.text(max_size=80), HTMLISH)


def _warc(
    records: list[tuple[str, str, bytes, str]], cut: int | None, flip: int | None, zipped: bool
) -> bytes:
    out = bytearray()
    for uri, content_type, body, date in records:
        http = f"HTTP/1.1 200 OK\r\nContent-Type: {content_type}\r\n\r\n".encode(errors="replace") + body
        head = (
            f"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: {uri}\r\nWARC-Date: {date}\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n"
        ).encode(errors="replace")
        record = head + http + b"\r\n\r\n"
        out += gzip.compress(record) if zipped else record
    if flip is not None and out:
        out[flip % len(out)] ^= 0xFF
    return bytes(out[:cut] if cut is not None else out)


WARC_RECORDS = st.lists(
    st.tuples(
        st.one_of(
            st.just("https://a.test/1"),
            st.text(max_size=30).map(lambda t: t.replace("\r", "").replace("\n", "")),
        ),
        st.sampled_from(
            ["text/html", "text/html; charset=latin-1", "image/png", "", "text/html; charset=bogus"]
        ),
        HTMLISH.map(lambda t: t.encode("utf-8", errors="surrogatepass")),
        st.sampled_from(["2023-09-14T08:00:00Z", "", "yesterday", "2023-09-15"]),
    ),
    max_size=5,
)


def _check_read(path: Path) -> None:
    pages, problems = read_many([path], settings=SMALL)
    assert len({p.id for p in pages}) == len(pages)
    for page in pages:
        assert isinstance(page.content, str) and page.content.strip()
        assert page.kind in ("text", "html")
        assert page.captured is None or DAY.match(page.captured)
        assert page.published is None or DAY.fullmatch(page.published)
    for problem in problems:
        assert isinstance(problem, InputProblem) and "\n" not in str(problem) and str(path) in problem.path
    try:
        read(path, settings=SMALL)
    except InputError as error:
        assert "\n" not in str(error)


@EXAMPLES
@given(data=st.binary(max_size=3000), suffix=st.sampled_from(SUPPORTED_SUFFIXES))
def test_any_bytes_under_any_name_are_pages_or_one_line_problems(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") and data[:1] == b"z" else data)
        _check_read(path)


@EXAMPLES
@given(text=HTMLISH, suffix=st.sampled_from([".txt", ".html", ".htm", ".html.gz"]), cut=st.integers(0, 100))
def test_text_and_html_files_whole_gzipped_or_cut(text: str, suffix: str, cut: int) -> None:
    data = text.encode("utf-8", errors="surrogatepass")
    if suffix.endswith(".gz"):
        data = gzip.compress(data)
        data = data[: max(1, len(data) * cut // 100)] if cut < 50 else data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"page{suffix}"
        path.write_bytes(data)
        _check_read(path)


@EXAMPLES
@given(lines=st.lists(_json_record(), max_size=12), zipped=st.booleans(), cut=st.none() | st.integers(1, 400))
def test_jsonl_records_of_any_shape(lines: list[str], zipped: bool, cut: int | None) -> None:
    data = "\n".join(lines).encode("utf-8", errors="surrogatepass")
    if zipped:
        data = gzip.compress(data)
    data = data[:cut] if cut is not None else data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("feed.jsonl.gz" if zipped else "feed.jsonl")
        path.write_bytes(data)
        _check_read(path)


@EXAMPLES
@given(
    records=WARC_RECORDS,
    zipped=st.booleans(),
    cut=st.none() | st.integers(0, 2000),
    flip=st.none() | st.integers(0, 5000),
)
def test_warc_records_cut_or_flipped(
    records: list[tuple[str, str, bytes, str]], zipped: bool, cut: int | None, flip: int | None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("crawl.warc.gz" if zipped else "crawl.warc")
        path.write_bytes(_warc(records, cut, flip, zipped))
        _check_read(path)


PAGES = st.builds(
    Page,
    id=st.text(min_size=1, max_size=20),
    kind=st.sampled_from(["text", "html"]),
    content=HTMLISH,
    url=st.none() | st.text(max_size=40) | st.just("https://www.example.com/2023/09/14/story"),
    title=st.none() | st.text(max_size=30),
    published=st.none() | st.sampled_from(["2023-09-14", "2023-02-30", "0000-00-00"]),
    source=st.none() | st.text(max_size=10),
    captured=st.none() | st.sampled_from(["2023-09-14T08:00:00Z", "2023-09-14"]),
)


def _check_article(page: Page, article) -> None:  # noqa: ANN001
    assert article.id == page.id
    assert all(isinstance(p, str) and p.strip() and "\n" not in p for p in article.paragraphs)
    lines = len(page.content.splitlines()) or 1
    assert all(1 <= r.line for r in article.removed)
    if page.kind == "text":
        assert all(r.line <= lines for r in article.removed)
    assert article.published is None or DAY.fullmatch(article.published)
    assert all(DAY.fullmatch(d) for d in article.dates_mentioned)


@EXAMPLES
@given(page=PAGES)
def test_the_cleaner_raises_only_input_error_and_keeps_its_invariants(page: Page) -> None:
    try:
        article = clean(page)
    except InputError as error:
        assert "\n" not in str(error)
        return
    _check_article(page, article)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages=st.lists(PAGES, max_size=6, unique_by=lambda p: p.id))
def test_a_batch_never_raises_and_each_page_is_an_article_or_a_problem(pages: list[Page]) -> None:
    articles, problems = clean_pages(pages)
    assert len(articles) + len(problems) == len(pages)
    by_id = {p.id: p for p in pages}
    for article in articles:
        _check_article(by_id[article.id], article)
