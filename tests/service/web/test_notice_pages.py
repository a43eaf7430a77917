"""The pages of procurement notices over a real server: the list and its filters, one notice with every
field, 404 for an unknown one, the staff's import form (403 to others, refused without its CSRF token),
and the tag «Kunngjøring» on lists of needs."""

import re

import httpx
import pytest

from tests.support.accounts import add_person, csrf_token, signed_in_client
from tests.support.notices import BERGEN_NOTICE_ID, BERGEN_TITLE, bergen_notice, sample
from tests.support.records import create
from tests.support.servers import LiveServer

pytestmark = pytest.mark.slow
STAFF, OFFICER = "stine@innomatch.no", "kari@bergen.kommune.no"


def _import(api: httpx.Client, *names: str, extra: tuple[tuple[str, bytes], ...] = ()) -> None:
    files = [("files", (name, sample(name), "application/xml")) for name in names]
    files += [("files", (name, data, "application/xml")) for name, data in extra]
    answer = api.post("/api/v1/notices/import", files=files)
    assert answer.status_code == 200, answer.text


def _rows(page: str) -> list[str]:
    return re.findall(r'<a href="/notices/\d+"[^>]*>([^<]+)</a>', page)


def _notice_id(api: httpx.Client, notice_id: str) -> int:
    items = api.get("/api/v1/notices", params={"limit": 100}).json()["items"]
    return int(next(item["id"] for item in items if item["notice_id"] == notice_id))


def test_the_list_shows_each_notice_and_takes_the_apis_filters(
    live_server: LiveServer, api: httpx.Client
) -> None:
    _import(
        api,
        "can_24_maximal.xml",
        "pin-buyer_24.xml",
        "cn_24_open.xml",
        extra=(("bergen.xml", bergen_notice()),),
    )
    with live_server.client(token=None) as reader:
        every = reader.get("/notices")
        assert every.status_code == 200
        assert "Kunngjøringer" in every.text and "Viser 1–4 av 4 kunngjøringer, nyeste først." in every.text
        assert "Kunngjøring av konkurranseresultat" in every.text and "Veiledende kunngjøring" in every.text
        assert every.text.count('data-color="info">Kunngjøring</span>') == 4
        assert "Fristen er ute" in every.text  # cn_24_open's deadline of 2020
        assert 'action="/notices/import"' not in every.text, "the import form is for staff"

        def titles(**params: str) -> list[str]:
            answer = reader.get("/notices", params=params)
            assert answer.status_code == 200, answer.text
            return _rows(answer.text)

        [award] = titles(kind="can")
        assert len(titles(kind="pin")) == 1
        assert titles(municipality="4601") == [BERGEN_TITLE]
        assert titles(county="46") == [BERGEN_TITLE]
        assert titles(buyer="bergen") == [BERGEN_TITLE] == titles(buyer="964338531")
        assert titles(cpv="7223") == [BERGEN_TITLE]
        assert BERGEN_TITLE in titles(open_only="true") and len(titles(open_only="true")) == 3  # no CAN
        assert titles(published_since="2021-01-01") == [award]
        assert len(titles(kind="pin", county="", buyer="")) == 1, "an empty field is no filter"
        page = reader.get("/notices", params={"limit": 2})
        nxt = re.search(r'<a rel="next" href="([^"]+)"', page.text)
        assert nxt and len(_rows(page.text)) == 2
        assert len(_rows(reader.get(nxt.group(1).replace("&amp;", "&")).text)) == 2
        assert reader.get("/notices", params={"cpv": "x"}).status_code == 422


def test_a_notice_page_shows_every_field_and_an_unknown_one_is_404(
    live_server: LiveServer, api: httpx.Client
) -> None:
    _import(api, "can_24_maximal.xml", "cn_24_multilingual.xml", extra=(("bergen.xml", bergen_notice()),))
    with live_server.client(token=None) as reader:
        bergen = reader.get(f"/notices/{_notice_id(api, BERGEN_NOTICE_ID)}").text
        assert f'<h1 class="ds-heading" data-size="lg" lang="en">{BERGEN_TITLE}</h1>' in bergen
        assert BERGEN_NOTICE_ID in bergen and "versjon 01" in bergen
        assert "Kunngjøring av konkurranse" in bergen and "cn-standard" in bergen
        assert "964338531" in bergen and 'href="/municipalities/4601">Bergen</a>' in bergen
        assert "Vestland" in bergen and "NO0A2" in bergen
        assert "4. feb. 2099" in bergen and "Fristen er ute" not in bergen
        assert "Åpen anbudskonkurranse" in bergen and "lastet opp" in bergen
        assert "72230000" in bergen

        items = api.get("/api/v1/notices", params={"kind": "can"}).json()["items"]
        can = reader.get(f"/notices/{items[0]['id']}").text
        assert "Gyro Soft SA" in can and "927384203" in can, "the winners"
        assert "9\u00a0999\u00a0999,99\u00a0€" in can, "the value written the Norwegian way"
        assert "Konkurranse med forhandling" in can and "LOT-0001" in can

        items = api.get("/api/v1/notices", params={"kind": "cn", "buyer": "EU-PO"}).json()["items"]
        many = reader.get(f"/notices/{items[0]['id']}").text
        assert 'lang="sv"' in many and 'lang="de"' in many and "4\u00a0500\u00a0000,00\u00a0€" in many

        english = reader.get(f"/notices/{items[0]['id']}", params={"lang": "en"}).text
        assert "Contract notice" in english and "€4,500,000.00" in english

        missing = reader.get("/notices/999999")
        assert missing.status_code == 404 and "<h1" in missing.text


def test_staff_import_through_the_form_others_are_refused(live_server: LiveServer, database_url: str) -> None:
    add_person(database_url, STAFF, name="Stine Stab", role="staff")
    add_person(database_url, OFFICER, name="Kari Nordmann", role="officer", municipality_number="4601")
    files = [
        ("files", ("cn_24_minimal.xml", sample("cn_24_minimal.xml"), "application/xml")),
        ("files", ("INVALID_cn_24_empty.xml", sample("INVALID_cn_24_empty.xml"), "application/xml")),
    ]
    with signed_in_client(live_server.base_url, OFFICER) as officer:
        page = officer.get("/notices")
        assert 'action="/notices/import"' not in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)  # the header's sign-out form
        assert token
        refused = officer.post("/notices/import", data={"csrf_token": token.group(1)}, files=files)
        assert refused.status_code == 403
    with signed_in_client(live_server.base_url, STAFF) as staff:
        form = staff.get("/notices")
        assert (
            'action="/notices/import"' in form.text
            and 'accept=".xml' in form.text
            and " multiple " in form.text
        )
        forged = staff.post("/notices/import", data={"csrf_token": "not-the-token"}, files=files)
        assert forged.status_code == 403
        assert "No procurement notices yet." in staff.get("/notices").text, "nothing stored"

        answer = staff.post("/notices/import", data={"csrf_token": csrf_token(form)}, files=files)
        assert answer.status_code == 200, answer.text
        outcomes = re.findall(
            r'<tr class="import-outcome" data-outcome="(\w+)">\s*<td class="file-name">([^<]+)</td>',
            answer.text,
        )
        assert outcomes == [("imported", "cn_24_minimal.xml"), ("refused", "INVALID_cn_24_empty.xml")]
        assert '<span class="code">notice_id</span>' in answer.text
        assert len(_rows(answer.text)) == 1

        again = staff.post("/notices/import", data={"csrf_token": csrf_token(form)}, files=files[:1])
        assert 'data-outcome="unchanged"' in again.text
        nothing = staff.post(
            "/notices/import",
            data={"csrf_token": csrf_token(form)},
            files=[("files", ("", b"", "application/octet-stream"))],
        )
        assert nothing.status_code == 422 and "Choose one or more eForms XML files" in nothing.text


def test_a_need_from_a_notice_is_tagged_on_the_open_needs_list(
    live_server: LiveServer, api: httpx.Client
) -> None:
    _import(api, extra=(("bergen.xml", bergen_notice()),))
    notice = _notice_id(api, BERGEN_NOTICE_ID)
    with live_server.client(token=None) as reader:
        home = reader.get("/").text
        assert f'href="/notices/{notice}">Kunngjøring</a>' in home
        assert "Frist 4. feb. 2099" in home
        supplier = create(api, "suppliers", name="Lytt AS", organisation_number="974760673")
        solution = create(
            api,
            "solutions",
            title="IT services for publication systems",
            description="We run and develop the information systems of publications offices: EUR-Lex, search.",
            supplier_id=supplier["id"],
        )
        matches = reader.get(f"/solutions/{solution['id']}").text
        assert f'href="/notices/{notice}">Kunngjøring</a>' in matches, "a solution's matching needs"
