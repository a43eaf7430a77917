"""The notices API over a real server: import by staff and admins only, list filters, detail, audit."""

from typing import Any

import httpx
import pytest

from service.identifiers import is_valid_organisation_number
from tests.service.notices.conftest import sample
from tests.support.servers import LiveServer

MINIMAL_CN_ID = "f42be27e-09cf-4f0e-a745-63ec689631e6"


def _files(*documents: tuple[str, bytes]) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (name, data, "application/xml")) for name, data in documents]


def _token(admin: httpx.Client, role: str, **binding: object) -> str:
    response = admin.post("/api/v1/tokens", json={"name": f"test {role}", "role": role, **binding})
    assert response.status_code == 201, response.text
    token: str = response.json()["token"]
    return token


def _supplier_token(admin: httpx.Client) -> str:
    number = next(str(n) for n in range(910_000_000, 920_000_000) if is_valid_organisation_number(str(n)))
    response = admin.post("/api/v1/suppliers", json={"name": "Lytt AS", "organisation_number": number})
    assert response.status_code == 201, response.text
    return _token(admin, "supplier", supplier_id=response.json()["id"])


def _items(client: httpx.Client, **params: Any) -> list[str]:
    response = client.get("/api/v1/notices", params=params)
    assert response.status_code == 200, response.text
    return sorted(item["notice_id"] for item in response.json()["items"])


def test_staff_import_others_are_refused_and_anyone_reads(live_server: LiveServer, api: httpx.Client) -> None:
    officer = _token(api, "officer", municipality_number="0301")
    supplier = _supplier_token(api)
    for token in (officer, supplier):
        with live_server.client(token=token) as client:
            refused = client.post("/api/v1/notices/import", files=_files(sample("cn_24_minimal.xml")))
            assert refused.status_code == 403, refused.text
    with live_server.client(token=None) as anonymous:
        assert (
            anonymous.post("/api/v1/notices/import", files=_files(sample("cn_24_minimal.xml"))).status_code
            == 401
        )
        assert anonymous.get("/api/v1/notices").json()["total"] == 0

    with live_server.client(token=_token(api, "staff")) as staff:
        answer = staff.post(
            "/api/v1/notices/import",
            files=_files(
                sample("cn_24_minimal.xml"),
                sample("INVALID_cn_24_empty.xml"),
                sample("can_24_maximal.xml"),
                sample("pin-buyer_24.xml"),
            ),
        )
        assert answer.status_code == 200, answer.text
        report = answer.json()
        assert [(d["name"], d["outcome"]) for d in report["documents"]] == [
            ("cn_24_minimal.xml", "imported"),
            ("INVALID_cn_24_empty.xml", "refused"),
            ("can_24_maximal.xml", "imported"),
            ("pin-buyer_24.xml", "imported"),
        ]
        assert report["documents"][1]["field"] == "notice_id" and "refused" in report["summary"]

        all_bad = staff.post("/api/v1/notices/import", files=_files(sample("INVALID_pin-only_24_empty.xml")))
        assert all_bad.status_code == 422 and all_bad.json()["documents"][0]["outcome"] == "refused"
        assert staff.post("/api/v1/notices/import", data={"x": "1"}).status_code == 415  # not multipart
        no_files = staff.post("/api/v1/notices/import", files=[("other", ("a.xml", b"<a/>", "text/xml"))])
        assert no_files.status_code == 422 and no_files.json()["detail"][0]["loc"] == ["body", "files"]
        again = staff.post("/api/v1/notices/import", files=_files(sample("cn_24_minimal.xml")))
        assert again.json()["documents"][0]["outcome"] == "unchanged"

    with live_server.client(token=None) as anonymous:
        listed = anonymous.get("/api/v1/notices").json()
        assert listed["total"] == 3
        notice = next(item for item in listed["items"] if item["notice_id"] == MINIMAL_CN_ID)
        assert notice["link"] == f"/api/v1/notices/{notice['id']}" and notice["source"] == "upload"
        detail = anonymous.get(notice["link"]).json()
        assert detail == notice
        need = anonymous.get(f"/api/v1/needs/{notice['need_id']}").json()
        assert need["origin"] == "notice" and need["title"] == notice["titles"]["en"]
        missing = anonymous.get("/api/v1/notices/999999")
        assert missing.status_code == 404 and "999999" in missing.json()["detail"]

    # Imports are audited as writes: the request, and each notice.
    audit = api.get("/api/v1/audit", params={"subject_kind": "procurement_notice"}).json()["items"]
    assert {(event["action"], event["subject_id"]) for event in audit} >= {("notice_imported", MINIMAL_CN_ID)}
    requests = api.get("/api/v1/audit", params={"subject_id": "POST /api/v1/notices/import"}).json()["items"]
    assert [event["detail"]["role"] for event in requests] == ["staff", "staff"]  # the 422 is no write


def test_list_filters(api: httpx.Client) -> None:
    response = api.post(
        "/api/v1/notices/import",
        files=_files(
            sample("cn_24_minimal.xml"),  # EU-PO, 2019-11-25? see below: kind cn, CPV 72...
            sample("can_24_minimal.xml"),
            sample("pin-buyer_24.xml"),
            sample("veat_24.xml"),
        ),
    )
    assert response.status_code == 200, response.text
    everything = _items(api)
    assert len(everything) == 4
    notices = {item["notice_id"]: item for item in api.get("/api/v1/notices").json()["items"]}
    by_kind = {item["kind"]: item for item in notices.values()}

    assert _items(api, kind="veat") == [by_kind["veat"]["notice_id"]]
    assert _items(api, kind="change") == []
    cn = by_kind["cn"]
    assert _items(api, buyer=cn["buyer_name"][1:4].lower()) == sorted(
        n for n, item in notices.items() if cn["buyer_name"][1:4].lower() in item["buyer_name"].lower()
    )
    can = by_kind["can"]
    assert can["notice_id"] in _items(api, buyer=can["buyer_organisation_number"])
    code = cn["main_cpv"][0]
    subtree = code.rstrip("0")[:3]
    assert _items(api, cpv=code) == sorted(
        n
        for n, item in notices.items()
        if any(
            c.startswith(code.rstrip("0").ljust(2, "0")) for c in item["main_cpv"] + item["additional_cpv"]
        )
    )
    assert cn["notice_id"] in _items(api, cpv=subtree)
    assert _items(api, cpv="03") == []  # agriculture: none of them
    # open_only: active, and no deadline or one not passed; all the samples' deadlines are past.
    assert _items(api, open_only="true") == sorted(
        n for n, item in notices.items() if item["tender_deadline"] is None
    )
    newest = max(item["publication_date"] for item in notices.values())
    assert _items(api, published_since=newest) == sorted(
        n for n, item in notices.items() if item["publication_date"] == newest
    )
    assert _items(api, municipality="0301") == [] and _items(api, county="03") == []
    bad = api.get("/api/v1/notices", params={"cpv": "4x"})
    assert bad.status_code == 422 and "cpv" in bad.text


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_too_many_or_too_large_files_are_refused_with_the_field(api: httpx.Client) -> None:
    many = api.post("/api/v1/notices/import", files=_files(*[(f"{n}.xml", b"<a/>") for n in range(101)]))
    assert many.status_code == 422 and many.json()["detail"][0]["loc"] == ["body", "files"], many.text
    large = api.post("/api/v1/notices/import", files=_files(("big.xml", b" " * (5 * 2**20 + 1))))
    assert large.status_code == 413 and "big.xml" in large.json()["detail"]
    assert api.get("/api/v1/notices").json()["total"] == 0
