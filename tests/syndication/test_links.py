"""The verified links of copy detection as sorted arrays (`syndication.links.Links`)."""

from __future__ import annotations

import numpy as np

from newsfold.syndication.candidates import groups_by_key
from newsfold.syndication.links import Links


def test_a_link_reads_from_both_ends_once_frozen() -> None:
    links = Links(4)
    links.add(3, 1, 40)
    links.freeze()
    assert (links.of(1), links.of(3), links.of(0)) == ({3: 40}, {1: 40}, {})


def test_the_last_write_of_a_pair_wins() -> None:
    links = Links(3)
    links.add(0, 2, 40)
    links.freeze()
    links.add(2, 0, 7)
    links.freeze()
    assert links.of(0) == {2: 7}


def test_a_cut_link_is_gone_from_both_ends() -> None:
    links = Links(3)
    links.add(0, 1, 5)
    links.add(0, 2, 6)
    links.freeze()
    links.cut(1, 0)
    links.freeze()
    assert (links.of(0), links.of(1), links.has(0, 1), links.has(0, 2)) == ({2: 6}, {}, False, True)


def test_linked_sees_links_added_since_the_last_freeze_and_has_does_not() -> None:
    links = Links(3)
    links.add(0, 1, 5)
    assert (links.linked(1), links.linked(2), links.has(0, 1)) == (True, False, False)


def test_pairs_lists_each_link_once_with_the_smaller_article_first() -> None:
    links = Links(5)
    for i, j in [(4, 0), (2, 1), (3, 0)]:
        links.add(i, j, 1)
    links.freeze()
    assert list(links.pairs()) == [(0, 3), (0, 4), (1, 2)]


def test_groups_by_key_lists_shared_keys_in_the_order_of_their_first_holder() -> None:
    keys = np.array([7, 5, 7, 9, 5, 3, 5], dtype=np.int64)
    used = np.array([True, True, True, True, True, True, False])
    assert list(groups_by_key(keys, used)) == [[0, 2], [1, 4]]
