"""Webhook endpoints for their owners: registering one (its URL checked, its secret made and shown
once), listing, rotating the secret, deleting, and disabling one whose receiver said it is gone.

An endpoint belongs to whoever a saved search would (a person, or an integration's token that belongs
to nobody); only they and administrators see or change it. The secret is never listed, nor written
to the audit trail.
"""

import base64
import secrets
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from service.access import Principal
from service.alerts import repository
from service.alerts.ownership import listed_owner, owned, owner_of
from service.alerts.schemas import WebhookFields
from service.alerts.webhook_urls import check_webhook_url
from service.audit.service import record_event
from service.db import utc_now
from service.errors import FieldError, FieldErrors
from service.models import WebhookEndpoint

SECRET_BYTES = 32  # Standard Webhooks asks for 24 to 64 random bytes
ROTATION_OVERLAP = timedelta(hours=24)  # the old secret signs beside the new one this long


def new_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def create(
    *, session: Session, fields: WebhookFields, caller: Principal, allow_private: bool
) -> WebhookEndpoint:
    owner = owner_of(caller)
    try:
        check_webhook_url(fields.url, allow_private=allow_private)
    except FieldError as error:
        raise FieldErrors([error]) from error  # a 422 naming `url`
    endpoint = WebhookEndpoint(**owner, url=fields.url, description=fields.description, secret=new_secret())
    repository.add_endpoint(session, endpoint)
    session.flush()
    _record(session, endpoint, caller, "webhook.created")
    session.commit()
    return endpoint


def get_own(*, session: Session, endpoint_id: int, caller: Principal) -> WebhookEndpoint:
    """The endpoint if `caller` owns it or is an administrator; anyone else's is refused (403)."""
    return owned(repository.get_endpoint(session, endpoint_id), caller, kind="Webhook", record_id=endpoint_id)


def listed(
    *, session: Session, caller: Principal, offset: int, limit: int
) -> tuple[Sequence[WebhookEndpoint], int]:
    """The caller's own endpoints; an administrator's list holds everyone's."""
    return repository.list_endpoints(session, **listed_owner(caller), offset=offset, limit=limit)


def rotate(*, session: Session, endpoint_id: int, caller: Principal) -> WebhookEndpoint:
    """A new secret, signing at once; the old one signs beside it for ROTATION_OVERLAP, so that the
    receiver can switch without refusing a delivery."""
    endpoint = get_own(session=session, endpoint_id=endpoint_id, caller=caller)
    now = utc_now()
    endpoint.previous_secret, endpoint.previous_secret_until = endpoint.secret, now + ROTATION_OVERLAP
    endpoint.secret = new_secret()
    endpoint.rotated_at = now
    _record(session, endpoint, caller, "webhook.rotated")
    session.commit()
    return endpoint


def delete(*, session: Session, endpoint_id: int, caller: Principal) -> None:
    endpoint = get_own(session=session, endpoint_id=endpoint_id, caller=caller)
    _record(session, endpoint, caller, "webhook.deleted")
    repository.delete_endpoint(session, endpoint)
    session.commit()


def disable_gone(session: Session, endpoint: WebhookEndpoint, *, answer: str) -> None:
    """Stop sending to an endpoint whose receiver answered 410 Gone (the worker calls it on
    `WebhookGone`); in the caller's transaction. Its owner deletes it or registers another."""
    if endpoint.disabled_at is None:
        endpoint.disabled_at = utc_now()
        record_event(
            session,
            actor="alert deliveries",
            action="webhook.disabled",
            subject_kind="webhook",
            subject_id=endpoint.id,
            detail={**_detail(endpoint), "answer": answer},
        )


def _detail(endpoint: WebhookEndpoint) -> dict[str, Any]:
    return {
        "url": endpoint.url,
        "owner_user_id": endpoint.owner_user_id,
        "owner_token_id": endpoint.owner_token_id,
    }


def _record(session: Session, endpoint: WebhookEndpoint, caller: Principal, action: str) -> None:
    record_event(
        session,
        actor=caller.actor,
        action=action,
        subject_kind="webhook",
        subject_id=endpoint.id,
        detail=_detail(endpoint),
    )
