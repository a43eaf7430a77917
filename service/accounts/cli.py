"""`innomatch user add|invite|list|disable|revoke-sessions`: accounts for people, from the machine
that holds the database (as `innomatch tokens` is for API tokens)."""

from datetime import timedelta
from typing import Annotated

import typer
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from service.access import operator
from service.config import get_settings
from service.db import utc_now
from service.errors import ConflictError, FieldErrors, NotFoundError
from service.migrations import migrated_session

users_cli = typer.Typer(help="Accounts for people: add (prints an invitation link), invite again, disable.")
EmailArgument = Annotated[str, typer.Argument(help="The person's e-mail address, their sign-in name.")]


def _invite_valid_for() -> timedelta:
    return timedelta(hours=get_settings().invite_valid_hours)


def _print_link(secret: str) -> None:
    settings = get_settings()
    typer.echo(
        f"Invitation link, valid {settings.invite_valid_hours} hours and once; give it to this person only:"
    )
    typer.echo(f"{settings.public_base_url.rstrip('/')}/invite/{secret}")


@users_cli.command("add")
def add(
    email: EmailArgument,
    name: Annotated[
        str, typer.Option(help="The person's name, e.g. 'Kari Nordmann'; it names them in the audit trail.")
    ],
    role: Annotated[str, typer.Option(help="admin, staff, officer or supplier.")],
    municipality: Annotated[
        str | None, typer.Option(help="The officer's municipality number, e.g. 0301.")
    ] = None,
    supplier: Annotated[int | None, typer.Option(help="The supplier's id, for a supplier.")] = None,
) -> None:
    """Add a person and print a one-time link where they set their password."""
    from service.accounts import users
    from service.accounts.schemas import UserCreate

    try:
        user_in = UserCreate.model_validate(
            {
                "email": email,
                "name": name,
                "role": role,
                "municipality_number": municipality,
                "supplier_id": supplier,
            }
        )
    except ValidationError as error:
        raise typer.BadParameter("; ".join(_problem(item) for item in error.errors())) from error
    with migrated_session() as session:
        try:
            user, secret = users.add(
                session=session,
                user_in=user_in,
                created_by=operator().actor,
                invite_valid_for=_invite_valid_for(),
                now=utc_now(),
            )
        except (FieldErrors, ConflictError) as error:
            raise typer.BadParameter(str(error)) from error
    typer.echo(f"user {user.id} ({user.role}) {user.name} <{user.email}>.")
    _print_link(secret)


def _problem(error: ErrorDetails) -> str:
    location = ".".join(str(part) for part in error["loc"] if isinstance(part, str))
    message = error["msg"].removeprefix("Value error, ")
    return f"{location}: {message}" if location else message


@users_cli.command("invite")
def invite(email: EmailArgument) -> None:
    """Print a new invitation link (the earlier ones stop working): for a link not used in time, or a
    forgotten password (the person's sessions end when they set the new one)."""
    from service.accounts import users

    with migrated_session() as session:
        try:
            user, secret = users.reinvite(
                session=session,
                email=email,
                created_by=operator().actor,
                valid_for=_invite_valid_for(),
                now=utc_now(),
            )
        except (NotFoundError, ConflictError) as error:
            raise typer.BadParameter(str(error)) from error
    typer.echo(f"user {user.id} ({user.role}) {user.name} <{user.email}>.")
    _print_link(secret)


@users_cli.command("list")
def list_users() -> None:
    """People with accounts: id, role, binding, e-mail, name, and whether they have set a password."""
    from service.accounts import users

    with migrated_session() as session:
        for user in users.listed(session=session):
            binding = user.municipality_number or (f"supplier {user.supplier_id}" if user.supplier_id else "")
            state = (
                f"disabled {user.disabled_at:%Y-%m-%d %H:%M}"
                if user.disabled_at
                else ("active" if user.password_hash else "invited")
            )
            typer.echo(f"{user.id}\t{user.role}\t{binding}\t{user.email}\t{user.name}\t{state}")


@users_cli.command("disable")
def disable(email: EmailArgument) -> None:
    """Disable an account: its sessions end, its own API tokens are revoked, its links stop working."""
    from service.accounts import users

    with migrated_session() as session:
        try:
            done = users.disable(session=session, email=email, disabled_by=operator().actor, now=utc_now())
        except NotFoundError as error:
            raise typer.BadParameter(str(error)) from error
    typer.echo(
        f"user {done.user.id} <{done.user.email}> disabled: {done.sessions_ended} sessions ended,"
        f" {done.tokens_revoked} tokens revoked"
    )


@users_cli.command("revoke-sessions")
def revoke_sessions(email: EmailArgument) -> None:
    """Sign a person out in every browser (a lost laptop); they may sign in again."""
    from service.accounts import users

    with migrated_session() as session:
        try:
            user, ended = users.revoke_sessions(
                session=session, email=email, revoked_by=operator().actor, now=utc_now()
            )
        except NotFoundError as error:
            raise typer.BadParameter(str(error)) from error
    typer.echo(f"user {user.id} <{user.email}>: {ended} sessions ended")
