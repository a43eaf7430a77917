"""The feed channel through the live API (SQLite and PostgreSQL): a saved search's owner gets its Atom
feed's secret address once, a feed reader reads it without signing in, rotating ends the old address,
and no one else can make or read one. The matches are written straight to the database: the worker
that finds them is not built yet."""

import hashlib
import json
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.config import Settings
from service.db import make_engine
from service.models import AlertMatch, SavedSearch
from tests.support.records import audit_events

ATOM = "{http://www.w3.org/2005/Atom}"
FOUND = datetime(2026, 11, 2, 8, 0, tzinfo=UTC)
SCRIPT_TITLE = "<script>alert('x')</script> Lyttelogger & co"


def _token(api: httpx.Client, role: str) -> str:
    made = api.post("/api/v1/tokens", json={"name": f"feed {role}", "role": role})
    assert made.status_code == 201, made.text
    secret: str = made.json()["token"]
    return secret


def _as(api: httpx.Client, token: str) -> httpx.Client:
    return httpx.Client(base_url=api.base_url, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _saved(client: httpx.Client, **fields: Any) -> int:
    response = client.post(
        "/api/v1/saved-searches", json={"kind": "solutions_for_text", "channels": ["feed"], **fields}
    )
    assert response.status_code == 201, response.text
    search_id: int = response.json()["id"]
    return search_id


def _found(settings: Settings, search_id: int, matches: list[dict[str, Any]]) -> None:
    engine = make_engine(settings.resolved_database_url)
    with Session(engine) as session:
        session.add_all(AlertMatch(saved_search_id=search_id, **match) for match in matches)
        session.commit()
    engine.dispose()


def _stored_hash(settings: Settings, search_id: int) -> str | None:
    engine = make_engine(settings.resolved_database_url)
    with engine.connect() as connection:
        stored = connection.scalar(select(SavedSearch.feed_secret_hash).where(SavedSearch.id == search_id))
    engine.dispose()
    return stored


def _rotated(client: httpx.Client, settings: Settings, search_id: int) -> str:
    """The feed's path, from the address answered once."""
    response = client.post(f"/api/v1/saved-searches/{search_id}/feed")
    assert response.status_code == 200, response.text
    address = response.json()["feed_url"]
    assert address.startswith(settings.public_base_url.rstrip("/") + "/alerts/feed/feed_")
    assert address.endswith(".atom")
    secret = address.rsplit("/", 1)[1].removesuffix(".atom")
    assert len(secret) >= len("feed_") + 43, "256 random bits"
    assert _stored_hash(settings, search_id) == hashlib.sha256(secret.encode()).hexdigest()
    path: str = urlsplit(address).path
    return path


def _read(base_url: str, path: str) -> httpx.Response:
    """As a feed reader does: no token, no cookie."""
    return httpx.get(base_url + path, timeout=30)


def _entries(response: httpx.Response) -> tuple[ET.Element, list[dict[str, str]]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.tag == f"{ATOM}feed"
    entries = [
        {
            "id": entry.findtext(f"{ATOM}id", ""),
            "title": entry.findtext(f"{ATOM}title", ""),
            "link": next(entry.iter(f"{ATOM}link")).get("href", ""),
            "updated": entry.findtext(f"{ATOM}updated", ""),
            "summary": entry.findtext(f"{ATOM}summary", ""),
        }
        for entry in feed.findall(f"{ATOM}entry")
    ]
    return feed, entries


def test_the_owner_gets_a_secret_feed_address_that_rotating_replaces(
    api: httpx.Client, settings: Settings
) -> None:
    base = str(api.base_url).rstrip("/")
    public = settings.public_base_url.rstrip("/")
    with _as(api, _token(api, "staff")) as staff, _as(api, _token(api, "staff")) as other:
        search_id = _saved(staff, name="Vannlekkasjer <i>& trykk</i>", text="lekkasjer i vannledninger")
        # 52 found, a minute apart, the newest a title that is markup; the feed shows the latest 50.
        _found(
            settings,
            search_id,
            [
                {
                    "record_kind": "solution",
                    "record_id": str(100 + minute),
                    "title": SCRIPT_TITLE if minute == 51 else f"Løsning {minute}",
                    "score": 0.8,
                    "band": ("strong", "moderate", "weak")[minute % 3],
                    "reason_en": f"Both are about water leaks ({minute}).",
                    "reason_no": f"Begge handler om vannlekkasjer ({minute}).",
                    "found_at": FOUND + timedelta(minutes=minute),
                }
                for minute in range(52)
            ],
        )
        assert _stored_hash(settings, search_id) is None, "no feed until its owner asks for one"
        assert other.post(f"/api/v1/saved-searches/{search_id}/feed").status_code == 403
        assert _stored_hash(settings, search_id) is None, "a refused rotation stores nothing"
        assert staff.post("/api/v1/saved-searches/999999/feed").status_code == 404

        first = _rotated(staff, settings, search_id)
        response = _read(base, first)
        assert "private" in response.headers["cache-control"], "no shared cache keeps a secret feed"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "default-src" in response.headers["content-security-policy"]
        assert b"<script>" not in response.content and b"&lt;script&gt;" in response.content
        assert b"feedgen" not in response.content, "the feed does not name the library and its version"
        feed, entries = _entries(response)
        assert feed.findtext(f"{ATOM}title") == "Vannlekkasjer <i>& trykk</i>", "the name, as text"
        assert len(entries) == 50
        assert [entry["title"] for entry in entries[:3]] == [SCRIPT_TITLE, "Løsning 50", "Løsning 49"]
        assert entries[-1]["title"] == "Løsning 2", "newest first, the oldest two left out"
        assert [entry["link"] for entry in entries[:2]] == [
            f"{public}/solutions/151",
            f"{public}/solutions/150",
        ]
        assert datetime.fromisoformat(entries[0]["updated"]) == FOUND + timedelta(minutes=51)
        assert entries[0]["summary"] == "Sterkt treff – Begge handler om vannlekkasjer (51)."
        assert entries[1]["summary"] == "Svakt treff – Begge handler om vannlekkasjer (50)."
        ids = [entry["id"] for entry in entries]
        assert len(set(ids)) == 50 and all(entry_id.startswith("tag:") for entry_id in ids)
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["self"] == public + first

        assert staff.patch(f"/api/v1/saved-searches/{search_id}", json={"paused": True}).status_code == 200
        assert _entries(_read(base, first))[1] == entries, "a paused search's feed shows what it found"

        second = _rotated(staff, settings, search_id)
        assert second != first
        assert _read(base, first).status_code == 404, "the old address stops at once"
        assert [entry["id"] for entry in _entries(_read(base, second))[1]] == ids, "entry ids are stable"
        admin_made = _rotated(api, settings, search_id)
        assert _read(base, second).status_code == 404 and _read(base, admin_made).status_code == 200

    unknown = _read(base, "/alerts/feed/feed_" + "A" * 43 + ".atom")
    assert unknown.status_code == 404 and "feed_" not in unknown.text
    assert _read(base, "/alerts/feed/.atom").status_code == 404
    events = audit_events(api, subject_kind="saved_search", subject_id=search_id)
    assert [event["action"] for event in events].count("saved_search.feed_rotated") == 3
    trail = json.dumps(audit_events(api))
    for path in (first, second, admin_made):
        assert path.rsplit("/", 1)[1].removesuffix(".atom") not in trail, "the trail never holds a secret"


def test_an_english_search_feeds_english_reasons_and_only_its_own_matches(
    api: httpx.Client, settings: Settings
) -> None:
    base = str(api.base_url).rstrip("/")
    with _as(api, _token(api, "staff")) as staff:
        english = _saved(staff, name="Leaks", text="water leaks", language="en")
        other = _saved(staff, name="Lekkasjer", text="vannlekkasjer")
        match = {
            "record_kind": "need",
            "record_id": "7",
            "title": "Lekkasjesøk",
            "band": None,
            "reason_en": "A new need on water loss.",
            "reason_no": "Et nytt behov om vanntap.",
            "found_at": FOUND,
        }
        _found(settings, english, [match])
        _found(settings, other, [{**match, "record_id": "8", "title": "Annet behov"}])
        feed, entries = _entries(_read(base, _rotated(staff, settings, english)))
    assert feed.findtext(f"{ATOM}title") == "Leaks"
    assert [(entry["title"], entry["summary"]) for entry in entries] == [
        ("Lekkasjesøk", "A new need on water loss.")
    ], "no band on a new need; another search's matches are not in it"
    assert entries[0]["link"] == settings.public_base_url.rstrip("/") + "/needs/7"
