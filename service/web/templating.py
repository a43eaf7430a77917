"""The pages' Jinja2 environment; autoescape is on, so every value is escaped."""

from pathlib import Path

from fastapi.templating import Jinja2Templates

from service.web.assets import FAVICON

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")
templates.env.globals["favicon"] = FAVICON
