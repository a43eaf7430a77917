"""A procurement officer's pages: write a need and change it, close and reopen it, give feedback on
its matches, download them.

Like every page they only translate: form -> the service function the API calls -> template, with the
signed-in person's Principal as the caller, so the rules (service/access.py) and the validation
(service/needs/schemas.py) are the API's. A field's problem is answered next to the field (422), and
nothing is stored unless the whole form is valid.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from fastapi import APIRouter, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from service.access import Principal, ensure_municipality
from service.auth import CallerDep, SignedIn, signed_in
from service.deps import IndexesDep, SessionDep
from service.errors import FieldErrors, ForbiddenError
from service.exports import export_response
from service.indexing import Indexes
from service.matching import feedback
from service.matching import service as matching
from service.matching.feedback import FeedbackCreate
from service.matching.filters import MatchFilters
from service.matching.schemas import MAX_MATCHES
from service.needs import service as needs
from service.needs.schemas import NeedCreate, NeedDetail, NeedRead, NeedUpdate
from service.text_fields import RecordId
from service.web import quality_panel
from service.web.account_pages import local_path
from service.web.browser_cookies import no_store
from service.web.cpv_choice import choice_codes, sent_choice, stored_choice
from service.web.errors import error_page
from service.web.field_reasons import reason_text
from service.web.forms import FormLists, SignedInFormDep
from service.web.i18n import N_, page_locale
from service.web.messages import field_label, field_problem
from service.web.need_list import filter_choices
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
Model = TypeVar("Model", bound=BaseModel)
WRITER_ROLES = ("admin", "staff", "officer")  # the API's NeedWriterDep
LANGUAGE_CHOICES = ("auto", "nb", "en")  # auto: detected from the text, as when the API is sent none
MATCH_FILTERS = ("cpv", "trl_min", "county", "language")  # the filters the need page offers
FEEDBACK_VERDICTS = ("useful", "not_useful", "contacted")  # the page's buttons; the API also takes piloted
NOT_A_WRITER = N_("Only procurement officers, programme staff and administrators write needs.")
NOT_YOUR_NEED = N_(
    "Only the procurement officers of the need's municipality, programme staff and administrators may"
    " change this need or give feedback on its matches."
)


def may_write(principal: Principal, municipality_number: str | None) -> bool:
    """Whether `principal` may change a need of `municipality_number`: the API's rule."""
    if principal.role not in WRITER_ROLES:
        return False
    try:
        ensure_municipality(principal, municipality_number)
    except ForbiddenError:
        return False
    return True


def _refused(request: Request, reason: str) -> Response:
    return error_page(request, 403, detail=page_locale(request).gettext(reason))


def _sign_in_first(path: str) -> Response:
    return RedirectResponse(f"/login?next={path}", status_code=303)


# -- the form's fields --


def _last(lists: Mapping[str, list[str]], name: str) -> str:
    return (lists.get(name) or [""])[-1]


def _form_values(lists: Mapping[str, list[str]]) -> dict[str, Any]:
    """What the form sent, as the form shows it again."""
    return {
        "title": _last(lists, "title"),
        "description": _last(lists, "description"),
        "language": _last(lists, "language") or "auto",
        # The KPI list and the suggested KPIs' chips both send kpi_codes: a code chosen in both counts once.
        "kpi_codes": list(dict.fromkeys(code for code in lists.get("kpi_codes", []) if code)),
        **sent_choice(lists),
        "trl_min": _last(lists, "trl_min"),
        "contact_name": _last(lists, "contact_name"),
        "contact_email": _last(lists, "contact_email"),
        "municipality_number": _last(lists, "municipality_number"),
    }


def _need_fields(values: Mapping[str, Any], principal: Principal) -> dict[str, Any]:
    """The form's values as the API's JSON would send them: an empty optional field is absent (None)."""
    fields: dict[str, Any] = {
        "title": values["title"],
        "description": values["description"],
        "kpi_codes": values["kpi_codes"],
        "cpv_codes": choice_codes(values),
        "trl_min": values["trl_min"].strip() or None,
        "contact_name": values["contact_name"].strip() or None,
        "contact_email": values["contact_email"].strip() or None,
    }
    if values["language"] in ("nb", "en"):
        fields["language"] = values["language"]
    if principal.role != "officer":  # an officer's need is always its own municipality's
        fields["municipality_number"] = values["municipality_number"].strip() or None
    return fields


def _values_of(need: NeedRead) -> dict[str, Any]:
    return {
        "title": need.title,
        "description": need.description,
        "language": {"no": "nb", "en": "en"}.get(need.language, "auto"),
        "kpi_codes": need.kpi_codes,
        **stored_choice(need.cpv_codes),
        "trl_min": "" if need.trl_min is None else str(need.trl_min),
        "contact_name": need.contact_name or "",
        "contact_email": need.contact_email or "",
        "municipality_number": need.municipality_number or "",
    }


def _shape_problems(request: Request, error: ValidationError) -> dict[str, str]:
    """One sentence per wrong field (its first problem), keyed by the field's name."""
    page, problems = page_locale(request), dict[str, str]()
    for item in error.errors(include_url=False):
        name = str(item["loc"][0]) if item["loc"] else "title"
        problems.setdefault(name, field_problem({**item, "loc": (name,)}, page))
    return problems


def _reference_problems(request: Request, error: FieldErrors) -> dict[str, str]:
    page, problems = page_locale(request), dict[str, str]()
    for item in error.errors:
        name = str(item.location[0])
        reason = reason_text(item.reason, item.message, page)
        problems.setdefault(name, f"{field_label((name,), page)}: {reason}")
    return problems


def _quality_context(session: Session, indexes: Indexes, values: Mapping[str, Any]) -> dict[str, Any]:
    """The quality panel and the suggested KPIs of the form's text, as the live check shows them: so a
    reader without JavaScript sees them when the form comes back."""
    try:
        quality = quality_panel.checked(session, values)
    except ValidationError:
        quality = None  # a text too long to check is answered next to its field already
    suggested = quality_panel.suggested_kpis(session, indexes, values) if quality else []
    return {"quality": quality, "suggested_kpis": suggested}


def _form_page(
    request: Request,
    session: Session,
    indexes: Indexes,
    person: SignedIn,
    *,
    values: Mapping[str, Any],
    need: NeedRead | None = None,
    errors: Mapping[str, str] | None = None,
) -> Response:
    context = {
        "need": need,
        "values": values,
        "errors": errors or {},
        **_quality_context(session, indexes, values),
        "choices": filter_choices(session),
        "languages": LANGUAGE_CHOICES,
        "chooses_municipality": person.principal.role != "officer",
        "csrf_token": person.csrf_token,
    }
    status = 422 if errors else 200
    return no_store(templates.TemplateResponse(request, "need_form.html", context, status_code=status))


# -- write a need --


@router.get("/needs/new", response_class=HTMLResponse)
def new_need_page(request: Request, session: SessionDep, indexes: IndexesDep) -> Response:
    person = signed_in(request, session)
    if person is None:
        return _sign_in_first("/needs/new")
    if person.principal.role not in WRITER_ROLES:
        return _refused(request, NOT_A_WRITER)
    return _form_page(request, session, indexes, person, values=_form_values({}))


@router.post("/needs/new", response_class=HTMLResponse)
def create_need(
    request: Request, session: SessionDep, indexes: IndexesDep, form: SignedInFormDep, lists: FormLists
) -> Response:
    principal = form.person.principal
    if principal.role not in WRITER_ROLES:
        return _refused(request, NOT_A_WRITER)
    values = _form_values(lists)
    try:
        need_in = NeedCreate.model_validate(_need_fields(values, principal))
        written = needs.create(session=session, indexes=indexes, need_in=need_in, caller=principal)
    except ValidationError as error:
        errors = _shape_problems(request, error)
        return _form_page(request, session, indexes, form.person, values=values, errors=errors)
    except FieldErrors as error:
        errors = _reference_problems(request, error)
        return _form_page(request, session, indexes, form.person, values=values, errors=errors)
    return RedirectResponse(f"/needs/{written.id}", status_code=303)


# -- the check of the text being written --


@router.post("/needs/check-panel", response_class=HTMLResponse)
def check_panel(
    request: Request, session: SessionDep, indexes: IndexesDep, form: SignedInFormDep, lists: FormLists
) -> Response:
    """The form's quality panel for the text sent, while it is written (the form's script asks for it a
    moment after typing stops). It stores nothing; the panel's KPI chips come in the same answer."""
    if form.person.principal.role not in WRITER_ROLES:
        return _refused(request, NOT_A_WRITER)
    values = _form_values(lists)
    try:
        quality_panel.text_check(values)
    except ValidationError as error:
        refused = {"problems": _shape_problems(request, error)}
        return templates.TemplateResponse(request, "_need_quality_answer.html", refused, status_code=422)
    context = {**_quality_context(session, indexes, values), "values": values}
    return no_store(templates.TemplateResponse(request, "_need_quality_answer.html", context))


# -- change a need --


def _own_need(request: Request, session: Session, person: SignedIn, need_id: int) -> NeedRead | Response:
    """The need, if `person` may change it; else the page that refuses them."""
    need = needs.read(session=session, need_id=need_id, caller=person.principal)
    if not may_write(person.principal, need.municipality_number):
        return _refused(request, NOT_YOUR_NEED)
    return need


@router.get("/needs/{need_id}/edit", response_class=HTMLResponse)
def edit_need_page(request: Request, session: SessionDep, indexes: IndexesDep, need_id: RecordId) -> Response:
    person = signed_in(request, session)
    if person is None:
        return _sign_in_first(f"/needs/{need_id}/edit")
    need = _own_need(request, session, person, need_id)
    if isinstance(need, Response):
        return need
    return _form_page(request, session, indexes, person, values=_values_of(need), need=need)


@router.post("/needs/{need_id}/edit", response_class=HTMLResponse)
def update_need(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    form: SignedInFormDep,
    lists: FormLists,
    need_id: RecordId,
) -> Response:
    need = _own_need(request, session, form.person, need_id)
    if isinstance(need, Response):
        return need
    values = _form_values(lists)
    principal = form.person.principal
    try:
        need_in = NeedUpdate.model_validate(_need_fields(values, principal))
        needs.update(session=session, indexes=indexes, need_id=need_id, need_in=need_in, caller=principal)
    except ValidationError as error:
        errors = _shape_problems(request, error)
        return _form_page(request, session, indexes, form.person, values=values, need=need, errors=errors)
    except FieldErrors as error:
        errors = _reference_problems(request, error)
        return _form_page(request, session, indexes, form.person, values=values, need=need, errors=errors)
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


@router.post("/needs/{need_id}/status")
def change_status(
    request: Request, session: SessionDep, indexes: IndexesDep, form: SignedInFormDep, need_id: RecordId
) -> Response:
    """Close a need, or open it again."""
    need = _own_need(request, session, form.person, need_id)
    if isinstance(need, Response):
        return need
    need_in = _validated(NeedUpdate, {"status": form.fields.get("status", "")})
    needs.update(
        session=session, indexes=indexes, need_id=need_id, need_in=need_in, caller=form.person.principal
    )
    return RedirectResponse(f"/needs/{need_id}", status_code=303)


def _validated(model: type[Model], fields: Mapping[str, object]) -> Model:
    """A small form's fields, or the 422 page that names the wrong ones."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("body", *item["loc"])} for item in error.errors(include_url=False)]
        ) from None


# -- the matches of a need --


def match_filters(query: Mapping[str, str]) -> MatchFilters:
    """The need page's filters of its matches (a GET form, which sends unchosen fields empty)."""
    given = {name: query[name] for name in MATCH_FILTERS if query.get(name)}
    try:
        return MatchFilters.model_validate(given)
    except ValidationError as error:
        raise RequestValidationError(
            [{**item, "loc": ("query", *item["loc"])} for item in error.errors(include_url=False)]
        ) from None


def officer_context(request: Request, session: Session, need: NeedDetail) -> dict[str, Any]:
    """What the need page adds for a person who may change the need: their CSRF token, the page's own
    address to come back to, the verdicts already given, and the quality check of the need's text (the
    same panel as the form's, so a writer without JavaScript sees the findings after saving)."""
    person = getattr(request.state, "signed_in", None)
    if not isinstance(person, SignedIn) or not may_write(person.principal, need.municipality_number):
        return {"writer": None}
    back = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return {
        "writer": person,
        "back": back,
        "verdicts": feedback.latest_verdicts(session, need.id),
        "feedback_verdicts": FEEDBACK_VERDICTS,
        "quality": quality_panel.panel(need.quality, need.title, need.description),
    }


@router.post("/needs/{need_id}/feedback")
def give_feedback(
    request: Request, session: SessionDep, form: SignedInFormDep, need_id: RecordId
) -> Response:
    """A verdict on one match, as the API's feedback: `not_useful` takes it out of the need's list."""
    principal = form.person.principal
    if principal.role not in WRITER_ROLES:
        return _refused(request, NOT_YOUR_NEED)
    feedback_in = _validated(
        FeedbackCreate,
        {"solution_id": form.fields.get("solution_id", ""), "verdict": form.fields.get("verdict", "")},
    )
    if feedback_in.verdict not in FEEDBACK_VERDICTS:
        raise RequestValidationError(
            [{"loc": ("body", "verdict"), "type": "value_error", "msg": "not a verdict of this page"}]
        )
    try:
        feedback.record(session=session, need_id=need_id, feedback_in=feedback_in, caller=principal)
    except ForbiddenError:
        return _refused(request, NOT_YOUR_NEED)
    back = local_path(form.fields.get("back"), f"/needs/{need_id}")
    if not back.startswith(f"/needs/{need_id}"):
        back = f"/needs/{need_id}"
    return RedirectResponse(f"{back}#matches", status_code=303)


CSV_HEADER = N_("Rank,Solution,Title,Score,Weak match,Reasons,Shared KPIs,CPV codes,TRL,Address")


@router.get("/needs/{need_id}/matches.csv")
def matches_csv(
    request: Request, session: SessionDep, indexes: IndexesDep, caller: CallerDep, need_id: RecordId
) -> Response:
    """The need's matches with the page's filters, as many as the API gives, as a spreadsheet's CSV."""
    found = matching.match_need(
        session=session,
        indexes=indexes,
        need_id=need_id,
        limit=MAX_MATCHES,
        caller=caller,
        filters=match_filters(request.query_params),
    )
    page = page_locale(request)
    base = str(request.base_url).rstrip("/")
    rows = [
        (
            rank,
            match.solution.id,
            match.solution.title,
            round(match.score, 3),
            page.gettext("yes") if match.weak else page.gettext("no"),
            page.pick(match.explanation.summary_no, match.explanation.summary),
            match.explanation.shared_kpi_codes,
            match.solution.cpv_codes,
            match.solution.trl,
            f"{base}/solutions/{match.solution.id}",
        )
        for rank, match in enumerate(found.items, start=1)
    ]
    header = page.gettext(CSV_HEADER).split(",")
    return export_response(header, rows, export_format="csv", filename_stem=f"need-{need_id}-matches")
