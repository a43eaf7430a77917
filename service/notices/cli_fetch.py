"""`innomatch notices fetch`: new notices from Doffin, saved to a folder and handed to the importer."""

from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import httpx
import typer

from service.config import Settings, get_settings
from service.notices.doffin import DoffinError, FetchedNotice, FetchReport, doffin_client, fetch_notices


class NoticeImportUnavailable(Exception):
    """This build has no notice importer to hand fetched notices to."""


def import_fetched(notices: list[FetchedNotice], *, settings: Settings) -> None:
    """Store fetched notices through the eForms importer.

    The intended call, once `service.notices.importer` is part of the build, is
    `import_documents(documents=[(n.name, n.data) for n in notices], source="doffin", ...)` inside a
    migrated session of `settings`, with each notice's `source_url` stored as the notice's link,
    printing the importer's report. This build has no importer: the call refuses with a clear error,
    so that fetching with `--no-import` (and `--save-to`) is the way to use it here.
    """
    raise NoticeImportUnavailable(
        f"{len(notices)} fetched notices cannot be imported: this build has no notice importer "
        f"(database {settings.resolved_database_url}); fetch with --save-to DIR --no-import"
    )


def fetch_command(
    since: Annotated[str, typer.Option(help="First issue date to fetch, YYYY-MM-DD.")],
    until: Annotated[
        str | None, typer.Option(help="Last issue date to fetch, YYYY-MM-DD (default: today).")
    ] = None,
    cpv: Annotated[
        list[str] | None,
        typer.Option(help="Only notices of this CPV code or its subtree (8 digits); may repeat."),
    ] = None,
    save_to: Annotated[
        Path | None, typer.Option(help="Write each notice's XML to this folder as <doffin id>.xml.")
    ] = None,
    import_notices: Annotated[
        bool, typer.Option("--import/--no-import", help="Hand the fetched notices to the importer.")
    ] = True,
) -> None:
    """Fetch the notices Doffin has issued since a date (INNOMATCH_DOFFIN_SUBSCRIPTION_KEY needed)."""
    first = _day("--since", since)
    last = _day("--until", until) if until else date.today()
    if last < first:
        raise typer.BadParameter(f"{last} is before --since {first}", param_hint="--until")
    codes = [_cpv(code) for code in cpv or []]
    settings = get_settings()
    if save_to is not None:
        save_to.mkdir(parents=True, exist_ok=True)
    report = FetchReport()
    fetched: list[FetchedNotice] = []
    try:
        with httpx.Client() as http:
            doffin = doffin_client(http, settings)
            for notice in fetch_notices(doffin, since=first, until=last, cpv=codes, report=report):
                fetched.append(notice)
                if save_to is not None:
                    (save_to / notice.name).write_bytes(notice.data)
    except DoffinError as error:
        typer.echo(f"Doffin: {error}", err=True)
        raise typer.Exit(1) from error
    typer.echo(f"{len(fetched)} notices issued {first}..{last} fetched in {report.searches} searches")
    for day, missed in sorted(report.unreachable.items()):
        typer.echo(f"{day}: {missed} notices could not be reached (more than Doffin pages to)", err=True)
    if import_notices:
        try:
            import_fetched(fetched, settings=settings)
        except NoticeImportUnavailable as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(1) from error


def _day(option: str, value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise typer.BadParameter(f"{value!r} is not a date YYYY-MM-DD", param_hint=option) from error


def _cpv(code: str) -> str:
    digits = code.split("-")[0]  # "45233141-9": the check digit is not part of the search
    if len(digits) != 8 or not digits.isascii() or not digits.isdigit():
        raise typer.BadParameter(f"{code!r} is not a CPV code (8 digits)", param_hint="--cpv")
    return digits
