"""`innomatch notices fetch`: new notices from Doffin, checked options, saved to a folder when asked."""

from datetime import date, datetime
from pathlib import Path

import httpx
import typer

from service.config import get_settings
from service.notices.doffin import DoffinError, FetchedNotice, FetchReport, doffin_client, fetch_notices


def fetch_for_command(
    *, since: str, until: str | None, cpv: list[str] | None, save_to: Path | None
) -> list[FetchedNotice]:
    """The notices Doffin has issued in the window, each saved to `save_to` when given; the command's
    options checked (a bad one is a usage error) and what was fetched said."""
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
    return fetched


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
