"""The pages of a person's account: sign-in, sign-out, the invitation to set a password, and the
profile (change the password; list, create and revoke one's own API tokens).

Like every page they only translate: form -> service function -> template. Field problems are
answered on the same page next to the field, with a status a client can act on (422, 401, 429).
"""

import math
from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.orm import Session

from service.accounts import invites, repository, sessions, sign_in
from service.accounts.browser_secrets import PRE_SESSION_COOKIE, SESSION_COOKIE, csrf_token_for
from service.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from service.auth import SignedIn, signed_in
from service.config import Settings
from service.db import utc_now
from service.deps import SessionDep, SettingsDep
from service.models import User
from service.text_fields import RecordId
from service.tokens import service as tokens
from service.tokens.schemas import TokenCreate, TokenCreated, TokenName
from service.web.browser_cookies import clear_cookie, no_store, pre_session_secret, set_cookie
from service.web.forms import FormFields, PreSessionForm, SignedInFormDep, check_session_token
from service.web.templating import templates

router = APIRouter(include_in_schema=False)
InviteSecret = Annotated[str, Path(max_length=100)]
AFTER_SIGN_IN = "/profile"
MAX_EMAIL_LENGTH = 254
_token_name = TypeAdapter(TokenName)


def local_path(candidate: str | None, default: str = AFTER_SIGN_IN) -> str:
    """Where to go after sign-in: a path of this site only, never another site ("//evil.example")."""
    if (
        candidate
        and candidate.startswith("/")
        and not candidate.startswith("//")
        and "\\" not in candidate
        and candidate.isprintable()
        and len(candidate) <= 500
    ):
        return candidate
    return default


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _minutes_until(moment: datetime) -> int:
    return max(1, math.ceil((moment - utc_now()) / timedelta(minutes=1)))


def _page(request: Request, template: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    context = {**context, "min_length": MIN_PASSWORD_LENGTH}
    return no_store(templates.TemplateResponse(request, template, context, status_code=status))  # type: ignore[return-value]


def _pre_session_page(
    request: Request, template: str, context: dict[str, Any], status: int = 200
) -> HTMLResponse:
    """A page with a form sent before sign-in: tied to the pre-session cookie, set here if new."""
    secret, new = pre_session_secret(request)
    response = _page(request, template, {**context, "csrf_token": csrf_token_for(secret)}, status)
    if new:
        set_cookie(response, request, PRE_SESSION_COOKIE, secret)
    return response


def _signed_in_redirect(
    request: Request, session: Session, settings: Settings, user: User, to: str
) -> Response:
    """Sign-in: a new session (never one whose secret the browser had before), and the way on."""
    secret = sessions.start(session=session, user=user, now=utc_now())
    response = RedirectResponse(to, status_code=303)
    set_cookie(response, request, SESSION_COOKIE, secret, max_age=settings.session_lifetime_hours * 3600)
    clear_cookie(response, request, PRE_SESSION_COOKIE)
    return response


# -- sign-in and sign-out --


def _login_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
    defaults: dict[str, Any] = {
        "email": "",
        "next_path": AFTER_SIGN_IN,
        "errors": {},
        "refusal": None,
        "locked_minutes": None,
    }
    response = _pre_session_page(request, "login.html", {**defaults, **context}, status)
    if context.get("locked_minutes"):
        response.headers["Retry-After"] = str(context["locked_minutes"] * 60)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str | None = None) -> HTMLResponse:
    return _login_page(request, next_path=local_path(next))


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, session: SessionDep, settings: SettingsDep, fields: PreSessionForm) -> Response:
    email, password = fields.get("email", "").strip(), fields.get("password", "")
    shown = {"email": email[:MAX_EMAIL_LENGTH], "next_path": local_path(fields.get("next"))}
    errors = {name: "missing" for name, value in (("email", email), ("password", password)) if not value}
    if errors:
        return _login_page(request, 422, errors=errors, **shown)
    if len(email) > MAX_EMAIL_LENGTH or len(password) > MAX_PASSWORD_LENGTH:
        return _login_page(request, 401, refusal="wrong", **shown)
    result = sign_in.sign_in(
        session=session, email=email, password=password, address=_client_address(request), now=utc_now()
    )
    if result.locked_until is not None:
        minutes = _minutes_until(result.locked_until)
        return _login_page(request, 429, refusal="locked", locked_minutes=minutes, **shown)
    if result.user is None:
        return _login_page(request, 401, refusal="wrong", **shown)
    return _signed_in_redirect(request, session, settings, result.user, shown["next_path"])


@router.post("/logout")
def logout(request: Request, session: SessionDep, fields: FormFields) -> Response:
    """Sign-out ends the session in the database, not only in this browser. Without the session's token
    it is refused like any other form: another site could otherwise sign a person out."""
    person = signed_in(request, session)
    secret = request.cookies.get(SESSION_COOKIE)
    if person is not None and secret:
        check_session_token(person, fields)
        sessions.end(session=session, secret=secret, now=utc_now())
    response = RedirectResponse("/", status_code=303)
    clear_cookie(response, request, SESSION_COOKIE)
    return response


# -- the invitation --

INVALID_STATUS = {"unknown": 404, "used": 410, "expired": 410}


def _invite_invalid(request: Request, state: str) -> HTMLResponse:
    return _page(request, "invite_invalid.html", {"state": state}, INVALID_STATUS[state])


@router.get("/invite/{secret}", response_class=HTMLResponse)
def invite_page(request: Request, session: SessionDep, secret: InviteSecret) -> HTMLResponse:
    invitation = invites.opened(session=session, secret=secret, now=utc_now())
    if invitation.user is None:
        return _invite_invalid(request, invitation.state)
    context = {"user": invitation.user, "secret": secret, "errors": {}}
    return _pre_session_page(request, "invite.html", context)


@router.post("/invite/{secret}", response_class=HTMLResponse)
def set_password(
    request: Request, session: SessionDep, settings: SettingsDep, secret: InviteSecret, fields: PreSessionForm
) -> Response:
    password, repeated = fields.get("password", ""), fields.get("repeated", "")
    accepted = invites.accept(
        session=session, secret=secret, password=password, repeated=repeated, now=utc_now()
    )
    if accepted.state != "valid":
        return _invite_invalid(request, accepted.state)
    if accepted.user is None:
        invitation = invites.opened(session=session, secret=secret, now=utc_now())
        field = "repeated" if accepted.problem == "mismatch" else "password"
        context = {"user": invitation.user, "secret": secret, "errors": {field: accepted.problem}}
        return _pre_session_page(request, "invite.html", context, 422)
    return _signed_in_redirect(request, session, settings, accepted.user, AFTER_SIGN_IN)


# -- the profile --


def _profile_page(
    request: Request, session: Session, person: SignedIn, status: int = 200, **context: Any
) -> HTMLResponse:
    user = repository.get_user(session, person.user_id)
    own = tokens.listed(session=session, include_revoked=False, owner_user_id=person.user_id)
    defaults: dict[str, Any] = {"errors": {}, "done": None, "created": None, "token_name": ""}
    full = {**defaults, **context, "user": user, "tokens": own, "csrf_token": person.csrf_token}
    return _page(request, "profile.html", full, status)


@router.get("/profile", response_class=HTMLResponse)
def profile(request: Request, session: SessionDep, done: str | None = None) -> Response:
    person = signed_in(request, session)
    if person is None:
        return RedirectResponse("/login?next=/profile", status_code=303)
    return _profile_page(request, session, person, done=done if done in ("password", "revoked") else None)


@router.post("/profile/password", response_class=HTMLResponse)
def change_password(request: Request, session: SessionDep, form: SignedInFormDep) -> Response:
    user = repository.get_user(session, form.person.user_id)
    assert user is not None  # the session is open, so the account is there
    fields = form.fields
    changed = sign_in.change_password(
        session=session,
        user=user,
        current=fields.get("current", ""),
        new=fields.get("password", ""),
        repeated=fields.get("repeated", ""),
        address=_client_address(request),
        keep_session_id=form.person.session_id,
        now=utc_now(),
    )
    if changed.problem is None:
        return RedirectResponse("/profile?done=password", status_code=303)
    field = {"wrong_current": "current", "locked": "current", "mismatch": "repeated"}.get(
        changed.problem, "password"
    )
    status = 429 if changed.problem == "locked" else 422
    minutes = _minutes_until(changed.locked_until) if changed.locked_until else None
    return _profile_page(
        request, session, form.person, status, errors={field: changed.problem}, locked_minutes=minutes
    )


@router.post("/profile/tokens", response_class=HTMLResponse)
def create_token(request: Request, session: SessionDep, form: SignedInFormDep) -> Response:
    """A token with the person's role and binding, theirs; the secret is on this answer only."""
    typed = form.fields.get("name", "")
    try:
        name = _token_name.validate_python(typed)
    except ValidationError as error:
        problem = "missing" if not typed.strip() else error.errors()[0]["type"]
        return _profile_page(
            request, session, form.person, 422, errors={"name": problem}, token_name=typed[:60]
        )
    principal = form.person.principal
    token_in = TokenCreate.model_validate(
        {
            "name": name,
            "role": principal.role,
            "municipality_number": principal.municipality_number,
            "supplier_id": principal.supplier_id,
        }
    )
    created: TokenCreated = tokens.create(
        session=session, token_in=token_in, created_by=principal.actor, owner_user_id=form.person.user_id
    )
    return _profile_page(request, session, form.person, created=created)


@router.post("/profile/tokens/{token_id}/revoke")
def revoke_token(session: SessionDep, form: SignedInFormDep, token_id: RecordId) -> Response:
    """Revoke one of the person's own tokens; another's is 404 to them, as if it did not exist."""
    principal = form.person.principal
    tokens.revoke(
        session=session, token_id=token_id, revoked_by=principal.actor, owner_user_id=form.person.user_id
    )
    return RedirectResponse("/profile?done=revoked", status_code=303)
