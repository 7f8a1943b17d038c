"""The spill: a fold's articles on disk, read back as the in-memory list they were."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsfold.engine.spill import Spill
from newsfold.models import Article, RemovedLine, Story


def _articles(n: int) -> list[Article]:
    return [
        Article(f"a{k}", f"Title {k}", (f"Paragraph {k}.",), removed=(RemovedLine(1, "Menu", "menu"),))
        for k in range(n)
    ]


# 0: on disk from the start; 800: held, then moved to disk by the second batch; 5000: held throughout.
HOLDS = [0, 800, 5000]


@pytest.mark.parametrize("hold", HOLDS)
def test_articles_read_back_by_position_slice_and_in_order(hold: int) -> None:
    articles = _articles(1203)  # more than one fetch of rows
    with Spill(hold_articles=hold) as spill:
        spill.add_articles(articles[:700])
        spill.add_articles(articles[700:])
        assert len(spill) == 1203 and spill.ids == [a.id for a in articles]
        assert spill[0] == articles[0] and spill[-1] == articles[-1] and spill[701] == articles[701]
        assert spill[500:510] == articles[500:510] and spill[1200:5000] == articles[1200:]
        assert list(spill) == articles
        assert (spill._held is not None) == (hold >= 1203)


@pytest.mark.parametrize("hold", HOLDS)
def test_stories_come_back_in_position_order_whatever_order_they_were_put(hold: int) -> None:
    stories = [Story(f"s{k}", None, (f"a{k}",)) for k in range(5)]
    with Spill(hold_articles=hold) as spill:
        for k in (3, 0, 4, 1, 2):
            spill.put_story(k, stories[k])
        assert list(spill.stories()) == stories


def test_the_file_is_gone_after_close() -> None:
    spill = Spill()
    folder = spill._folder.name
    spill.close()
    assert not Path(folder).exists()


@pytest.mark.parametrize("hold", [0, 5000])
def test_origin_groups_read_back_whole_and_their_members_without_reading(hold: int) -> None:
    from newsfold.engine.spill import SpilledGroups, group_members
    from newsfold.models import CopyLink, OriginGroup

    link = CopyLink("a1", "a0", "excerpt", 0.5, adds=("Read more.",), lacks=("Second paragraph.",))
    groups = [OriginGroup("a0", ("a0", "a1"), (link,)), OriginGroup("a2", ("a2",))]
    with Spill(hold_articles=hold) as spill:
        spill.add_articles(_articles(3))
        kept = spill.keep_groups(iter(groups))  # as syndication.stream_origins yields them
        assert list(kept) == groups and kept[-1] == groups[1]
        assert group_members(kept) == [("a0", "a1"), ("a2",)]
        assert isinstance(kept, SpilledGroups) == (hold == 0)
        if hold == 0:
            assert [g.members for g in kept.outlines()] == [("a0", "a1")]  # a group of one links nothing
            assert kept.outlines()[0].copies == ()
