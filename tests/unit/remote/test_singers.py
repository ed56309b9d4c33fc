"""Fair turns: round robin among singers, the one on stage waits a round, drags stand."""

from __future__ import annotations

from ktvdesk.session_singers import SingerBook, TurnOrder, clean_singer, fair_index, singer_id


def _queue(requests: list[str], on_stage: str | None = None) -> list[str]:
    queued: list[str] = []
    for singer in requests:
        queued.insert(fair_index(queued, singer, on_stage=on_stage), singer)
    return queued


def test_a_burst_from_one_singer_does_not_hold_the_microphone() -> None:
    assert _queue(["a", "a", "a", "b", "c", "b"]) == ["a", "b", "c", "a", "b", "a"]


def test_alternating_requests_stay_in_round_robin_whatever_the_arrival_order() -> None:
    for requests in (list("abcabcabc"), list("aaabbbccc"), list("cbaabccab")):
        queued = _queue(requests)
        for start in range(0, 9, 3):
            assert sorted(queued[start : start + 3]) == ["a", "b", "c"], (requests, queued)


def test_the_singer_on_stage_waits_a_round() -> None:
    assert _queue(["a", "b"], on_stage="a") == ["b", "a"]
    assert _queue(["b", "a", "c"], on_stage="a") == ["b", "c", "a"]


def test_only_the_new_entry_moves() -> None:
    dragged = ["b", "a", "a", "c", "c"]  # the host dragged a's second song up
    assert fair_index(dragged, "d") == 4  # after the last first-round song, before c's second
    assert fair_index(dragged, "b") == 5  # b's second round: behind everything queued


def test_singer_book_first_come_and_key_memory() -> None:
    book = SingerBook(TurnOrder.FIRST_COME)
    assert book.place("x", [1, 2], None) is None
    book.assign(5, "  Lin  ")
    assert book.singer_of(5) == "Lin"
    book.remember_key(5, "local:1", -2)
    book.assign(9, "lin")
    assert book.key_for(9, "local:1") == -2  # same singer, another night's entry
    assert book.key_for(9, "local:2") is None
    book.remember_key(9, "local:1", 0)
    assert book.key_for(5, "local:1") is None
    book.keep_only([9])
    assert book.singer_of(5) is None


def test_names_are_cleaned() -> None:
    assert clean_singer("a\x00b\n  c" + "x" * 50) == ("ab c" + "x" * 50)[:24]
    assert singer_id("ÅSA") == singer_id("åsa")
