"""Choosing CPV codes on a form: whole divisions ticked by their name, finer codes typed in a box.
Both arrive as one list in the API's shape, and a stored list is split back the same way."""

import re
from collections.abc import Mapping, Sequence
from typing import Any

from service.cpv_divisions import is_division
from service.identifiers import normal_cpv_code

DIVISIONS_FIELD = "cpv_divisions"
TYPED_FIELD = "cpv_codes"
CODE_SEPARATORS = re.compile(r"[\s,;]+")


def typed_codes(text: str) -> list[str]:
    """Codes typed in one box, separated by commas, semicolons, spaces or lines."""
    return [code for code in CODE_SEPARATORS.split(text) if code]


def choice_codes(choice: Mapping[str, Any]) -> list[str]:
    """The ticked divisions, then the typed codes, each once, as the API takes them."""
    return list(dict.fromkeys(choice[DIVISIONS_FIELD] + typed_codes(choice[TYPED_FIELD])))


def chosen_codes(lists: Mapping[str, list[str]]) -> list[str]:
    """The codes a form sent, as the API takes them."""
    return choice_codes(sent_choice(lists))


def sent_choice(lists: Mapping[str, list[str]]) -> dict[str, Any]:
    """What the form sent, to show it again as it was."""
    return {
        DIVISIONS_FIELD: [code for code in lists.get(DIVISIONS_FIELD, []) if code],
        TYPED_FIELD: (lists.get(TYPED_FIELD) or [""])[-1],
    }


def stored_choice(codes: Sequence[str]) -> dict[str, Any]:
    """A stored list as the form shows it: whole divisions ticked, the finer codes typed."""
    normal_of = {code: normal_cpv_code(code) or code for code in codes}
    ticked = [normal for normal in normal_of.values() if is_division(normal)]
    typed = [code for code, normal in normal_of.items() if not is_division(normal)]
    return {DIVISIONS_FIELD: ticked, TYPED_FIELD: ", ".join(typed)}
