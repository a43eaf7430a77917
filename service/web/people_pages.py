"""The administrator's pages about people with accounts: the list, an invitation (its one-time link
shown once), a person's role and binding, disabling and reactivating.

They call the account services the `innomatch user` commands call (service/accounts/users.py), so
the validation and the audit events are theirs: disabling ends the person's sessions and revokes their
own API tokens at once.
"""

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from service.access import Principal
from service.accounts import users
from service.accounts.schemas import UserBinding, UserCreate
from service.config import Settings
from service.db import utc_now
from service.deps import SessionDep, SettingsDep
from service.errors import ConflictError, FieldErrors
from service.models import User
from service.municipalities.repository import get_municipality
from service.suppliers.repository import get_supplier, list_suppliers
from service.text_fields import RecordId
from service.web.browser_cookies import no_store
from service.web.errors import error_page
from service.web.forms import SignedInForm, SignedInFormDep
from service.web.i18n import N_, page_locale
from service.web.messages import field_problem
from service.web.staff_access import ADMIN_ONLY, NOT_AN_ADMIN, person_allowed
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
PEOPLE = "/admin/people"
ROLES = ("admin", "staff", "officer", "supplier")
MAX_SUPPLIER_CHOICES = 1000
DONE_MESSAGES = {
    "role": N_("The role has been changed. The person's own API tokens have been revoked."),
    "disabled": N_("The person has been disabled: their sessions and API tokens stopped working at once."),
    "reactivated": N_("The person may sign in again. Their earlier sessions and tokens stay ended."),
}
EXISTS_ALREADY = N_(
    "An account with this e-mail address exists already: send its holder a new link from their page."
)
NEEDS_MUNICIPALITY = N_("A procurement officer needs the number of their municipality.")
NEEDS_SUPPLIER = N_("A supplier needs their supplier organisation.")
UNKNOWN_MUNICIPALITY = N_("There is no municipality with this number.")
UNKNOWN_SUPPLIER = N_("This supplier does not exist.")
DISABLED_CANNOT_BE_INVITED = N_("A disabled person gets no new link: reactivate them first.")


def _sent_binding(fields: dict[str, str]) -> dict[str, Any]:
    """The role and the one binding it takes: the form offers both fields, only the role's is read."""
    role = fields.get("role", "")
    number = fields.get("municipality_number", "").strip()
    supplier = fields.get("supplier_id", "").strip()
    return {
        "role": role,
        "municipality_number": (number or None) if role == "officer" else None,
        "supplier_id": (supplier or None) if role == "supplier" else None,
    }


def _shape_problems(request: Request, error: ValidationError, role: str) -> dict[str, str]:
    """One sentence per wrong field; the binding's own rule is told at the binding's field."""
    page, problems = page_locale(request), dict[str, str]()
    for item in error.errors(include_url=False):
        if item["loc"]:
            name = str(item["loc"][0])
            problems.setdefault(name, field_problem({**item, "loc": (name,)}, page))
        elif role == "officer":
            problems.setdefault("municipality_number", page.gettext(NEEDS_MUNICIPALITY))
        else:
            problems.setdefault("supplier_id", page.gettext(NEEDS_SUPPLIER))
    return problems


def _reference_problems(request: Request, error: FieldErrors) -> dict[str, str]:
    page = page_locale(request)
    problems = dict[str, str]()
    for item in error.errors:
        name = str(item.location[0])
        unknown = UNKNOWN_SUPPLIER if name == "supplier_id" else UNKNOWN_MUNICIPALITY
        problems.setdefault(name, page.gettext(unknown))
    return problems


def _binding_names(session: Session, people: list[User]) -> dict[int, str]:
    """What each person is bound to, by name: "Stavanger (1103)", "Leverandør AS"."""
    names: dict[int, str] = {}
    for user in people:
        if user.municipality_number:
            municipality = get_municipality(session, user.municipality_number)
            shown = municipality.name if municipality else ""
            names[user.id] = f"{shown} ({user.municipality_number})"
        elif user.supplier_id:
            supplier = get_supplier(session, user.supplier_id)
            names[user.id] = supplier.name if supplier else str(user.supplier_id)
    return names


def _suppliers(session: Session) -> list[tuple[int, str]]:
    found, _total = list_suppliers(session, offset=0, limit=MAX_SUPPLIER_CHOICES)
    return sorted(((supplier.id, supplier.name) for supplier in found), key=lambda pair: pair[1].lower())


def _invite_link(settings: Settings, secret: str) -> str:
    return f"{settings.public_base_url.rstrip('/')}/invite/{secret}"


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    return no_store(templates.TemplateResponse(request, template, context, status_code=status))  # type: ignore[return-value]


def _people_page(
    request: Request, session: Session, csrf_token: str, status: int = 200, **context: Any
) -> HTMLResponse:
    people = list(users.listed(session=session))
    # Invitations default to the least powerful role a person is usually invited with.
    defaults: dict[str, Any] = {"errors": {}, "sent": {"role": "officer"}, "invited": None, "link": None}
    full = {
        **defaults,
        **context,
        "people": people,
        "bindings": _binding_names(session, people),
        "last_sign_ins": users.last_sign_ins(session=session),
        "suppliers": _suppliers(session),
        "roles": ROLES,
        "csrf_token": csrf_token,
    }
    return _page(request, "people.html", full, status)


def _person_page(
    request: Request, session: Session, csrf_token: str, user: User, status: int = 200, **context: Any
) -> HTMLResponse:
    defaults: dict[str, Any] = {"errors": {}, "sent": {}, "link": None, "done": None}
    full = {
        **defaults,
        **context,
        "user": user,
        "binding": _binding_names(session, [user]).get(user.id),
        "last_sign_in": users.last_sign_ins(session=session).get(user.id),
        "suppliers": _suppliers(session),
        "roles": ROLES,
        "csrf_token": csrf_token,
    }
    return _page(request, "person.html", full, status)


def _admin_form(request: Request, form: SignedInForm) -> Principal | Response:
    if form.person.principal.role not in ADMIN_ONLY:
        return error_page(request, 403, detail=page_locale(request).gettext(NOT_AN_ADMIN))
    return form.person.principal


@router.get(PEOPLE, response_class=HTMLResponse)
def people(request: Request, session: SessionDep) -> Response:
    """Every account, and the form that invites a new person."""
    person = person_allowed(request, session, ADMIN_ONLY, path=PEOPLE)
    if isinstance(person, Response):
        return person
    return _people_page(request, session, person.csrf_token)


@router.post(PEOPLE, response_class=HTMLResponse)
def invite(request: Request, session: SessionDep, settings: SettingsDep, form: SignedInFormDep) -> Response:
    """A new person and their one-time link, shown on this answer only (as `innomatch user add`)."""
    admin = _admin_form(request, form)
    if isinstance(admin, Response):
        return admin
    fields = form.fields
    binding = _sent_binding(fields)
    sent = {"email": fields.get("email", "").strip(), "name": fields.get("name", ""), **binding}
    csrf = form.person.csrf_token
    try:
        user_in = UserCreate.model_validate({**sent, "email": sent["email"]})
        user, secret = users.add(
            session=session,
            user_in=user_in,
            created_by=admin.actor,
            invite_valid_for=timedelta(hours=settings.invite_valid_hours),
            now=utc_now(),
        )
    except ValidationError as error:
        problems = _shape_problems(request, error, binding["role"])
        return _people_page(request, session, csrf, 422, errors=problems, sent=sent)
    except FieldErrors as error:
        session.rollback()
        return _people_page(
            request, session, csrf, 422, errors=_reference_problems(request, error), sent=sent
        )
    except ConflictError:
        session.rollback()
        problems = {"email": page_locale(request).gettext(EXISTS_ALREADY)}
        return _people_page(request, session, csrf, 422, errors=problems, sent=sent)
    return _people_page(request, session, csrf, invited=user, link=_invite_link(settings, secret))


@router.get(PEOPLE + "/{user_id}", response_class=HTMLResponse)
def person_page(
    request: Request, session: SessionDep, user_id: RecordId, done: str | None = None
) -> Response:
    """One person: their role and binding to change, disable or reactivate, a new invitation link."""
    admin = person_allowed(request, session, ADMIN_ONLY, path=f"{PEOPLE}/{user_id}")
    if isinstance(admin, Response):
        return admin
    user = users.get(session=session, user_id=user_id)
    message = page_locale(request).gettext(DONE_MESSAGES[done]) if done in DONE_MESSAGES else None
    return _person_page(request, session, admin.csrf_token, user, done=message)


@router.post(PEOPLE + "/{user_id}/role", response_class=HTMLResponse)
def change_role(request: Request, session: SessionDep, form: SignedInFormDep, user_id: RecordId) -> Response:
    admin = _admin_form(request, form)
    if isinstance(admin, Response):
        return admin
    user = users.get(session=session, user_id=user_id)
    binding = _sent_binding(form.fields)
    csrf = form.person.csrf_token
    try:
        users.change_binding(
            session=session,
            email=user.email,
            binding=UserBinding.model_validate(binding),
            changed_by=admin.actor,
        )
    except ValidationError as error:
        problems = _shape_problems(request, error, binding["role"])
        return _person_page(request, session, csrf, user, 422, errors=problems, sent=binding)
    except FieldErrors as error:
        session.rollback()
        user = users.get(session=session, user_id=user_id)
        problems = _reference_problems(request, error)
        return _person_page(request, session, csrf, user, 422, errors=problems, sent=binding)
    return RedirectResponse(f"{PEOPLE}/{user_id}?done=role", status_code=303)


@router.post(PEOPLE + "/{user_id}/disable")
def disable(request: Request, session: SessionDep, form: SignedInFormDep, user_id: RecordId) -> Response:
    """Sessions end and the person's own tokens are revoked in the same transaction."""
    admin = _admin_form(request, form)
    if isinstance(admin, Response):
        return admin
    user = users.get(session=session, user_id=user_id)
    users.disable(session=session, email=user.email, disabled_by=admin.actor, now=utc_now())
    return RedirectResponse(f"{PEOPLE}/{user_id}?done=disabled", status_code=303)


@router.post(PEOPLE + "/{user_id}/reactivate")
def reactivate(request: Request, session: SessionDep, form: SignedInFormDep, user_id: RecordId) -> Response:
    admin = _admin_form(request, form)
    if isinstance(admin, Response):
        return admin
    user = users.get(session=session, user_id=user_id)
    users.reactivate(session=session, email=user.email, reactivated_by=admin.actor)
    return RedirectResponse(f"{PEOPLE}/{user_id}?done=reactivated", status_code=303)


@router.post(PEOPLE + "/{user_id}/invite", response_class=HTMLResponse)
def reinvite(
    request: Request, session: SessionDep, settings: SettingsDep, form: SignedInFormDep, user_id: RecordId
) -> Response:
    """A new one-time link (the earlier ones stop working), shown on this answer only."""
    admin = _admin_form(request, form)
    if isinstance(admin, Response):
        return admin
    user = users.get(session=session, user_id=user_id)
    csrf = form.person.csrf_token
    try:
        user, secret = users.reinvite(
            session=session,
            email=user.email,
            created_by=admin.actor,
            valid_for=timedelta(hours=settings.invite_valid_hours),
            now=utc_now(),
        )
    except ConflictError:
        problems = {"invite": page_locale(request).gettext(DISABLED_CANNOT_BE_INVITED)}
        return _person_page(request, session, csrf, user, 409, errors=problems)
    return _person_page(request, session, csrf, user, link=_invite_link(settings, secret))
