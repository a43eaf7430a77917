"""Pages of a ranked list of matches. The ranker has no offset (nor has the API): a page asks it for
every rank up to the page's end and one more, so that it knows whether another page follows, and the
list stops where the API's limit does."""

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Query
from starlette.datastructures import QueryParams

from service.matching.schemas import MAX_MATCHES

PAGE_MATCHES = 10

MatchOffset = Annotated[
    int, Query(ge=0, lt=MAX_MATCHES, description="How many of the best matches the page skips.")
]


def ranks_wanted(offset: int) -> int:
    """How many ranks to ask the ranker for, to show the page at `offset`."""
    return min(offset + PAGE_MATCHES + 1, MAX_MATCHES)


def shown_ranks(offset: int) -> slice:
    """The ranks the page at `offset` shows (not the one more it asks for): what its reader saw."""
    return slice(offset, offset + PAGE_MATCHES)


@dataclass(frozen=True)
class MatchWindow:
    """One page of ranks out of the `found` the ranker gave for it."""

    offset: int
    found: int

    @property
    def first_number(self) -> int:
        return self.offset + 1

    @property
    def last_number(self) -> int:
        return min(self.offset + PAGE_MATCHES, self.found)

    @property
    def shown(self) -> slice:
        return shown_ranks(self.offset)

    @property
    def previous_offset(self) -> int | None:
        return None if self.offset == 0 else max(self.offset - PAGE_MATCHES, 0)

    @property
    def next_offset(self) -> int | None:
        following = self.offset + PAGE_MATCHES
        return following if following < min(self.found, MAX_MATCHES) else None


def window_address(path: str, params: QueryParams, offset: int | None) -> str | None:
    """The same page with the same query at another offset, at its list (none: there is no such page)."""
    if offset is None:
        return None
    query = [(name, value) for name, value in params.multi_items() if name != "offset"]
    if offset:
        query.append(("offset", str(offset)))
    return path + (f"?{urlencode(query)}" if query else "") + "#matches"
