"""Page leads and headlines kept on disk while copy detection runs (`syndication.leads.LeadLog`)."""

from __future__ import annotations

from newsfold.syndication.leads import LeadLog


def _lead(k: int) -> tuple[tuple[str, bool], ...]:
    return ((f"lede number {k} of a story", k % 2 == 0), (f"second sentence {k}", True))


def test_records_read_back_by_position_in_any_order() -> None:
    log = LeadLog()
    for k in range(5):
        log.append(_lead(k), f"headline {k}")
    assert (log[3], log.titles[1], log[0], log.titles[-1]) == (_lead(3), "headline 1", _lead(0), "headline 4")
    log.close()


def test_an_in_order_pass_reads_every_record_after_random_reads_and_more_writes() -> None:
    log = LeadLog()
    for k in range(3):
        log.append(_lead(k), f"headline {k}")
    assert log[1] == _lead(1)
    log.append(_lead(3), "headline 3")
    assert list(log) == [_lead(k) for k in range(4)]
    assert list(log.titles) == [f"headline {k}" for k in range(4)]
    log.close()
