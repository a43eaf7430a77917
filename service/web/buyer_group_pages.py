"""Buyer groups for programme staff: municipalities with the same open need, their population and the
solutions that fit the group best, and a form that proposes a partnership from a group.

The groups are service.buyer_groups' (as GET /api/v1/buyer-groups and /{key}); the proposal goes through
service.partnerships.service.create with PartnershipCreate, as POST /api/v1/partnerships, so a page and
the API propose the same partnership from the same choices. A wrong choice is answered next to its field
(422) and nothing is stored.
"""

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from service.buyer_groups import service as buyer_groups
from service.buyer_groups.schemas import BuyerGroup
from service.deps import IndexesDep, SessionDep
from service.errors import FieldErrors
from service.partnerships import service as partnerships
from service.partnerships.schemas import PartnershipCreate
from service.web.browser_cookies import no_store
from service.web.field_reasons import reason_text
from service.web.forms import FormLists, SignedInFormDep
from service.web.i18n import N_, PageLocale, page_locale
from service.web.messages import field_label, field_problem
from service.web.save_search import save_search_address
from service.web.staff_pages import is_staff, refused, staff_member
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
GROUPS_PER_PAGE = 20  # each group on a page has its solutions scored
GroupKey = Annotated[str, Path(pattern=r"^bg-[0-9a-f]{12}$")]
SUGGEST = ""  # the lead select's "let the service suggest"
NO_NEED_CHOSEN = N_("Choose at least one need of the group.")


@router.get("/buyer-groups", response_class=HTMLResponse)
def buyer_groups_page(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    offset: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """The groups, largest first, a page at a time."""
    person = staff_member(request, session)
    if isinstance(person, Response):
        return person
    found = buyer_groups.buyer_groups(
        session=session, indexes=indexes, offset=offset, limit=GROUPS_PER_PAGE, with_solutions=False
    )
    context: dict[str, Any] = {
        "found": found,
        "per_page": GROUPS_PER_PAGE,
        "save_search": save_search_address(session, person.principal, "new_buyer_groups"),
    }
    return no_store(templates.TemplateResponse(request, "buyer_groups.html", context))


def _default_values(group: BuyerGroup) -> dict[str, Any]:
    """The proposal as the form first offers it: every need and every best solution, lead suggested."""
    return {
        "need_ids": [str(need.id) for need in group.needs],
        "solution_ids": [str(solution.id) for solution in group.best_solutions],
        "lead_municipality_number": SUGGEST,
        "title": "",
    }


def _group_page(
    request: Request,
    group: BuyerGroup,
    csrf_token: str,
    values: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
) -> Response:
    context = {"group": group, "values": values, "errors": errors or {}, "csrf_token": csrf_token}
    status = 422 if errors else 200
    return no_store(templates.TemplateResponse(request, "buyer_group.html", context, status_code=status))


@router.get("/buyer-groups/{key}", response_class=HTMLResponse)
def buyer_group_page(request: Request, session: SessionDep, indexes: IndexesDep, key: GroupKey) -> Response:
    """A group: its municipalities, needs and best solutions, and the proposal form."""
    person = staff_member(request, session)
    if isinstance(person, Response):
        return person
    group = buyer_groups.buyer_group(session=session, indexes=indexes, key=key)
    return _group_page(request, group, person.csrf_token, _default_values(group))


def _sent_values(lists: Mapping[str, list[str]]) -> dict[str, Any]:
    return {
        "need_ids": [value for value in lists.get("need_ids", []) if value],
        "solution_ids": [value for value in lists.get("solution_ids", []) if value],
        "lead_municipality_number": (lists.get("lead_municipality_number") or [SUGGEST])[-1].strip(),
        "title": (lists.get("title") or [""])[-1],
    }


def _proposal(values: Mapping[str, Any], key: str) -> dict[str, Any]:
    """The form's values as the API's JSON would send them: a choice left empty is absent."""
    return {
        "need_ids": values["need_ids"],
        "solution_ids": values["solution_ids"],
        "lead_municipality_number": values["lead_municipality_number"] or None,
        "buyer_group_key": key,
        "title": values["title"].strip() or None,
    }


def _shape_problems(request: Request, error: ValidationError) -> dict[str, str]:
    """One sentence per wrong field (its first problem); an empty choice of needs said plainly."""
    page, problems = page_locale(request), dict[str, str]()
    for item in error.errors(include_url=False):
        name = str(item["loc"][0]) if item["loc"] else "need_ids"
        if name == "need_ids" and item["type"] == "too_short":
            problems.setdefault(name, page.gettext(NO_NEED_CHOSEN))
        problems.setdefault(name, field_problem({**item, "loc": (name,)}, page))
    return problems


def _reference_problems(request: Request, error: FieldErrors) -> dict[str, str]:
    page, problems = page_locale(request), dict[str, str]()
    for item in error.errors:
        name = str(item.location[0])
        problems.setdefault(
            name, f"{field_label((name,), page)}: {reason_text(item.reason, item.message, page)}"
        )
    return problems


def _title_wording(page: PageLocale) -> partnerships.TitleWording:
    """A proposal's title when left empty, in the proposer's language: the first need's, and how many more."""

    def title(first: str, others: int) -> str:
        if not others:
            return first
        more = page.ngettext("%(title)s (+%(num)s more need)", "%(title)s (+%(num)s more needs)", others)
        return more % {"title": first, "num": page.number(others)}

    return title


@router.post("/buyer-groups/{key}/partnerships", response_class=HTMLResponse)
def propose_partnership(
    request: Request,
    session: SessionDep,
    indexes: IndexesDep,
    form: SignedInFormDep,
    lists: FormLists,
    key: GroupKey,
) -> Response:
    """Propose a partnership from the group's chosen needs and solutions, then show it (303)."""
    principal = form.person.principal
    if not is_staff(principal):
        return refused(request)
    values = _sent_values(lists)
    try:
        partnership_in = PartnershipCreate.model_validate(_proposal(values, key))
        created = partnerships.create(
            session=session,
            indexes=indexes,
            partnership_in=partnership_in,
            actor=principal.actor,
            title_wording=_title_wording(page_locale(request)),
        )
    except (ValidationError, FieldErrors) as error:
        session.rollback()
        if isinstance(error, ValidationError):
            errors = _shape_problems(request, error)
        else:
            errors = _reference_problems(request, error)
        group = buyer_groups.buyer_group(session=session, indexes=indexes, key=key)
        return _group_page(request, group, form.person.csrf_token, values, errors)
    return RedirectResponse(f"/partnerships/{created.id}", status_code=303)
