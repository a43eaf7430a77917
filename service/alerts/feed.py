"""The feed channel: a saved search's latest matches as an Atom 1.0 feed, for an owner without a
receiver of their own. Its address holds a secret (the only thing that lets a reader in, so a feed
reader needs no sign-in); the search stores only its hash, and rotating it ends the old address.

A paused search's feed still serves what the search found before it was paused: pausing stops the
finding, not the reading. Entries are newest first, at most FEED_ENTRIES of them; an entry's id is the
same for a (search, record) pair for as long as the service keeps its address, so a reader shows an
entry once however often the feed is read.
"""

from collections.abc import Sequence
from urllib.parse import quote, urlsplit

from feedgen.feed import FeedGenerator

from service.alerts.channels import record_link
from service.alerts.mail import band_in_words
from service.models import AlertMatch, SavedSearch

FEED_ENTRIES = 50
FEED_SECRET_PREFIX = "feed_"  # marks the secret of a feed address, as "im_" marks a token's
FEED_MEDIA_TYPE = "application/atom+xml"

AUTHOR = "Innomatch"


def feed_url(base_url: str, secret: str) -> str:
    return f"{base_url.rstrip('/')}/alerts/feed/{secret}.atom"


def _tag(base_url: str, search: SavedSearch, *rest: str) -> str:
    """A tag URI (RFC 4151) under the service's host, dated by the search's creation."""
    host = urlsplit(base_url).hostname or "localhost"
    specific = "/".join(["saved-search", str(search.id), *(quote(part, safe="") for part in rest)])
    return f"tag:{host},{search.created_at:%Y-%m-%d}:{specific}"


def entry_id(base_url: str, search: SavedSearch, match: AlertMatch) -> str:
    return _tag(base_url, search, match.record_kind, match.record_id)


def summary(search: SavedSearch, match: AlertMatch) -> str:
    """The match's reason in the search's language (its e-mails' too, not the reader's: a feed reader
    sends no cookie and no choice of language), after how strong the match is, in the e-mails' words."""
    reason = match.reason_en if search.language == "en" else match.reason_no
    band = band_in_words(search.language, match.band)
    return " – ".join(part for part in (band, reason.strip()) if part)


def atom_feed(search: SavedSearch, matches: Sequence[AlertMatch], *, base_url: str, self_url: str) -> bytes:
    """The feed of `matches` (newest first, as given). feedgen escapes every text it writes."""
    feed = FeedGenerator()
    feed.id(_tag(base_url, search))
    feed.title(search.name)
    feed.author({"name": AUTHOR})
    feed.generator(AUTHOR)  # not feedgen's name and version, which a reader has no use for
    feed.link(href=self_url, rel="self", type=FEED_MEDIA_TYPE)
    feed.link(href=base_url.rstrip("/") + "/", rel="alternate")
    feed.language(search.language)
    feed.updated(matches[0].found_at if matches else search.created_at)
    for match in matches:
        entry = feed.add_entry(order="append")
        entry.id(entry_id(base_url, search, match))
        entry.title(match.title)
        entry.link(href=record_link(base_url, match), rel="alternate")
        entry.updated(match.found_at)
        entry.summary(summary(search, match))
    atom: bytes = feed.atom_str(pretty=True)
    return atom
