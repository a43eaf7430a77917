"""The webhook channel: one delivery posted to one endpoint, signed as Standard Webhooks sign
(https://www.standardwebhooks.com): headers webhook-id (the delivery's id, the same on every attempt),
webhook-timestamp and webhook-signature over "id.timestamp.body".

Sending only: trying again, backing off and dead-lettering are the caller's (the deliveries worker),
which reads `DeliveryError.permanent`. The URL is checked again right before sending, and the
connection goes to an address that check allowed (its host name still given as Host and for TLS), so
a name that resolves elsewhere between the check and the connection cannot send it inward.
"""

import json
from datetime import UTC, datetime
from typing import Any

import httpx
from standardwebhooks import Webhook

from service.alerts.channels import DeliveryError
from service.alerts.webhook_urls import UnresolvedHost, resolve_webhook_url
from service.errors import FieldError
from service.models import WebhookEndpoint

RETRIED_CLIENT_ERRORS = frozenset({408, 429})  # Request Timeout, Too Many Requests: later may work


class WebhookGone(DeliveryError):
    """The receiver answered 410 Gone: the endpoint is no more. Permanent; the caller disables the
    endpoint (`service.alerts.webhooks.disable_gone`) so that no later delivery is sent to it."""

    def __init__(self, message: str) -> None:
        super().__init__(message, permanent=True)


def signed_headers(endpoint: WebhookEndpoint, *, delivery_id: str, payload: bytes) -> dict[str, str]:
    """Signed with the secret, and with the one it replaced while that one still signs (space-separated,
    as Standard Webhooks allows: a receiver accepts the delivery if any signature verifies)."""
    moment = datetime.now(UTC)
    secrets = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and moment < endpoint.previous_secret_until
    ):
        secrets.append(endpoint.previous_secret)
    return {
        "content-type": "application/json",
        "webhook-id": delivery_id,
        "webhook-timestamp": str(int(moment.timestamp())),
        "webhook-signature": " ".join(
            Webhook(secret).sign(delivery_id, moment, payload) for secret in secrets
        ),
    }


def post_webhook(
    client: httpx.Client,
    endpoint: WebhookEndpoint,
    *,
    delivery_id: str,
    body: dict[str, Any],
    timeout: float,
    allow_private: bool,
) -> None:
    """Post `body` to the endpoint, signed. Returns when the receiver answered 2xx; else raises
    DeliveryError: permanent for a URL no longer allowed, a disabled endpoint, 410 (WebhookGone), a
    redirect (not followed) or another 4xx but 408 and 429; tried again for those, 5xx, a timeout or
    a connection that failed."""
    if endpoint.disabled_at is not None:
        raise DeliveryError(f"the webhook endpoint {endpoint.id} is disabled", permanent=True)
    try:
        addresses = resolve_webhook_url(endpoint.url, allow_private=allow_private)
    except FieldError as error:
        permanent = not isinstance(error, UnresolvedHost)  # a name server that is down comes back
        raise DeliveryError(f"{endpoint.url}: {error.message}", permanent=permanent) from error
    payload = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    headers = signed_headers(endpoint, delivery_id=delivery_id, payload=payload)
    url = httpx.URL(endpoint.url)
    response, failure = None, ""
    for address in addresses:  # the first that accepts the connection
        request = client.build_request(
            "POST",
            url.copy_with(host=str(address)),
            content=payload,
            headers={**headers, "host": url.netloc.decode("ascii")},
            timeout=timeout,
            extensions={"sni_hostname": url.raw_host.decode("ascii")},
        )
        try:
            # Streamed and closed unread: only the status matters, and a receiver's endless body
            # cannot hold the worker.
            response = client.send(request, stream=True, follow_redirects=False)
            response.close()
            break
        except httpx.ConnectError as error:
            failure = f"{endpoint.url}: could not connect to {address}: {error}"
        except httpx.HTTPError as error:  # timed out, or the connection broke
            raise DeliveryError(f"{endpoint.url}: {type(error).__name__}: {error}") from error
    if response is None:
        raise DeliveryError(failure)
    _judge(endpoint.url, response)


def _judge(url: str, response: httpx.Response) -> None:
    status = response.status_code
    answer = f"{url} answered {status} {response.reason_phrase}".rstrip()
    if 200 <= status < 300:
        return
    if status == 410:
        raise WebhookGone(answer)
    if 300 <= status < 400:
        raise DeliveryError(f"{answer}: redirects are not followed; register the final URL", permanent=True)
    if 400 <= status < 500 and status not in RETRIED_CLIENT_ERRORS:
        raise DeliveryError(answer, permanent=True)
    raise DeliveryError(answer)
