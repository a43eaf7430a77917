"""The partnership status moves: one step forward or a stop, and the words of a refused move."""

import itertools

import pytest

from service.partnerships.lifecycle import OUTCOME_STATUSES, transition_problem

ORDER = ["proposed", "in_dialogue", "pilot", "scaled"]
STATUSES = [*ORDER, "stopped"]


def _allowed(current: str, wanted: str) -> bool:
    if current == "stopped":
        return False
    if wanted == "stopped":
        return True
    return wanted in ORDER and ORDER.index(wanted) == ORDER.index(current) + 1


@pytest.mark.parametrize(("current", "wanted"), list(itertools.product(STATUSES, STATUSES)))
def test_a_status_moves_one_step_forward_or_to_stopped_and_never_out_of_stopped(
    current: str, wanted: str
) -> None:
    assert (transition_problem(current, wanted) is None) is _allowed(current, wanted)


def test_a_refused_move_names_the_allowed_ones() -> None:
    assert transition_problem("proposed", "pilot") == (
        "A partnership that is 'proposed' can move to 'in_dialogue' or 'stopped', not to 'pilot'."
    )
    assert (
        transition_problem("scaled", "pilot")
        == "A partnership that is 'scaled' can move to 'stopped', not to 'pilot'."
    )


def test_a_stopped_partnership_is_final() -> None:
    assert transition_problem("stopped", "proposed") == (
        "The partnership is stopped, which is final, so it cannot move to 'proposed': "
        "propose a new partnership to start again."
    )


def test_outcomes_are_recorded_only_once_a_pilot_has_run() -> None:
    assert frozenset({"pilot", "scaled"}) == OUTCOME_STATUSES
