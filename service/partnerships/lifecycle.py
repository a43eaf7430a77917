"""The statuses a partnership moves through: proposed -> in_dialogue -> pilot -> scaled; stopped from any."""

from typing import Literal

PartnershipStatus = Literal["proposed", "in_dialogue", "pilot", "scaled", "stopped"]

NEXT_STATUSES: dict[str, tuple[PartnershipStatus, ...]] = {
    "proposed": ("in_dialogue", "stopped"),
    "in_dialogue": ("pilot", "stopped"),
    "pilot": ("scaled", "stopped"),
    "scaled": ("stopped",),
    "stopped": (),  # final: a new start is a new proposal, so the history stays readable
}
# A pilot has run, so there is something measured to record.
OUTCOME_STATUSES = frozenset({"pilot", "scaled"})


def transition_problem(current: str, wanted: str) -> str | None:
    """Why `current` cannot become `wanted`, in words; None when it can."""
    allowed = NEXT_STATUSES[current]
    if wanted in allowed:
        return None
    if not allowed:
        return (
            f"The partnership is stopped, which is final, so it cannot move to '{wanted}': "
            "propose a new partnership to start again."
        )
    options = " or ".join(f"'{status}'" for status in allowed)
    return f"A partnership that is '{current}' can move to {options}, not to '{wanted}'."
