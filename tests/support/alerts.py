"""The people and records of an alert scenario, made through the service functions the API calls: a
supplier who follows the needs for their solution (by e-mail and webhook), and an officer whose new
need is that solution's own text, so that it matches it strongly."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.access import Principal
from service.accounts import users
from service.accounts.principals import principal_of
from service.accounts.schemas import UserCreate
from service.alerts import service as saved_searches
from service.alerts import webhooks
from service.alerts.schemas import SavedSearchFields, WebhookFields
from service.db import utc_now
from service.indexing import Indexes
from service.models import SavedSearch, Solution, WebhookEndpoint
from service.needs import service as needs
from service.needs.schemas import NeedCreate, NeedWritten


def add_user(session: Session, *, name: str, role: str, **binding: object) -> tuple[Principal, str]:
    """A person with an account (an invitation not yet used is enough here), as a caller; their address."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@innomatch.example"
    user_in = UserCreate.model_validate({"email": email, "name": name, "role": role, **binding})
    user, _secret = users.add(
        session=session,
        user_in=user_in,
        created_by="test",
        invite_valid_for=timedelta(hours=1),
        now=utc_now(),
    )
    return principal_of(user), email


def published_solutions(session: Session, count: int) -> list[Solution]:
    """The first `count` published solutions of a supplier."""
    statement = (
        select(Solution)
        .where(Solution.status == "published", Solution.supplier_id.is_not(None))
        .order_by(Solution.id)
        .limit(count)
    )
    return list(session.scalars(statement))


@dataclass(frozen=True)
class Follower:
    caller: Principal
    email: str
    search: SavedSearch
    endpoints: list[WebhookEndpoint]


def follow_solution(
    session: Session,
    indexes: Indexes,
    solution: Solution,
    *,
    name: str,
    webhook_urls: Sequence[str],
    channels: Sequence[str] = ("email", "webhook"),
) -> Follower:
    """A person of the solution's supplier who saves "needs for my solution" (immediately, strong
    matches) and registers an endpoint per URL."""
    caller, email = add_user(
        session, name="Siri Leverandør", role="supplier", supplier_id=solution.supplier_id
    )
    fields = SavedSearchFields(
        name=name,
        kind="needs_for_solution",
        solution_id=solution.id,
        frequency="immediately",
        min_band="strong",
        channels=list(channels),
    )
    search = saved_searches.create(session=session, indexes=indexes, fields=fields, caller=caller)
    endpoints = [
        webhooks.create(
            session=session,
            fields=WebhookFields(url=url, description="test receiver"),
            caller=caller,
            allow_private=True,
        )
        for url in webhook_urls
    ]
    return Follower(caller, email, search, endpoints)


def need_like(session: Session, indexes: Indexes, solution: Solution) -> NeedWritten:
    """An officer's new need in Bodø, in the words of `solution`."""
    officer, _email = add_user(session, name="Kari Kommune", role="officer", municipality_number="1804")
    need_in = NeedCreate(title=solution.title, description=solution.description, municipality_number="1804")
    return needs.create(session=session, indexes=indexes, need_in=need_in, caller=officer)
