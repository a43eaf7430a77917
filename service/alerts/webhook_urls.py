"""Where a webhook may go: https to a public address, checked when the URL is saved and again before
each sending (its name may resolve elsewhere by then). Loopback, private, link-local, multicast,
unspecified and reserved addresses, IPv4 or IPv6 (an IPv4 address mapped into IPv6 too), would let
anyone with an account make the service call what only it can reach; `INNOMATCH_WEBHOOK_ALLOW_PRIVATE`
allows them, and plain http, for a receiver on the same machine or network."""

import ipaddress
import socket
from urllib.parse import urlsplit

from service.errors import FieldError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnresolvedHost(FieldError):
    """The URL's host has no address now: refused when saved, tried again later when sending (a name
    server that is down)."""


def _why_not_public(address: Address) -> str | None:
    """What kind of address this is, if the service must not call it; None for a public one."""
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    if mapped is not None:
        return _why_not_public(mapped)
    for kind, found in (
        ("loopback", address.is_loopback),
        ("unspecified", address.is_unspecified),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
    ):
        if found:
            return kind
    return None if address.is_global else "not public"  # shared (100.64/10), documentation, ...


def resolve_webhook_url(url: str, *, allow_private: bool) -> list[Address]:
    """The addresses the URL's host resolves to, all of them allowed; else a FieldError on `url`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise FieldError(("url",), f"not a URL: {error}") from error
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise FieldError(
            ("url",),
            "a webhook URL must start with https://"
            + ("" if allow_private else " (http:// only where an administrator allows private addresses)"),
        )
    if not parts.hostname:
        raise FieldError(("url",), "a webhook URL needs a host name")
    if parts.username is not None or parts.password is not None:
        raise FieldError(
            ("url",), "a webhook URL takes no user name or password: the signature authenticates"
        )
    try:
        found = socket.getaddrinfo(
            parts.hostname, port or (443 if parts.scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (OSError, UnicodeError) as error:
        raise UnresolvedHost(("url",), f"the host {parts.hostname} cannot be resolved") from error
    addresses: list[Address] = []
    for _family, _type, _proto, _name, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])  # an IPv6 zone: fe80::1%eth0
        why = None if allow_private else _why_not_public(address)
        if why is not None:
            raise FieldError(
                ("url",),
                f"the host {parts.hostname} is at {address}, which is {why}: webhooks go to public "
                "addresses only, unless an administrator sets INNOMATCH_WEBHOOK_ALLOW_PRIVATE",
            )
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise UnresolvedHost(("url",), f"the host {parts.hostname} cannot be resolved")
    return addresses


def check_webhook_url(url: str, *, allow_private: bool) -> None:
    """Refuse (FieldError, a 422 on `url`) a URL a webhook may not go to."""
    resolve_webhook_url(url, allow_private=allow_private)
