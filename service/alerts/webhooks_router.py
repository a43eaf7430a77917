"""HTTP layer for webhook endpoints: each caller their own, administrators everyone's. The secret is in
the answer to registering and to rotating, and nowhere else."""

from fastapi import APIRouter, Response, status

from service.alerts import webhooks
from service.alerts.schemas import WebhookFields, WebhookRead, WebhookWithSecret
from service.auth import SignedInCallerDep
from service.deps import SessionDep, SettingsDep
from service.pagination import Page, PageDep
from service.text_fields import RecordId

router = APIRouter(prefix="/api/v1/webhooks", tags=["alerts"])


@router.post("", response_model=WebhookWithSecret, status_code=status.HTTP_201_CREATED)
def create_webhook(
    session: SessionDep, settings: SettingsDep, caller: SignedInCallerDep, fields: WebhookFields
) -> WebhookWithSecret:
    """Register an endpoint for the webhook deliveries of the caller's saved searches. The answer holds
    its signing secret, shown this once."""
    endpoint = webhooks.create(
        session=session, fields=fields, caller=caller, allow_private=settings.webhook_allow_private
    )
    return WebhookWithSecret.model_validate(endpoint)


@router.get("", response_model=Page[WebhookRead])
def list_webhooks(session: SessionDep, caller: SignedInCallerDep, page: PageDep) -> Page[WebhookRead]:
    """The caller's endpoints, oldest first, without their secrets; an administrator sees everyone's."""
    items, total = webhooks.listed(session=session, caller=caller, offset=page.offset, limit=page.limit)
    return Page(
        items=[WebhookRead.model_validate(item) for item in items],
        total=total,
        offset=page.offset,
        limit=page.limit,
    )


@router.post("/{webhook_id}/rotate", response_model=WebhookWithSecret)
def rotate_webhook_secret(
    session: SessionDep, caller: SignedInCallerDep, webhook_id: RecordId
) -> WebhookWithSecret:
    """A new signing secret, shown this once and in force at once: the old one no longer signs."""
    return WebhookWithSecret.model_validate(
        webhooks.rotate(session=session, endpoint_id=webhook_id, caller=caller)
    )


@router.delete("/{webhook_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_webhook(session: SessionDep, caller: SignedInCallerDep, webhook_id: RecordId) -> Response:
    webhooks.delete(session=session, endpoint_id=webhook_id, caller=caller)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
