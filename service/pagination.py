"""Bounded offset pagination shared by the list endpoints and pages."""

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 50
ItemT = TypeVar("ItemT")


class PageParams(BaseModel):
    offset: int
    limit: int


def page_params(
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="How many items to skip.")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size.")] = DEFAULT_PAGE_SIZE,
) -> PageParams:
    return PageParams(offset=offset, limit=limit)


PageDep = Annotated[PageParams, Depends(page_params)]


class Page(BaseModel, Generic[ItemT]):
    items: list[ItemT]
    total: int
    offset: int
    limit: int


@dataclass(frozen=True)
class PageSpan:
    """Where a page lies in its list, for a person: item numbers from 1, and the offsets of the pages
    to link to. An offset past the end leads back to the last page."""

    offset: int
    limit: int
    total: int

    @property
    def first_number(self) -> int:
        return self.offset + 1

    @property
    def last_number(self) -> int:
        return min(self.offset + self.limit, self.total)

    @property
    def last_page_offset(self) -> int:
        return max(self.total - 1, 0) // self.limit * self.limit

    @property
    def previous_offset(self) -> int | None:
        if self.offset == 0:
            return None
        return min(max(self.offset - self.limit, 0), self.last_page_offset)

    @property
    def next_offset(self) -> int | None:
        following = self.offset + self.limit
        return following if following < self.total else None

    @property
    def past_the_end(self) -> bool:
        return self.offset > 0 and self.offset >= self.total
