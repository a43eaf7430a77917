"""«Mine varsler»: a signed-in person's saved searches (issue 22) — list them, save a new one from the
page where the search was made ("Save this search"), change, pause, resume and delete them.

Like every page they only translate: form -> the API's schema (SavedSearchFields, SavedSearchUpdate) ->
the service functions the API calls (service/alerts/service.py) with the person's Principal, so who
may save what, who sees whose search (the owner and administrators; 403 for anyone else, 404 for none)
and what a search must hold are the API's. A wrong field is answered next to it (422) and nothing is
stored unless the whole search is valid.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from service.alerts import service as alerts
from service.alerts.schemas import SUBJECT_OF_KIND, SavedSearchFields, SavedSearchUpdate, SearchKind
from service.auth import SignedIn, signed_in
from service.deps import IndexesDep, SessionDep
from service.errors import FieldErrors, ForbiddenError
from service.matching.filters import MatchFilters
from service.models import Kpi, SavedSearch
from service.needs import service as needs
from service.solutions import service as solutions
from service.text_fields import RecordId
from service.web.browser_cookies import no_store
from service.web.errors import error_page
from service.web.field_reasons import reason_text
from service.web.forms import FormLists, SignedInForm, SignedInFormDep
from service.web.i18n import N_, page_locale
from service.web.messages import field_label, field_problem
from service.web.need_list import filter_choices
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
MY_ALERTS = "/alerts"
SHOWN = 500  # far more searches than one person keeps; the page says when there are more
FILTER_PREFIX = "filter_"  # the form's hidden filters: "language" is also the e-mails' language
FORM_FIELDS = ("name", "text", "frequency", "min_band", "channels", "language", "filters")
NAME_LENGTH = 100  # SearchName's
NOT_ALLOWED = N_(
    "You may not save this search: a supplier follows the needs for its own solutions, a procurement"
    " officer the solutions for its municipality's needs, and only programme staff follow new needs on a"
    " topic and new buyer groups."
)
NOT_YOURS = N_("This saved search belongs to someone else: only its owner and administrators see it.")
NO_TEXT = N_("Write what the search looks for.")
NO_TOPIC = N_("Choose at least one of county, municipality, KPI, U4SSC dimension, SDG or CPV code.")
KIND_NAMES = {  # what a search follows, in words: the list's and the form's
    "needs_for_solution": N_("New needs that match a solution"),
    "needs_for_text": N_("New needs that match a text"),
    "solutions_for_need": N_("New solutions for a need"),
    "solutions_for_text": N_("New solutions that match a text"),
    "new_needs": N_("New needs on a topic"),
    "new_buyer_groups": N_("New buyer groups"),
}


@dataclass(frozen=True)
class FilterNames:
    """What the filters' stored values are called: counties, municipalities, KPIs."""

    counties: dict[str, str]
    municipalities: dict[str, str]
    kpis: dict[str, Kpi]


def _filter_names(session: Session) -> FilterNames:
    choices = filter_choices(session)
    return FilterNames(
        counties={county.number: county.name for county in choices.counties},
        municipalities={
            place.number: place.name for county in choices.counties for place in county.municipalities
        },
        kpis={kpi.code: kpi for kpis in choices.kpis_by_dimension.values() for kpi in kpis},
    )


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    return no_store(templates.TemplateResponse(request, template, context, status_code=status))


def _sign_in_first(request: Request) -> Response:
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(back, safe='/')}", status_code=303)


def _refused(request: Request, reason: str) -> Response:
    return error_page(request, 403, detail=page_locale(request).gettext(reason))


def _own(request: Request, session: Session, person: SignedIn, search_id: int) -> SavedSearch | Response:
    """The search if it is the person's (or they administer); the refusal page if it is someone else's;
    a search that does not exist is the 404 page."""
    try:
        return alerts.get_own(session=session, search_id=search_id, caller=person.principal)
    except ForbiddenError:
        return _refused(request, NOT_YOURS)


# -- the list --


@router.get(MY_ALERTS, response_class=HTMLResponse)
def my_alerts(request: Request, session: SessionDep, done: str = "") -> Response:
    """The person's saved searches (an administrator's list holds everyone's, as in the API)."""
    person = signed_in(request, session)
    if person is None:
        return _sign_in_first(request)
    searches, total = alerts.listed(session=session, caller=person.principal, offset=0, limit=SHOWN)
    need_titles, solution_titles = alerts.subject_titles(session=session, searches=searches)
    context = {
        "searches": searches,
        "total": total,
        "need_titles": need_titles,
        "solution_titles": solution_titles,
        "last_sizes": alerts.last_notification_sizes(session=session, searches=searches),
        "names": _filter_names(session),
        "kind_names": KIND_NAMES,
        "done": done if done in ("saved", "changed", "deleted") else "",
        "csrf_token": person.csrf_token,
    }
    return _page(request, "alerts.html", context)


# -- the form's fields --


def _last(lists: Mapping[str, Sequence[str]], name: str) -> str:
    values = lists.get(name)
    return values[-1] if values else ""


def _sent(lists: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """What the form sent, as the form shows it again."""
    return {
        "kind": _last(lists, "kind"),
        "solution_id": _last(lists, "solution_id"),
        "need_id": _last(lists, "need_id"),
        "name": _last(lists, "name"),
        "text": _last(lists, "text"),
        "frequency": _last(lists, "frequency"),
        "min_band": _last(lists, "min_band"),
        "channels": [channel for channel in lists.get("channels", []) if channel],
        "language": _last(lists, "language"),
        "filters": {
            name.removeprefix(FILTER_PREFIX): values[-1]
            for name, values in lists.items()
            if name.startswith(FILTER_PREFIX) and values and values[-1]
        },
    }


def _choices(values: Mapping[str, Any]) -> dict[str, Any]:
    """The fields a person chooses, as the API's JSON sends them: an empty text is no text."""
    return {
        "name": values["name"],
        "text": values["text"].strip() or None if SUBJECT_OF_KIND.get(values["kind"]) == "text" else None,
        "frequency": values["frequency"],
        "min_band": values["min_band"],
        "channels": values["channels"],
        "language": values["language"],
    }


def _new_fields(values: Mapping[str, Any]) -> dict[str, Any]:
    subject = SUBJECT_OF_KIND.get(values["kind"])
    fields = {"kind": values["kind"], "filters": values["filters"], **_choices(values)}
    if subject in ("solution_id", "need_id"):
        fields[subject] = values[subject] or None
    return {name: value for name, value in fields.items() if value is not None}


def _values_of(search: SavedSearch) -> dict[str, Any]:
    return {
        "kind": search.kind,
        "solution_id": search.solution_id,
        "need_id": search.need_id,
        "name": search.name,
        "text": search.query_text or "",
        "frequency": search.frequency,
        "min_band": search.min_band,
        "channels": list(search.channels),
        "language": search.language,
        "filters": dict(search.filters),
    }


def _field_of(location: Sequence[str | int], kind: str) -> str:
    """The form field an error is about; an error of the whole search is about what the kind lacks."""
    if not location:
        return (
            "filters" if kind == "new_needs" else "text" if SUBJECT_OF_KIND.get(kind) == "text" else "subject"
        )
    name = str(location[0])
    return name if name in FORM_FIELDS else "subject"


def _whole_search_problem(message: str, request: Request) -> str:
    page = page_locale(request)
    if "needs text" in message:
        return page.gettext(NO_TEXT)
    if "new_needs search needs" in message:
        return page.gettext(NO_TOPIC)
    return message


def _shape_problems(request: Request, error: ValidationError, values: Mapping[str, Any]) -> dict[str, str]:
    """One sentence per wrong field (its first problem), keyed by the form's field."""
    page, problems, kind = page_locale(request), dict[str, str](), values["kind"]
    for item in error.errors(include_url=False):
        field = _field_of(item["loc"], kind)
        if item["loc"]:
            problem = field_problem(item, page)
        else:
            problem = _whole_search_problem(str(item["msg"]), request)
        problems.setdefault(field, problem)
    if SUBJECT_OF_KIND.get(kind) == "text" and not values["text"].strip():
        # pydantic checks the whole search only once each field is valid: say it now, not next time
        problems.setdefault("text", page.gettext(NO_TEXT))
    return problems


def _service_problems(request: Request, error: FieldErrors, kind: str) -> dict[str, str]:
    page, problems = page_locale(request), dict[str, str]()
    for item in error.errors:
        field = _field_of(item.location, kind)
        if item.location:
            reason = reason_text(item.reason, item.message, page)
            problem = f"{field_label(item.location, page)}: {reason}"
        else:
            problem = _whole_search_problem(item.message, request)
        problems.setdefault(field, problem)
    return problems


def _subject_title(session: Session, person: SignedIn, values: Mapping[str, Any]) -> str | None:
    """The title of the need or solution the search follows (None for a search without one)."""
    if values.get("need_id"):
        return needs.read(session=session, need_id=int(values["need_id"]), caller=person.principal).title
    if values.get("solution_id"):
        solution_id = int(values["solution_id"])
        return solutions.read(session=session, solution_id=solution_id, caller=person.principal).title
    return None


def _form_page(
    request: Request,
    session: Session,
    person: SignedIn,
    values: Mapping[str, Any],
    *,
    search: SavedSearch | None = None,
    errors: Mapping[str, str] | None = None,
) -> Response:
    context = {
        "search": search,
        "values": values,
        "subject_title": _subject_title(session, person, values),
        "takes_text": SUBJECT_OF_KIND.get(str(values["kind"])) == "text",
        "names": _filter_names(session),
        "kind_names": KIND_NAMES,
        "filter_prefix": FILTER_PREFIX,
        "errors": errors or {},
        "csrf_token": person.csrf_token,
    }
    return _page(request, "alert_form.html", context, status=422 if errors else 200)


# -- save a new search --


def _digits(value: str) -> str:
    return value if value.isdigit() else ""


def _default_name(request: Request, kind: str, text: str, title: str | None) -> str:
    """Something the person recognises in the list: the text, the record's title, or the kind."""
    named = text.strip() or title or page_locale(request).gettext(KIND_NAMES[kind])
    return named if len(named) <= NAME_LENGTH else named[: NAME_LENGTH - 1].rstrip() + "…"


def _query_filters(request: Request) -> dict[str, str]:
    """The filters the page that made the search carried over, checked as the API checks them."""
    given = {
        name: value
        for name, value in request.query_params.items()
        if value and name in MatchFilters.model_fields
    }
    try:
        filters = MatchFilters.model_validate(given)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors(include_url=False)]
        ) from None
    return {name: str(value) for name, value in filters.model_dump(exclude_none=True).items()}


@router.get(MY_ALERTS + "/new", response_class=HTMLResponse)
def new_alert_page(
    request: Request,
    session: SessionDep,
    kind: SearchKind,
    solution_id: RecordId | None = None,
    need_id: RecordId | None = None,
    text: Annotated[str, Query(max_length=20_000)] = "",
) -> Response:
    """The form, filled in with the search of the page it came from."""
    person = signed_in(request, session)
    if person is None:
        return _sign_in_first(request)
    subject = SUBJECT_OF_KIND[kind]
    record = {"solution_id": solution_id, "need_id": need_id}
    if subject in record and record[subject] is None:
        raise RequestValidationError(
            [{"loc": ("query", subject), "type": "missing", "msg": "Field required", "input": None}]
        )
    chosen = {name: value if name == subject else None for name, value in record.items()}
    if not alerts.may_save(session=session, caller=person.principal, kind=kind, **chosen):
        return _refused(request, NOT_ALLOWED)
    values: dict[str, Any] = {
        "kind": kind,
        **{name: "" if value is None else str(value) for name, value in chosen.items()},
        "text": text if subject == "text" else "",
        "frequency": "daily",
        "min_band": "moderate",
        "channels": ["email"],
        "language": page_locale(request).locale,
        "filters": _query_filters(request),
    }
    values["name"] = _default_name(request, kind, values["text"], _subject_title(session, person, values))
    return _form_page(request, session, person, values)


@router.post(MY_ALERTS, response_class=HTMLResponse)
def save_alert(
    request: Request, session: SessionDep, indexes: IndexesDep, form: SignedInFormDep, lists: FormLists
) -> Response:
    values = _sent(lists)
    values["solution_id"], values["need_id"] = _digits(values["solution_id"]), _digits(values["need_id"])
    kind = values["kind"]
    if kind not in SUBJECT_OF_KIND:
        raise RequestValidationError([{"loc": ("body", "kind"), "type": "missing", "msg": "Field required"}])
    principal = form.person.principal
    try:
        fields = SavedSearchFields.model_validate(_new_fields(values))
        alerts.create(session=session, indexes=indexes, fields=fields, caller=principal)
    except ValidationError as error:
        return _form_page(
            request, session, form.person, values, errors=_shape_problems(request, error, values)
        )
    except FieldErrors as error:
        return _form_page(
            request, session, form.person, values, errors=_service_problems(request, error, kind)
        )
    except ForbiddenError:
        return _refused(request, NOT_ALLOWED)
    return RedirectResponse(f"{MY_ALERTS}?done=saved", status_code=303)


# -- change, pause, resume, delete --


@router.get(MY_ALERTS + "/{search_id}/edit", response_class=HTMLResponse)
def edit_alert_page(request: Request, session: SessionDep, search_id: RecordId) -> Response:
    person = signed_in(request, session)
    if person is None:
        return _sign_in_first(request)
    search = _own(request, session, person, search_id)
    if isinstance(search, Response):
        return search
    return _form_page(request, session, person, _values_of(search), search=search)


def _change(
    request: Request,
    session: Session,
    indexes: IndexesDep,
    form: SignedInForm,
    search_id: int,
    change: dict[str, Any],
) -> SavedSearch | Response:
    """The change made by the service, or the page that refuses it."""
    search = _own(request, session, form.person, search_id)
    if isinstance(search, Response):
        return search
    try:
        update = SavedSearchUpdate.model_validate(change)
        return alerts.update(
            session=session, indexes=indexes, search_id=search_id, change=update, caller=form.person.principal
        )
    except ForbiddenError:
        return _refused(request, NOT_ALLOWED)


@router.post(MY_ALERTS + "/{search_id}", response_class=HTMLResponse)
def change_alert(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    form: SignedInFormDep,
    lists: FormLists,
    search_id: RecordId,
) -> Response:
    search = _own(request, session, form.person, search_id)
    if isinstance(search, Response):
        return search
    values = {
        **_values_of(search),
        **{name: value for name, value in _sent(lists).items() if name in FORM_FIELDS},
    }
    values["filters"] = dict(search.filters)  # the form shows them; a new search changes them
    try:
        changed = _change(request, session, indexes, form, search_id, _choices(values))
    except ValidationError as error:
        errors = _shape_problems(request, error, values)
        return _form_page(request, session, form.person, values, search=search, errors=errors)
    except FieldErrors as error:  # refused before anything was changed
        errors = _service_problems(request, error, search.kind)
        return _form_page(request, session, form.person, values, search=search, errors=errors)
    if isinstance(changed, Response):
        return changed
    return RedirectResponse(f"{MY_ALERTS}?done=changed", status_code=303)


@router.post(MY_ALERTS + "/{search_id}/pause")
def pause_alert(
    request: Request, session: SessionDep, indexes: IndexesDep, form: SignedInFormDep, search_id: RecordId
) -> Response:
    """Pause a search: it reports nothing until resumed."""
    changed = _change(request, session, indexes, form, search_id, {"paused": True})
    return changed if isinstance(changed, Response) else _back_to(search_id)


@router.post(MY_ALERTS + "/{search_id}/resume")
def resume_alert(
    request: Request, session: SessionDep, indexes: IndexesDep, form: SignedInFormDep, search_id: RecordId
) -> Response:
    changed = _change(request, session, indexes, form, search_id, {"paused": False})
    return changed if isinstance(changed, Response) else _back_to(search_id)


def _back_to(search_id: int) -> Response:
    return RedirectResponse(f"{MY_ALERTS}#search-{search_id}", status_code=303)


@router.get(MY_ALERTS + "/{search_id}/delete", response_class=HTMLResponse)
def delete_alert_page(request: Request, session: SessionDep, search_id: RecordId) -> Response:
    """Asks before deleting: a deleted search and what it remembers having sent are gone."""
    person = signed_in(request, session)
    if person is None:
        return _sign_in_first(request)
    search = _own(request, session, person, search_id)
    if isinstance(search, Response):
        return search
    return _page(request, "alert_delete.html", {"search": search, "csrf_token": person.csrf_token})


@router.post(MY_ALERTS + "/{search_id}/delete")
def delete_alert(
    request: Request, session: SessionDep, form: SignedInFormDep, search_id: RecordId
) -> Response:
    search = _own(request, session, form.person, search_id)
    if isinstance(search, Response):
        return search
    alerts.delete(session=session, search_id=search_id, caller=form.person.principal)
    return RedirectResponse(f"{MY_ALERTS}?done=deleted", status_code=303)
