"""A supplier's pages: its solutions (list, register, edit, withdraw) and where the demand for each is.

The forms are read into the API's own shapes (SolutionCreate, SolutionUpdate) and saved by the API's
service functions with the signed-in person's Principal, so a page accepts, refuses and allows exactly
what the API does. A refused form is the form again (422) with each problem next to its field; only a
form without problems reaches the service, so nothing is stored half.
"""

from collections import defaultdict
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlalchemy.orm import Session

from service.access import ensure_supplier
from service.auth import SignedIn, signed_in
from service.demand import service as demand
from service.deps import IndexesDep, SessionDep, SettingsDep
from service.errors import ForbiddenError
from service.identifiers import normal_cpv_code
from service.models import Solution
from service.notices import service as notices
from service.notices.contracts import contracts_won
from service.references import ReferenceCheck
from service.solutions import service as solutions
from service.solutions.schemas import SolutionCreate, SolutionRead, SolutionUpdate
from service.suppliers import service as suppliers
from service.text_fields import RecordId
from service.web.browser_cookies import no_store
from service.web.cpv_choice import chosen_codes, sent_choice, stored_choice, typed_codes
from service.web.errors import error_page
from service.web.forms import FormLists, SignedInForm, SignedInFormDep
from service.web.i18n import PageLocale, page_locale
from service.web.messages import field_problem
from service.web.need_list import filter_choices
from service.web.save_search import save_search_address
from service.web.templating import templates
from service.well_formed import well_formed

router = APIRouter(include_in_schema=False)
MY_SOLUTIONS = "/my/solutions"
WRITER_ROLES = ("admin", "supplier")  # as the API's SolutionWriterDep
MY_SOLUTIONS_SHOWN = 500  # far more than one supplier registers; the page says when there are more
_LABEL_KEYS = {"description": "solution_description"}  # messages.FIELD_LABELS: a need's is "The problem"


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return no_store(templates.TemplateResponse(request, template, context, status_code=status))  # type: ignore[return-value]


def _sign_in_first(request: Request) -> Response:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)


def _not_a_supplier(request: Request) -> Response:
    page = page_locale(request)
    detail = page.gettext("Only a supplier's account can register and change solutions.")
    return error_page(request, 403, detail=detail)


def _not_yours(request: Request) -> Response:
    page = page_locale(request)
    detail = page.gettext(
        "This solution belongs to another supplier: you can only change your own. Nothing was changed."
    )
    return error_page(request, 403, detail=detail)


def _writer(request: Request, session: Session) -> SignedIn | Response:
    """The signed-in person who may write solutions, or the answer to give instead."""
    person = signed_in(request, session)
    if person is None:
        return _sign_in_first(request)
    if person.principal.role not in WRITER_ROLES:
        return _not_a_supplier(request)
    return person


def _own_solution(session: Session, person: SignedIn, solution_id: int) -> Solution | None:
    """The solution if the person may change it (the API's rule); None if it is another supplier's.
    A draft of another supplier is a 404, as in the API."""
    solution = solutions.get_visible(session=session, solution_id=solution_id, caller=person.principal)
    try:
        ensure_supplier(person.principal, solution.supplier_id)
    except ForbiddenError:
        return None
    return solution


# -- reading the form and saying what is wrong --


def _form_solution(form: SignedInForm, lists: Mapping[str, list[str]]) -> dict[str, Any]:
    """The form's fields in the API's shape; empty choices are "not given"."""
    fields = form.fields
    return {
        "title": fields.get("title", ""),
        "description": fields.get("description", ""),
        "language": fields.get("language") or None,
        "trl": fields.get("trl") or None,
        "cpv_codes": chosen_codes(lists),
        "kpi_codes": lists.get("kpi_codes", []),
        "regions_served": lists.get("regions_served", []),
        "reference_municipalities": typed_codes(fields.get("reference_municipalities", "")),
        "status": fields.get("status") or "published",
    }


def _shape_problem(field: str, error: Mapping[str, Any], given: Mapping[str, Any], page: PageLocale) -> str:
    if field == "cpv_codes" and error.get("type") == "value_error":
        wrong = ", ".join(code for code in given["cpv_codes"] if normal_cpv_code(code) is None)
        sentence = page.gettext(
            "Not a CPV code: %(codes)s. A CPV code has eight digits, optionally a dash and a check"
            " digit, e.g. 45233000-9."
        )
        return sentence % {"codes": wrong}
    return field_problem({**error, "loc": (_LABEL_KEYS.get(field, field),)}, page)


def _reference_problem(field: str, code: object, page: PageLocale) -> str:
    sentences = {
        "kpi_codes": page.gettext("There is no U4SSC KPI with the code “%(code)s”."),
        "regions_served": page.gettext("There is no county numbered “%(code)s”."),
        "reference_municipalities": page.gettext("There is no municipality numbered “%(code)s”."),
    }
    return sentences.get(field, page.gettext("“%(code)s” is not known.")) % {"code": code}


def _problems(
    session: Session, model: type[BaseModel], given: dict[str, Any], page: PageLocale
) -> dict[str, str]:
    """Every problem of the form by field: its shape (the API's schema) and what it refers to (the
    API's reference checks), as the API's 422 would list them."""
    found: dict[str, list[str]] = defaultdict(list)
    try:
        model.model_validate(given)
    except ValidationError as error:
        for item in error.errors():
            field = str(item["loc"][0])
            found[field].append(_shape_problem(field, item, given, page))
    well = well_formed(model, given)
    check = ReferenceCheck(session)
    solutions.check_references(check, well)
    for problem in check.errors:
        field, position = str(problem.location[0]), problem.location[-1]
        values = well.get(field) or []
        code = values[position] if isinstance(position, int) and position < len(values) else ""
        found[field].append(_reference_problem(field, code, page))
    return {field: " ".join(dict.fromkeys(sentences)) for field, sentences in found.items()}


# -- the pages --


def _form_page(
    request: Request,
    session: Session,
    person: SignedIn,
    *,
    solution_id: int | None,
    values: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
) -> HTMLResponse:
    context = {
        "solution_id": solution_id,
        "values": values,
        "errors": errors or {},
        "choices": filter_choices(session),
        "csrf_token": person.csrf_token,
    }
    return _page(request, "solution_form.html", context, 422 if errors else 200)


def _shown(solution: SolutionRead | Solution) -> dict[str, Any]:
    """A stored solution as the form shows it."""
    return {
        "title": solution.title,
        "description": solution.description,
        "language": solution.language,
        "trl": solution.trl,
        **stored_choice(solution.cpv_codes),
        "kpi_codes": solution.kpi_codes,
        "regions_served": solution.regions_served,
        "reference_municipalities": solution.reference_municipalities,
        "status": solution.status,
    }


@router.get(MY_SOLUTIONS, response_class=HTMLResponse)
def my_solutions(
    request: Request, session: SessionDep, saved: RecordId | None = None, withdrawn: RecordId | None = None
) -> Response:
    person = _writer(request, session)
    if not isinstance(person, SignedIn):
        return person
    principal = person.principal
    if principal.supplier_id is None:
        return _not_a_supplier(request)
    items, total = solutions.list_solutions(
        session=session,
        caller=principal,
        offset=0,
        limit=MY_SOLUTIONS_SHOWN,
        supplier_id=principal.supplier_id,
    )
    by_id = {item.id: item for item in items}
    context = {
        "solutions": items,
        "total": total,
        "saved": by_id.get(saved or 0),
        "withdrawn": by_id.get(withdrawn or 0),
        "csrf_token": person.csrf_token,
        # Evidence as the API's supplier answer gives it: award notices naming the supplier a winner.
        "contracts_won": contracts_won(
            session, suppliers.get(session=session, supplier_id=principal.supplier_id).organisation_number
        ),
    }
    return _page(request, "my_solutions.html", context)


@router.get("/solutions/new", response_class=HTMLResponse)
def new_solution_page(request: Request, session: SessionDep) -> Response:
    person = _writer(request, session)
    if not isinstance(person, SignedIn):
        return person
    empty = {"status": "published", "kpi_codes": [], "regions_served": []}
    return _form_page(request, session, person, solution_id=None, values=empty)


@router.post("/solutions/new", response_class=HTMLResponse)
def register_solution(
    request: Request, session: SessionDep, indexes: IndexesDep, form: SignedInFormDep, lists: FormLists
) -> Response:
    person = form.person
    if person.principal.role not in WRITER_ROLES:
        return _not_a_supplier(request)
    given = _form_solution(form, lists)
    errors = _problems(session, SolutionCreate, given, page_locale(request))
    if errors:
        return _form_page(
            request, session, person, solution_id=None, values={**given, **sent_choice(lists)}, errors=errors
        )
    written = solutions.create(
        session=session,
        indexes=indexes,
        solution_in=SolutionCreate.model_validate(given),
        caller=person.principal,
    )
    return RedirectResponse(f"{MY_SOLUTIONS}?saved={written.id}", status_code=303)


@router.get("/solutions/{solution_id}/edit", response_class=HTMLResponse)
def edit_solution_page(request: Request, session: SessionDep, solution_id: RecordId) -> Response:
    person = _writer(request, session)
    if not isinstance(person, SignedIn):
        return person
    solution = _own_solution(session, person, solution_id)
    if solution is None:
        return _not_yours(request)
    return _form_page(request, session, person, solution_id=solution_id, values=_shown(solution))


@router.post("/solutions/{solution_id}/edit", response_class=HTMLResponse)
def change_solution(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    form: SignedInFormDep,
    lists: FormLists,
    solution_id: RecordId,
) -> Response:
    person = form.person
    if person.principal.role not in WRITER_ROLES:
        return _not_a_supplier(request)
    if _own_solution(session, person, solution_id) is None:
        return _not_yours(request)
    given = _form_solution(form, lists)
    errors = _problems(session, SolutionUpdate, given, page_locale(request))
    if errors:
        return _form_page(
            request,
            session,
            person,
            solution_id=solution_id,
            values={**given, **sent_choice(lists)},
            errors=errors,
        )
    solutions.update(
        session=session,
        indexes=indexes,
        solution_id=solution_id,
        solution_in=SolutionUpdate.model_validate(given),
        caller=person.principal,
    )
    return RedirectResponse(f"{MY_SOLUTIONS}?saved={solution_id}", status_code=303)


@router.post("/solutions/{solution_id}/withdraw")
def withdraw_solution(
    request: Request, session: SessionDep, indexes: IndexesDep, form: SignedInFormDep, solution_id: RecordId
) -> Response:
    """Withdrawn is archived: no longer public nor matched, kept for its supplier (and can be
    published again from its edit page)."""
    person = form.person
    if person.principal.role not in WRITER_ROLES:
        return _not_a_supplier(request)
    if _own_solution(session, person, solution_id) is None:
        return _not_yours(request)
    solutions.update(
        session=session,
        indexes=indexes,
        solution_id=solution_id,
        solution_in=SolutionUpdate(status="archived"),
        caller=person.principal,
    )
    return RedirectResponse(f"{MY_SOLUTIONS}?withdrawn={solution_id}", status_code=303)


@router.get(MY_SOLUTIONS + "/{solution_id}/demand", response_class=HTMLResponse)
def solution_demand_page(
    request: Request, session: SessionDep, indexes: IndexesDep, settings: SettingsDep, solution_id: RecordId
) -> Response:
    """Where the demand for one of the person's solutions is: matching needs and a chart by county."""
    person = _writer(request, session)
    if not isinstance(person, SignedIn):
        return person
    if _own_solution(session, person, solution_id) is None:
        return _not_yours(request)
    found = demand.solution_demand(
        session=session,
        indexes=indexes,
        solution_id=solution_id,
        max_band=settings.gap_max_band,
        caller=person.principal,
    )
    county_names = {county.number: county.name for county in filter_choices(session).counties}
    charted = sorted((c for c in found.by_county if c.needs), key=lambda c: (-c.needs, c.name))
    context = {
        "demand": found,
        "notice_links": notices.notice_links(session=session, need_ids=[need.id for need in found.needs]),
        "now": datetime.now(UTC),
        "county_names": county_names,
        "chart": charted,
        "chart_maximum": max((county.needs for county in charted), default=0),
        "save_search": save_search_address(
            session, person.principal, "needs_for_solution", solution_id=solution_id
        ),
    }
    return _page(request, "solution_demand.html", context)
