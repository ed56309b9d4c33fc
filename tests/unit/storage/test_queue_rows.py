"""The queue save's plan (pure): what it writes is exactly the difference, and applying it
to the stored rows always gives the wanted queue."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from ktvdesk.storage.queue_rows import GAP, RowPlan, plan_rows

Stored = list[tuple[int, str]]


def apply(stored: Stored, plan: RowPlan, wanted: list[str]) -> Stored:
    """What the table holds after the plan: kept rows untouched, deleted ones gone, new ones in."""
    rows = {position: identity for position, identity in stored}
    for position in plan.delete:
        del rows[position]
    for position, index in plan.insert:
        assert position not in rows, "an insert landed on a row that stays"
        rows[position] = wanted[index]
    return sorted(rows.items())


def stored_as(identities: list[str], spacing: int = GAP) -> Stored:
    return [(index * spacing, identity) for index, identity in enumerate(identities)]


QUEUE = [f"song{n}" for n in range(300)]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from("abcdef"), max_size=20),
    st.lists(st.sampled_from("abcdefg"), max_size=20),
    st.sampled_from([1, 2, 3, GAP]),
    st.integers(-5, 5),
)
def test_applying_the_plan_gives_the_wanted_queue(
    before: list[str], after: list[str], spacing: int, offset: int
) -> None:
    stored = [(position + offset, identity) for position, identity in stored_as(before, spacing)]
    plan = plan_rows(stored, after)
    result = apply(stored, plan, after)
    assert [identity for _, identity in result] == after
    # Kept rows are not written at all; everything written is counted once.
    assert len(plan.kept) + len(plan.insert) == len(after)
    assert len(plan.kept) + len(plan.delete) == len(before)


def test_one_edit_writes_one_row() -> None:
    stored = stored_as(QUEUE)
    cases = {
        "add at the end": ([*QUEUE, "new"], 0, 1),
        "add in the middle (a phone's fair turn)": ([*QUEUE[:150], "new", *QUEUE[150:]], 0, 1),
        "remove": (QUEUE[:10] + QUEUE[11:], 1, 0),
        "next song (head taken)": (QUEUE[1:], 1, 0),
        "to the top (置顶)": ([QUEUE[299], *QUEUE[:299]], 1, 1),
        "moved down": (QUEUE[:5] + QUEUE[6:200] + [QUEUE[5]] + QUEUE[200:], 1, 1),
        "nothing changed": (list(QUEUE), 0, 0),
    }
    for name, (wanted, deleted, inserted) in cases.items():
        plan = plan_rows(stored, wanted)
        assert (len(plan.delete), len(plan.insert)) == (deleted, inserted), name
        assert [identity for _, identity in apply(stored, plan, wanted)] == wanted, name


def test_a_song_queued_twice_keeps_both_rows() -> None:
    stored = stored_as(["a", "b", "a"])
    plan = plan_rows(stored, ["a", "b", "a", "a"])
    assert (plan.delete, len(plan.insert)) == ((), 1)


def test_no_room_between_neighbours_rewrites_the_queue() -> None:
    """Rows saved by an older ktvdesk sit at 0, 1, 2…: the first insert between two of
    them rewrites everything with gaps; the next one fits."""
    stored = stored_as(["a", "b", "c"], spacing=1)
    wanted = ["a", "x", "b", "c"]
    plan = plan_rows(stored, wanted)
    assert len(plan.delete) == 3 and len(plan.insert) == 4
    rewritten = apply(stored, plan, wanted)
    assert [identity for _, identity in rewritten] == wanted
    again = ["a", "x", "y", "b", "c"]
    plan = plan_rows(rewritten, again)
    assert (len(plan.delete), len(plan.insert)) == (0, 1)


def test_repeated_inserts_at_one_spot_stay_correct_past_the_gap() -> None:
    """Halving the gap runs out after 32 inserts at the same spot: the plan rewrites."""
    rows = stored_as(["first", "last"])
    wanted = ["first", "last"]
    rewrites = 0
    for n in range(80):
        wanted = [wanted[0], f"n{n}", *wanted[1:]]
        plan = plan_rows(rows, wanted)
        rewrites += len(plan.delete) == len(rows) and len(rows) > 0 and not plan.kept
        rows = apply(rows, plan, wanted)
        assert [identity for _, identity in rows] == wanted
    assert 1 <= rewrites <= 3
