"""schemathesis against the app's own /openapi.json: every operation, generated requests, the responses
checked against the schema (status codes, content types, bodies) and never a server error."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, given, settings  # noqa: E402

from newsfold.engine.incremental import ingest_pages  # noqa: E402
from newsfold.models import Page  # noqa: E402
from newsfold.store import Store  # noqa: E402
from newsfold.web import create_app  # noqa: E402

TEXTS = (
    "The city council voted on Tuesday to close the old harbour to cargo ships, a decision that port "
    "workers said would cost hundreds of jobs in the town. <script>alert(1)</script>",
    "A forest fire near the northern village of Aldea burned for three days before crews contained it. "
    "Officials said about 400 hectares of pine forest were lost and two houses were damaged.",
)


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db: Path = tmp_path_factory.mktemp("api") / "news.db"
    with Store(db) as store:
        pages = [Page(f"p{k}.txt", "text", f"{t}\n", source_path=f"p{k}.txt") for k, t in enumerate(TEXTS)]
        ingest_pages(store, pages)
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(db))


def test_every_api_operation_answers_as_its_schema_says(api_schema) -> None:  # type: ignore[no-untyped-def]
    # Each operation's generated cases through hypothesis directly (schemathesis' pytest plugin does not
    # load with this pytest).
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 4
    for operation in operations:

        @given(operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
        def check(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate()

        check()
