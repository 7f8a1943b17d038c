"""engine.spark: every stage on Spark executors gives the local engine's fold; the driver sees no text.

One Spark session for the module (starting one takes seconds), with a small driver memory; one fold per
test.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

import pytest

from newsfold.cluster.profile import Profile
from newsfold.cluster.threads import StoryFacts, stories_by_thread, story_facts
from newsfold.engine.local import fold_paths
from newsfold.export import article_to_dict, fold_to_dict, story_to_dict
from newsfold.models import Article, Page, Story

pytest.importorskip("pyspark")
pytestmark = pytest.mark.spark

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # workers need the interpreter with newsfold
    session = (
        SparkSession.builder.master("local[2]")
        .appName("newsfold-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "512m")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def mixed_corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The seeds, 20 origins of the syndication benchmark republished (bench/syndication/build.py) and
    the first 40 ECB+ dev documents: copies, excerpts, versions and independent reports of one event."""
    sys.path.insert(0, str(REPO))
    try:
        from bench.syndication.build import build, half_of, independent, load_bases
    finally:
        sys.path.remove(str(REPO))
    root = tmp_path_factory.mktemp("mixed")
    bases, _ = independent(load_bases())
    dev = [b for b in bases if half_of(b) == "dev"][:20]
    (root / "syndication").mkdir()
    for page in build(dev, [b for b in bases if half_of(b) != "dev"], seed=7):
        (root / "syndication" / f"{page.id}.txt").write_text(page.dump, encoding="utf-8")
    ecb = (SHARED / "bench" / "ecbplus" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[:40]
    (root / "ecbplus.jsonl").write_text("\n".join(ecb) + "\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    return [SHARED / "corpus" / "seeds", root / "syndication", root / "ecbplus.jsonl", root / "empty.txt"]


@pytest.fixture(scope="module")
def folded(spark, mixed_corpus: list[Path], tmp_path_factory: pytest.TempPathFactory):
    """The mixed corpus folded by both engines: (local FoldResult, Spark summary, its Parquet folder,
    everything the driver collected or broadcast during the Spark fold, (stage, partitions) of every
    shuffle the fold made)."""
    from pyspark import RDD, SparkContext

    from newsfold.engine.spark import fold_spark_to

    received: list[Any] = []
    shuffles: list[tuple[str, int]] = []
    collect, broadcast, partition_by = RDD.collect, SparkContext.broadcast, RDD.partitionBy

    def spying_collect(self: RDD) -> list[Any]:
        rows = collect(self)
        received.append(rows)
        return rows

    def spying_broadcast(self: SparkContext, value: Any) -> Any:
        received.append(value)
        return broadcast(self, value)

    def spying_partition_by(self: RDD, partitions: int, *args: Any, **kwargs: Any) -> RDD:
        # Every shuffle of the RDD API (groupByKey, reduceByKey, join, cogroup, sortByKey) goes through here.
        shuffles.append((self.context.getLocalProperty("spark.newsfold.stage"), partitions))
        return partition_by(self, partitions, *args, **kwargs)

    out = tmp_path_factory.mktemp("spark") / "out"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RDD, "collect", spying_collect)
        patch.setattr(SparkContext, "broadcast", spying_broadcast)
        patch.setattr(RDD, "partitionBy", spying_partition_by)
        summary = fold_spark_to(mixed_corpus, out, spark=spark, partitions=3)
    return fold_paths(mixed_corpus), summary, out, received, shuffles


def _dataset(out: Path, name: str) -> list[dict[str, Any]]:
    import pyarrow.parquet as pq

    return pq.read_table(out / name).to_pylist()


def test_spark_stories_origins_and_story_json_equal_the_local_fold(folded) -> None:
    local, summary, out, _, _ = folded
    assert any(len(s.origins) > 1 for s in local.stories)  # copies and independent reports both present
    assert any(len(s.articles) > len(s.origins) for s in local.stories)
    stories = sorted(_dataset(out, "stories"), key=lambda row: row["position"])
    assert [json.loads(row["story"]) for row in stories] == [story_to_dict(s) for s in local.stories]
    articles = sorted(_dataset(out, "articles"), key=lambda row: row["position"])
    assert [json.loads(row["article"]) for row in articles] == [article_to_dict(a) for a in local.articles]
    copies = sorted((c.article, c.of, c.relation) for s in local.stories for c in s.copies)
    assert sorted((r["article"], r["of"], r["relation"]) for r in _dataset(out, "copy_links")) == copies
    assert (summary.articles, summary.stories) == (len(local.articles), len(local.stories))
    assert [p.reason for p in summary.problems] == ["empty file"]


def _texts(value: Any) -> list[str]:
    """The kinds of article text (or what is made of it: a clustering profile, a story's thread facts)
    found anywhere inside a value the driver received."""
    if isinstance(value, Article | Page | Story | Profile | StoryFacts):
        return [type(value).__name__]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in _texts(k) + _texts(v)]
    if isinstance(value, list | tuple | set | frozenset):
        return [t for item in value for t in _texts(item)]
    if is_dataclass(value) and not isinstance(value, type):
        return [t for f in fields(value) for t in _texts(getattr(value, f.name))]
    return []


def test_the_driver_receives_no_article_text(folded) -> None:
    received = folded[3]
    assert received  # the spies saw the driver's collects
    assert _texts(received) == []


def test_no_shuffle_of_the_thread_stage_gathers_the_stories_into_one_task(folded) -> None:
    """Threads link stories anywhere in the corpus, yet story facts, key buckets and thread components
    each spread over the partitions asked for."""
    in_threads = [partitions for stage, partitions in folded[4] if stage == "threads"]
    assert in_threads and min(in_threads) > 1, folded[4]


def test_threads_on_spark_equal_the_local_threads(spark, mixed_corpus: list[Path]) -> None:
    """Loose thread bars, so stories make threads of several and related lists, and more index keys held
    by fewer stories, so some keys are held past `key_stories` (they relate nothing)."""
    from collections import Counter
    from dataclasses import replace

    from newsfold.cluster.profile import profiles_of
    from newsfold.engine.spark import fold_spark
    from newsfold.settings import Settings, ThreadSettings

    loose = ThreadSettings(names_cosine=0.0, terms_cosine=0.15, names_covered=0.0, related_score=0.0)
    settings = replace(Settings(), threads=replace(loose, index_keys=12, key_stories=2))
    paths = [mixed_corpus[0], mixed_corpus[2]]  # the seeds and the ECB+ documents
    local = fold_paths(paths, settings=settings)
    assert any(len(stories) > 1 for _, stories in stories_by_thread(local.stories))
    assert any(s.related for s in local.stories)
    profiles = {p.id: p for p in profiles_of(local.articles, settings.cluster)}
    held = Counter(
        key
        for n, s in enumerate(local.stories)
        for key in story_facts(s, n, [profiles[a] for a in s.articles], settings).keys
    )
    assert max(held.values()) > settings.threads.key_stories
    distributed = fold_spark(paths, spark=spark, partitions=3, settings=settings)
    assert fold_to_dict(distributed) == fold_to_dict(local)


def test_load_puts_the_spark_fold_into_a_store(folded, tmp_path: Path) -> None:
    from newsfold.engine.spark_load import load_folder
    from newsfold.store import Store

    local, _, out, _, _ = folded
    report = load_folder(out, tmp_path / "folded.db")
    assert sorted(report.added) == sorted(a.id for a in local.articles)
    with Store(tmp_path / "folded.db", create=False) as store:
        assert sorted(s["id"] for s in store.stories()) == sorted(s.id for s in local.stories)
    assert load_folder(out, tmp_path / "folded.db").added == []  # the same folder again: nothing new


def test_spark_gives_repeated_ids_the_names_a_local_read_gives(spark, tmp_path: Path, make_warc) -> None:
    from newsfold.engine.spark import fold_spark

    page = b"<html><body><p>The harbour bridge closes on Monday for two years of repairs, the council said."
    for name in ("a", "b"):
        (tmp_path / f"{name}.warc.gz").write_bytes(
            make_warc([("https://x.test/1", "text/html", page + name.encode(), f"2023-09-1{len(name)}")])
        )
    local = fold_paths([tmp_path])
    distributed = fold_spark([tmp_path], spark=spark, partitions=2)
    assert fold_to_dict(distributed) == fold_to_dict(local)
    assert (
        [a.id for a in distributed.articles]
        == [a.id for a in local.articles]
        == [
            "https://x.test/1",
            "https://x.test/1@2023-09-11",
        ]
    )


@pytest.fixture
def whole_corpus_runs(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records each time copy detection falls back to one task over the whole corpus."""
    from newsfold.engine import spark_copies

    runs: list[bool] = []
    whole = spark_copies.whole_corpus_origins

    def spying(placed: Any, settings: Any) -> Any:
        runs.append(True)
        return whole(placed, settings)

    monkeypatch.setattr(spark_copies, "whole_corpus_origins", spying)
    return runs


def test_a_page_of_nothing_but_boilerplate_folds_as_locally(
    spark, seeds_dir: Path, tmp_path: Path, whole_corpus_runs: list[bool]
) -> None:
    """Its boilerplate sentences relate it only to pages of nothing but boilerplate, which its sentences
    link into its component: copies still run by component, with no task over the whole corpus."""
    from collections import Counter

    from newsfold.engine.spark import fold_spark
    from newsfold.settings import SyndicationSettings
    from newsfold.syndication.evidence import evidence_keys

    notice = (
        "The harbour office says every ferry to the islands is cancelled until the storm has passed.\n"
        "Passengers holding tickets for Friday can change them free of charge at any harbour office.\n"
        "The storm is expected to reach the coast late on Thursday night with winds of 120 km an hour.\n"
    )
    for n in range(SyndicationSettings().max_sentence_fanout + 2):  # each sentence held past the fanout
        site = tmp_path / f"site{n}"
        site.mkdir()
        (site / "notice.txt").write_text(f"Ferry notice number {n}\n{notice}", encoding="utf-8")
    local = fold_paths([seeds_dir, tmp_path])
    keys = [evidence_keys(a, SyndicationSettings()).sentences for a in local.articles]
    held = Counter(k for article_keys in keys for k in article_keys)
    fanout = SyndicationSettings().max_sentence_fanout
    assert any(ks and all(held[k] > fanout for k in ks) for ks in keys)  # pages of nothing but boilerplate
    assert fold_to_dict(fold_spark([seeds_dir, tmp_path], spark=spark, partitions=2)) == fold_to_dict(local)
    assert whole_corpus_runs == []


def test_pages_of_nothing_but_a_footer_most_pages_print_fold_as_locally(
    spark, tmp_path: Path, whole_corpus_runs: list[bool]
) -> None:
    """The footer's first holders are ordinary pages (which it does not relate); the pages of nothing but
    the footer pair among themselves, linked into one component."""
    from newsfold.engine.spark import fold_spark
    from newsfold.settings import SyndicationSettings

    footer = (
        "Sign up for our newsletter to get the latest news from the city every morning.\n"
        "Our reporters cover the council, the courts and the schools of the whole county.\n"
    )
    for n in range(SyndicationSettings().max_sentence_fanout + 5):
        site = tmp_path / f"a{n:02d}"
        site.mkdir()
        own = "".join(
            f"The town{n} council met on day {d} to weigh plan number {d} for the harbour of town{n}.\n"
            for d in range(4)
        )
        (site / "news.txt").write_text(f"Town{n} harbour plan\n{own}{footer}", encoding="utf-8")
    for n in range(3):
        site = tmp_path / f"z{n}"
        site.mkdir()
        (site / "newsletter.txt").write_text(f"Newsletter {n}\n{footer}", encoding="utf-8")
    local = fold_paths([tmp_path])
    bare = ("z0/newsletter.txt", "z1/newsletter.txt", "z2/newsletter.txt")
    assert any(bare in s.origins for s in local.stories)  # one origin group of the three
    assert fold_to_dict(fold_spark([tmp_path], spark=spark, partitions=2)) == fold_to_dict(local)
    assert whole_corpus_runs == []


def test_the_cli_folds_on_spark_as_it_folds_locally(spark, seeds_dir: Path) -> None:
    from typer.testing import CliRunner

    from newsfold.cli import app

    # The module's session is active, so the command's session (getOrCreate) is that one: no second start.
    runner = CliRunner()
    spark_args = ["--engine", "spark", "--spark-master", "local[2]"]
    on_spark = runner.invoke(app, ["fold", str(seeds_dir), *spark_args, "--json"])
    local = runner.invoke(app, ["fold", str(seeds_dir), "--json", "--workers", "1"])
    assert on_spark.exit_code == 0 and local.exit_code == 0, on_spark.output
    assert json.loads(on_spark.stdout)["stories"] and json.loads(on_spark.stdout) == json.loads(local.stdout)


def test_spark_reads_hadoop_uris_as_the_local_engine_reads_the_same_files(
    spark, seeds_dir: Path, tmp_path: Path, make_warc
) -> None:
    """file:// URIs go through Spark's Hadoop filesystem (listed and fetched by `binaryFile`), as hdfs://
    or s3a:// would on a cluster; a folder, a JSONL file and a WARC read as the local engine reads them."""
    from newsfold.engine.spark import fold_spark

    text = "Harbour bridge closes\nThe harbour bridge closes on Monday for two years, the council said."
    record = {"id": "feed-1", "text": text}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    page = b"<html><body><p>The airport tram line opens in May after four years of works, the city said."
    (tmp_path / "crawl.warc.gz").write_bytes(make_warc([("https://y.test/tram", "text/html", page)]))
    files = [seeds_dir, tmp_path / "feed.jsonl", tmp_path / "crawl.warc.gz"]
    local = fold_paths(files)
    distributed = fold_spark([f.as_uri() for f in files], spark=spark, partitions=2)
    assert {"feed-1", "https://y.test/tram"} <= {a.id for a in local.articles}
    assert fold_to_dict(distributed) == fold_to_dict(local)


def test_ids_stay_unique_across_local_paths_and_uris(spark, tmp_path: Path) -> None:
    from newsfold.engine.spark import fold_spark

    for folder, day in (("a", "Monday"), ("b", "Tuesday")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "page.txt").write_text(
            f"Ferry strike\nFerry crews strike on {day} over pay, the union said in a statement.\n",
            encoding="utf-8",
        )
    local = fold_paths([tmp_path / "a", tmp_path / "b"])
    distributed = fold_spark([str(tmp_path / "a"), (tmp_path / "b").as_uri()], spark=spark, partitions=2)
    expected = ["page.txt", "b/page.txt"]
    assert [a.id for a in distributed.articles] == [a.id for a in local.articles] == expected


@pytest.mark.parametrize(
    ("uri", "reason"),
    [
        ("file:///no/such/crawl", "no such file or folder"),
        ("nosuchfs://host/crawl", "no Hadoop filesystem for the scheme 'nosuchfs'"),
    ],
)
def test_a_uri_spark_cannot_list_is_one_line_naming_it(spark, uri: str, reason: str) -> None:
    from typer.testing import CliRunner

    from newsfold.cli import app

    spark_args = ["--engine", "spark", "--spark-master", "local[2]"]
    result = CliRunner().invoke(app, ["fold", uri, *spark_args, "--json"])
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert len(lines) == 1 and lines[0].startswith(f"newsfold: {uri}: {reason}"), lines


def test_a_story_printed_by_more_sites_than_the_fanout_folds_by_component(
    spark, seeds_dir: Path, tmp_path: Path, whole_corpus_runs: list[bool]
) -> None:
    """A wire story on more sites than `max_sentence_fanout`: its sentences are a syndicated story's, not
    boilerplate (decided on the executors as `sentence_index` decides it), so copies still run by
    component and give the local fold."""
    from newsfold.engine.spark import fold_spark
    from newsfold.settings import SyndicationSettings

    story = (
        "The regional rail operator will close the coastal line for six weeks of track repairs this summer.\n"
        "Replacement buses will run every twenty minutes between the harbour and the old town station.\n"
        "The operator said the work was delayed twice because of a shortage of engineers last year.\n"
        "Season tickets will be refunded in part for the weeks the line stays closed to passengers.\n"
    )
    sites = SyndicationSettings().max_sentence_fanout + 3
    for n in range(sites):
        site = tmp_path / f"site{n}"
        site.mkdir()
        (site / "rail.txt").write_text(f"Coastal line closes for repairs\n{story}", encoding="utf-8")
    local = fold_paths([seeds_dir, tmp_path])
    assert any(len(s.articles) == sites for s in local.stories)  # one story of every copy
    assert fold_to_dict(fold_spark([seeds_dir, tmp_path], spark=spark, partitions=2)) == fold_to_dict(local)
    assert whole_corpus_runs == []


def test_pages_are_cleaned_in_the_local_engines_chunks(spark, tmp_path: Path) -> None:
    """A page's cleaning reads the other pages of its batch (a site's template lines): Spark cleans the
    local engine's chunks (input order, `clean_chunk_pages` at a time), so the articles are the same."""
    import random
    from dataclasses import replace

    from newsfold.engine.spark import fold_spark
    from newsfold.settings import Settings

    words = "harbour council bridge ferry storm tram airport station union strike budget school".split()
    pick = random.Random(3).choice
    records = []
    line = "Read the Harbour Gazette every morning for the latest news from the coast."
    for n in range(12):  # one site; a footer line on three pages, one in each chunk of four
        body = "\n".join(" ".join(pick(words) for _ in range(14)).capitalize() + "." for _ in range(5))
        footer = line if n % 4 == 1 else ""
        text = f"Headline number {n} about the {pick(words)}\n{body}\n{footer}\n"
        records.append(json.dumps({"id": f"p{n:02}", "url": f"https://gazette.test/{n}", "text": text}))
    (tmp_path / "feed.jsonl").write_text("\n".join(records) + "\n", encoding="utf-8")
    small = replace(Settings(), engine=replace(Settings().engine, clean_chunk_pages=4))
    local = fold_paths([tmp_path], settings=small)
    whole = fold_paths([tmp_path])
    assert fold_to_dict(local)["articles"] != fold_to_dict(whole)["articles"]  # the batch is the context
    distributed = fold_spark([tmp_path], spark=spark, partitions=2, settings=small)
    assert fold_to_dict(distributed) == fold_to_dict(local)


def _clashing_roots(tmp_path: Path) -> list[Path]:
    """Three folders whose files clash by id, nested and not: `b`'s page.txt is renamed b/page.txt, which
    `a` holds already; `c` holds b/x/page.txt, the name `b`'s x/page.txt takes; `a`'s own files are many."""
    files = [
        "a/page.txt",
        "a/x/page.txt",
        "a/b/page.txt",
        "a/b/x/deep/page.txt",
        "a/.hidden/page.txt",
        "a/.page.txt",
        "a/notes.md",
        *(f"a/own{n}.txt" for n in range(5)),
        "b/page.txt",
        "b/x/page.txt",
        "b/x/deep/page.txt",
        "c/b/x/page.txt",
        "c/page.txt",
    ]
    for n, name in enumerate(files):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(f"Ferry strike {n}\nFerry crews strike on day {n} over pay.\n")
    return [tmp_path / "a", tmp_path / "b", tmp_path / "c"]


def _listed_ids(spark: Any, paths: list[Any]) -> list[tuple[int, str]]:
    from newsfold.engine.spark_input import spark_inputs

    inputs = spark_inputs(spark, paths, 10**6, on_problem=lambda e: None, partitions=3)
    rows = inputs.files.map(lambda row: (row[2], row[1])).collect()
    assert len(rows) == inputs.count
    return sorted(rows)


@pytest.mark.parametrize("as_uri", [(False, False, False), (True, True, True), (False, True, False)])
def test_files_listed_on_the_executors_get_the_local_ids_and_order(
    spark, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, as_uri: tuple[bool, ...]
) -> None:
    from newsfold.engine import spark_input
    from newsfold.read import list_inputs

    monkeypatch.setattr(spark_input, "_SHARE_FILES", 2)  # `a`'s own files listed by several tasks
    roots = _clashing_roots(tmp_path)
    local = [file_id for _, file_id in list_inputs(roots, on_problem=lambda e: None)]
    given = [root.as_uri() if uri else str(root) for root, uri in zip(roots, as_uri, strict=True)]
    assert "b/page.txt#2" in local and "c/b/x/page.txt" in local and len(local) == 14
    assert _listed_ids(spark, given) == list(enumerate(local))


def test_the_driver_lists_no_folder_below_the_inputs_given(spark, tmp_path: Path, monkeypatch) -> None:
    """The folders are walked on the executors (other processes): the driver only reads the entries of
    each input given, so its memory does not grow with the files below them."""
    from pyspark import RDD

    from newsfold.engine.spark_input import spark_inputs

    walked: list[Path] = []
    scanned: list[Path] = []
    collected: list[Any] = []
    rglob, scandir, collect = Path.rglob, os.scandir, RDD.collect

    def spying_rglob(self: Path, pattern: str) -> Any:
        walked.append(self)
        return rglob(self, pattern)

    def spying_scandir(path: Any = ".") -> Any:
        scanned.append(Path(path))
        return scandir(path)

    def spying_collect(self: RDD) -> list[Any]:
        rows = collect(self)
        collected.extend(rows)
        return rows

    for n in range(6):
        (tmp_path / f"site{n}" / "2024").mkdir(parents=True)
        (tmp_path / f"site{n}" / "2024" / f"story{n}.txt").write_text(f"Story {n}\nA report on day {n}.\n")
    monkeypatch.setattr(Path, "rglob", spying_rglob)
    monkeypatch.setattr(os, "scandir", spying_scandir)
    monkeypatch.setattr(RDD, "collect", spying_collect)
    inputs = spark_inputs(spark, [tmp_path], 10**6, lambda e: None)
    assert walked == [] and scanned == [tmp_path]  # the folder given: its entries only
    # Spark's sort samples a few keys (ids, at most 20 a partition): never a file's path.
    assert collected and not any(str(tmp_path) in str(row) for row in collected)
    listed = sorted((order, file_id) for _, file_id, order in inputs.files.collect())
    assert [file_id for _, file_id in listed] == [f"site{n}/2024/story{n}.txt" for n in range(6)]


def test_listing_problems_come_one_line_each_in_the_order_given(spark, tmp_path: Path) -> None:
    from newsfold.engine.spark_input import spark_inputs

    (tmp_path / "notes.md").write_text("not a page")
    (tmp_path / "crawl").mkdir()
    (tmp_path / "crawl" / "big.txt").write_text("Big\n" + "word " * 100)
    (tmp_path / "crawl" / "small.txt").write_text("Small\nA short page.\n")
    problems: list[tuple[str, str]] = []
    paths = [
        (tmp_path / "crawl").as_uri(),
        str(tmp_path / "no-such"),
        str(tmp_path / "notes.md"),
        (tmp_path / "notes.md").as_uri(),
    ]
    inputs = spark_inputs(spark, paths, 100, lambda e: problems.append((e.path, e.reason[:12])), 2)
    assert problems[0][0].startswith("file:") and problems[0][0].endswith("/crawl/big.txt")
    assert [p for p, _ in problems[1:]] == [
        str(tmp_path / "no-such"),
        str(tmp_path / "notes.md"),
        (tmp_path / "notes.md").as_uri(),
    ]
    assert [reason for _, reason in problems] == ["file of 504 ", "no such file", *["unsupported "] * 2]
    assert [row[1] for row in inputs.files.collect()] == ["small.txt"]
