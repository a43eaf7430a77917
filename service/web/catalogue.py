"""The message catalogues as files: the words extracted from the sources (as babel.cfg says where), and
the .po files brought up to date with them (scripts/dev/update_messages.py; tests/unit/web hold the
catalogues to the sources).

The .po files are written without source locations and sorted by msgid, and their header dates are kept,
so that two branches that add words change different lines of them.
"""

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from service.web.i18n import DOMAIN, LOCALES, catalogue_path

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "babel.cfg"
TRANSLATOR_COMMENTS = ("Translators:",)


def extract(root: Path = ROOT, mapping: Path = MAPPING) -> Catalog:
    """Every message the sources under `root` mark for translation, as a template catalogue."""
    with mapping.open() as config:
        method_map, options_map = parse_mapping_cfg(config)  # type: ignore[no-untyped-call]
    template = Catalog(project="Innomatch", domain=DOMAIN, fuzzy=False)
    for filename, line, message, comments, context in extract_from_dir(
        str(root), method_map, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=TRANSLATOR_COMMENTS
    ):
        template.add(message, None, [(filename, line)], auto_comments=comments, context=context)
    return template


def read_catalogue(locale: str, path: Path | None = None) -> Catalog:
    with (path or catalogue_path(locale)).open("rb") as source:
        return read_po(source, locale=locale, domain=DOMAIN)


def update_catalogues(template: Catalog) -> list[Path]:
    """Each locale's .po file with the template's messages: new ones empty, changed ones fuzzy with the
    old translation as a suggestion, gone ones removed."""
    written = []
    for locale in LOCALES:
        path = catalogue_path(locale)
        if path.exists():
            catalogue = read_catalogue(locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalogue = Catalog(locale=locale, domain=DOMAIN, project="Innomatch", fuzzy=False)
        catalogue.update(template, update_creation_date=False)
        # Stable header fields: no dates or names that would differ between two branches' runs.
        catalogue.project, catalogue.version = "Innomatch", "1"
        catalogue.msgid_bugs_address = catalogue.last_translator = catalogue.language_team = "Innomatch"
        with path.open("wb") as target:
            write_po(target, catalogue, width=0, no_location=True, sort_output=True, ignore_obsolete=True)
        written.append(path)
    return written
