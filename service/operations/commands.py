"""The `innomatch backup` and `innomatch restore` commands (registered on the app in service/cli.py)."""

import sqlite3
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from service.config import get_settings
from service.operations.sqlite_files import OperationRefused, sqlite_database_path


def backup_command(
    path: Annotated[
        Path,
        typer.Argument(
            help="File to write (replaced atomically if it exists), or a directory to write "
            "innomatch-<UTC time>.sqlite3 into."
        ),
    ],
) -> None:
    """Back up the embedded SQLite database to PATH; safe while the service runs (PostgreSQL: use pg_dump)."""
    from service.operations.backup import backup_database, record_backup

    settings = get_settings()
    try:
        database = sqlite_database_path(settings.resolved_database_url)
        report = backup_database(database=database, target=path)
    except (OperationRefused, OSError, sqlite3.Error) as error:
        _fail("backup", error)
    record_backup(settings.data_dir, report)
    typer.echo(
        f"backed up {database} to {report.path} "
        f"(schema revision {report.revision}, {report.size_bytes / 1e6:.1f} MB)"
    )


def restore_command(
    path: Annotated[Path, typer.Argument(help="A backup made by `innomatch backup`.")],
) -> None:
    """Replace the embedded SQLite database with the backup PATH; stop the service first.

    The index snapshots are removed; the next start rebuilds them from the stored vectors and upgrades an
    older schema.
    """
    from service.operations.restore import restore_database

    settings = get_settings()
    try:
        database = sqlite_database_path(settings.resolved_database_url)
        report = restore_database(source=path, database=database, index_dir=settings.index_dir)
    except (OperationRefused, OSError, sqlite3.Error) as error:
        _fail("restore", error)
    upgrade = (
        "" if report.revision == report.head else f"; the service upgrades it to {report.head} when it starts"
    )
    typer.echo(f"restored {path} into {database} (schema revision {report.revision}{upgrade})")
    if report.previous is not None:
        typer.echo(f"the database it replaced is kept as {report.previous}")
    typer.echo("index snapshots removed: the next start rebuilds them from the stored vectors")


def _fail(action: str, error: Exception) -> NoReturn:
    outcome = "refused" if isinstance(error, OperationRefused) else "failed"
    typer.echo(f"{action} {outcome}: {error}", err=True)
    raise typer.Exit(code=1) from error
