"""store: SQLite round trips, idempotent ingest, atomic writes."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from newsfold.errors import StoreError
from newsfold.models import Article, Page, RemovedLine
from newsfold.store import Store, article_from_dict


def _page(i: int, text: str = "Body text.") -> Page:
    return Page(id=f"p{i}.txt", kind="text", content=text, source_path=f"/x/p{i}.txt")


def test_article_round_trips_through_its_stored_json(tmp_path: Path) -> None:
    article = Article(
        id="p1.txt",
        title="T",
        paragraphs=("One.",),
        body_lines=(2,),
        removed=(RemovedLine(1, "Menu", "navigation"),),
    )
    with Store(tmp_path / "db") as store:
        store.write([_page(1)], [article], {"p1.txt": "s-1"}, [], [], {})
        assert store.article("p1.txt") == article
        assert store.articles() == [article]


def test_a_split_text_round_trips_through_its_stored_record() -> None:
    from newsfold.settings import SyndicationSettings
    from newsfold.store import _text_from_record, text_record
    from newsfold.syndication.evidence import split_for_evidence

    article = Article(
        id="p1.txt",
        title="A Headline of Several Words",
        paragraphs=("The first sentence of the body is long enough to count. A second \ud800 one follows.",),
        body_lines=(3,),
        removed=(RemovedLine(1, "Subscribe today and read every story we publish for a year.", "promo"),),
    )
    text = split_for_evidence(article, SyndicationSettings())
    assert text.passages and text.removed_keys and text.lead and text.title  # every field is exercised
    assert _text_from_record(text_record(text)) == text
    assert _text_from_record(b"not a record") is None


def test_a_clustering_profile_round_trips_through_its_stored_record() -> None:
    from newsfold.cluster.profile import Lexicon, profile_of
    from newsfold.settings import ClusterSettings
    from newsfold.store import _profile_from_record, _profile_record

    body = ("Kim Jong Un met Putin at Vostochny on Sept. 13, 2023.",)
    article = Article("p1", "Kim Jong Un meets Putin in Vostochny", body)
    profile = profile_of(article, Lexicon(ClusterSettings()), ClusterSettings())
    assert profile.terms and profile.names and profile.years and profile.days  # every field is exercised
    read = _profile_from_record(_profile_record(profile))
    assert read == profile and list(read.terms) == list(profile.terms)  # the same weights, in order
    assert _profile_from_record(json.dumps(profile.to_state())) == profile  # a row before version 5


def test_the_stored_word_list_answers_as_the_list_and_is_taken_again_when_the_list_changed(
    tmp_path: Path,
) -> None:
    from newsfold.cluster.profile import word_frequencies
    from newsfold.settings import Settings, StoreSettings

    words = ["the", "harbour", "vostochny", "notawordatall", "nul\x00word"]
    with Store(tmp_path / "db", Settings(store=StoreSettings(word_list_min_articles=0))) as store:
        assert store.word_frequencies(words) == word_frequencies(words)  # the absent ones left out
        store._db.execute("DELETE FROM word_frequencies WHERE word = 'harbour'")
        assert "harbour" not in (store.word_frequencies(words) or {})  # the copy is what is read...
        store._db.execute("UPDATE meta SET value = '\"another list\"' WHERE key = 'word_list_source'")
        assert store.word_frequencies(words) == word_frequencies(words)  # ...until the list changes


def test_a_small_store_keeps_no_copy_of_the_word_list(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:  # no article, below `word_list_min_articles`
        assert store.word_frequencies(["the"]) is None
        assert store._db.execute("SELECT COUNT(*) FROM word_frequencies").fetchone() == (0,)


def test_pages_already_stored_are_unchanged_and_other_content_is_a_new_page_beside(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        store.write([_page(1)], [Article("p1.txt", None, ("Body text.",))], {}, [], [], {})
        new, unchanged = store.new_pages([_page(1), _page(1, "Other text."), _page(2)])
    assert [p.id for p in new] == ["p1.txt#2", "p2.txt"] and unchanged == ["p1.txt"]
    assert new[0].content == "Other text."


def test_a_failed_write_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        store.write([_page(1)], [Article("p1.txt", None, ("Body.",))], {}, [], [], {})
        with pytest.raises(StoreError, match="nothing was changed"):
            # p1 again violates the primary key halfway through the transaction
            store.write([_page(2), _page(1)], [], {}, [], [], {})
        assert store.article_ids() == ["p1.txt"]


def test_search_quotes_user_text(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        store.write(
            [_page(1)], [Article("p1.txt", "Quake", ("A quake hit Chile AND Peru.",))], {}, [], [], {}
        )
        assert [hit[0] for hit in store.search("chile AND")] == ["p1.txt"]  # AND is a word here
        assert store.search('"OR NEAR(') == []


def test_a_file_that_is_not_a_store_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"not sqlite at all" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(path)


def test_article_from_dict_ignores_unknown_keys() -> None:
    assert article_from_dict({"id": "a", "title": None, "paragraphs": ["x"], "future": 1}).paragraphs == (
        "x",
    )


def test_store_file_is_plain_sqlite(tmp_path: Path) -> None:
    Store(tmp_path / "db").close()
    tables = {r[0] for r in sqlite3.connect(tmp_path / "db").execute("SELECT name FROM sqlite_master")}
    assert {"pages", "articles", "articles_fts", "stories", "story_members"} <= tables


def test_a_page_keeps_its_container_hints(tmp_path: Path) -> None:
    page = Page(
        id="r1",
        kind="text",
        content="Body.",
        source_path="/x/feed.jsonl",
        url="https://www.example.com/a",
        title="Headline",
        published="2023-09-13",
        source="Example News",
        captured="2023-09-14",
    )
    with Store(tmp_path / "db") as store:
        store.write([page], [], {}, [], [], {})
        assert store.page("r1") == page


def test_recent_pages_are_the_latest_of_each_site_and_of_any(tmp_path: Path) -> None:
    pages = [
        Page(id=f"{site}{n}", kind="text", content=f"{site} {n}", url=f"https://{site}.example/{n}")
        for n in range(4)
        for site in ("a", "b", "c")
    ]
    with Store(tmp_path / "db") as store:
        store.write(pages, [], {}, [], [], {})
        recent = store.recent_pages(["a.example"], per_site=2, overall=2)
    assert [p.id for p in recent] == ["a2", "a3", "b3", "c3"]  # oldest first


def test_a_version_1_store_is_upgraded_in_place(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
        "INSERT INTO meta VALUES ('schema_version', '1');"
        "CREATE TABLE pages (id TEXT PRIMARY KEY, source_path TEXT NOT NULL, kind TEXT NOT NULL,"
        " sha256 TEXT NOT NULL, url TEXT, captured TEXT, content TEXT NOT NULL, seq INTEGER NOT NULL);"
        "INSERT INTO pages VALUES ('p1', '/x/p1.html', 'html', 'h', 'https://www.example.com/p1', NULL,"
        " '<p>Body.</p>', 1);"
    )
    db.commit()
    db.close()
    with Store(path) as store:
        assert store.page("p1") == Page(
            id="p1",
            kind="html",
            content="<p>Body.</p>",
            source_path="/x/p1.html",
            url="https://www.example.com/p1",
        )
        assert [p.id for p in store.recent_pages(["example.com"], per_site=5, overall=0)] == ["p1"]
    with Store(path) as store:  # the upgrade is recorded: opening again changes nothing
        assert store.page("p1") is not None


def _evidence_store(tmp_path: Path) -> Store:
    from newsfold.engine.incremental import ingest_articles

    lead = "The harbour bridge will close for two years of repairs, the city council decided on Tuesday."
    texts = [
        (lead, "Engineers found cracks in three of its steel supports during an inspection last month."),
        (lead, "Ferries will carry commuters across the bay while the work goes on, officials said."),
        ("A new library opened downtown with room for 200,000 books and a rooftop garden for readers.",),
    ]
    articles = [Article(f"a{k}", None, paragraphs) for k, paragraphs in enumerate(texts)]
    store = Store(tmp_path / "db")
    ingest_articles(store, [Page(a.id, "text", "\n".join(a.paragraphs)) for a in articles], articles)
    return store


def test_a_lede_bucket_lists_the_lead_key_of_each_article_filed_under_it(tmp_path: Path) -> None:
    with _evidence_store(tmp_path) as store:
        rows = store._db.execute("SELECT bucket FROM evidence WHERE bucket IS NOT NULL")
        found = store.bucket_holders({row[0] for row in rows})
        assert {a for a, _ in found} == {"a0", "a1", "a2"}
        harbour = {key for a, key in found if a == "a0"} & {key for a, key in found if a == "a1"}
        assert len(harbour) == 1  # the lead both harbour articles print
        assert store.evidence_counts("l", harbour) == {harbour.pop(): 2}


def test_evidence_holders_lists_every_holder_of_each_key_asked(tmp_path: Path) -> None:
    with _evidence_store(tmp_path) as store:
        kind, shared = store._db.execute(
            "SELECT kind, key FROM evidence GROUP BY kind, key HAVING COUNT(*) = 2 LIMIT 1"
        ).fetchone()
        (single,) = store._db.execute(
            "SELECT key FROM evidence WHERE kind = ? GROUP BY key HAVING COUNT(*) = 1 LIMIT 1", (kind,)
        ).fetchone()
        holders = store.evidence_holders(kind, [shared, single, 12345])
        assert sorted(map(len, holders.values())) == [1, 2]
        assert 12345 not in holders
        assert store.evidence_counts(kind, [shared, 12345]) == {shared: 2, 12345: 0}


def test_evidence_read_packed_is_the_evidence_tables_rows_in_their_order(tmp_path: Path) -> None:
    with _evidence_store(tmp_path) as store:
        from newsfold.store import _unpacked_evidence

        ids = ["a0", "a1", "a2"]
        packed = store.evidence_of(ids)
        (row,) = store._db.execute("SELECT evidence FROM article_texts WHERE article_id = 'a0'").fetchone()
        assert _unpacked_evidence(row) == packed["a0"]  # written packed at the ingest
        store._db.execute("UPDATE article_texts SET evidence = x'00' WHERE article_id = 'a1'")  # unreadable
        store._db.execute("UPDATE article_texts SET evidence = NULL WHERE article_id = 'a2'")
        assert store.evidence_of(ids) == packed
        store._db.execute("DELETE FROM article_texts")
        assert store.evidence_of(ids) == packed
        # buckets (None for the rows that have none) and every kind came through the packing
        assert {kind for rows in packed.values() for kind, _, _ in rows} == {"s", "l"}
        assert {bucket is None for rows in packed.values() for _, _, bucket in rows} == {True, False}


def test_batched_reads_take_63_bit_keys_exactly(tmp_path: Path) -> None:
    with _evidence_store(tmp_path) as store:
        kind, key, held = store._db.execute(
            "SELECT kind, key, COUNT(*) FROM evidence WHERE key > ? GROUP BY kind, key LIMIT 1", (2**60,)
        ).fetchone()
        # key + 1 differs from key only below float precision: it must not be read as the same number
        assert store.evidence_counts(kind, [key, key + 1]) == {key: held, key + 1: 0}
        assert list(store.evidence_holders(kind, [key + 1])) == []


def test_batched_reads_find_articles_by_any_id(tmp_path: Path) -> None:
    from newsfold.engine.incremental import ingest_articles

    odd = ["quote\"d", "nul\x00byte", "émoji 😀", *(f"n{k}" for k in range(600))]  # past one chunk
    text = "The harbour bridge will close for two years of repairs, the city council decided on Tuesday."
    articles = [Article(i, None, (f"{text} Page {k}.",)) for k, i in enumerate(odd)]
    with Store(tmp_path / "db") as store:
        ingest_articles(store, [Page(a.id, "text", a.paragraphs[0]) for a in articles], articles)
        assert [a.id for _, a in store.articles_by_id(reversed(odd))] == odd
        assert set(store.evidence_of(odd)) == set(odd)
        assert set(store.origin_groups_of(odd)) == set(odd)
