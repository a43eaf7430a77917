"""`python -m service` runs the `innomatch` command."""

from service.cli import app

app()
