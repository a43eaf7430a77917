"""`innomatch tokens create|list|revoke`: token administration from the machine that holds the database."""

from typing import Annotated

import typer
from pydantic import ValidationError

from service.access import operator
from service.errors import FieldErrors, NotFoundError
from service.migrations import migrated_session

tokens_cli = typer.Typer(help="Create, list and revoke API tokens (stored hashed; a secret is shown once).")


@tokens_cli.command("create")
def create(
    name: Annotated[str, typer.Option(help="Who holds the token, e.g. 'Kari Nordmann, Oslo kommune'.")],
    role: Annotated[str, typer.Option(help="admin, staff, officer or supplier.")],
    municipality: Annotated[
        str | None, typer.Option(help="The officer's municipality number, e.g. 0301.")
    ] = None,
    supplier: Annotated[int | None, typer.Option(help="The supplier's id, for a supplier token.")] = None,
) -> None:
    """Create a token and print its secret; the secret cannot be shown again."""
    from service.tokens import service
    from service.tokens.schemas import TokenCreate

    try:
        token_in = TokenCreate.model_validate(
            {"name": name, "role": role, "municipality_number": municipality, "supplier_id": supplier}
        )
    except ValidationError as error:
        raise typer.BadParameter("; ".join(item["msg"] for item in error.errors())) from error
    with migrated_session() as session:
        try:
            created = service.create(session=session, token_in=token_in, created_by=operator().actor)
        except FieldErrors as error:
            raise typer.BadParameter(str(error)) from error
    typer.echo(f"token {created.id} ({created.role}) for {created.name}. The secret, shown this once:")
    typer.echo(created.token)


@tokens_cli.command("list")
def list_tokens(
    include_revoked: Annotated[bool, typer.Option("--include-revoked", help="Also revoked tokens.")] = False,
) -> None:
    """Tokens without their secrets."""
    from service.tokens import service

    with migrated_session() as session:
        for token in service.listed(session=session, include_revoked=include_revoked):
            binding = token.municipality_number or (
                f"supplier {token.supplier_id}" if token.supplier_id else ""
            )
            revoked = f" revoked {token.revoked_at:%Y-%m-%d %H:%M}" if token.revoked_at else ""
            typer.echo(f"{token.id}\t{token.role}\t{binding}\t{token.prefix}…\t{token.name}{revoked}")


@tokens_cli.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `innomatch tokens list`).")],
) -> None:
    """Revoke a token: it stops working at once."""
    from service.tokens import service

    with migrated_session() as session:
        try:
            token = service.revoke(session=session, token_id=token_id, revoked_by=operator().actor)
        except NotFoundError as error:
            raise typer.BadParameter(str(error)) from error
        typer.echo(f"token {token.id} ({token.name}) revoked at {token.revoked_at:%Y-%m-%d %H:%M:%S} UTC")
