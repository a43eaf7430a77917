"""Every word a page can show has its Bokmål: the messages extracted from the sources (as babel.cfg and
pybabel find them) against the catalogues in service/web/locale."""

from pathlib import Path

from babel.messages.catalog import Catalog

from service.web.catalogue import extract, read_catalogue
from service.web.i18n import LOCALES


def _ids(catalogue: Catalog) -> set[str]:
    return {
        message.id if isinstance(message.id, str) else message.id[0] for message in catalogue if message.id
    }


def untranslated(sources: Catalog, catalogue: Catalog) -> list[str]:
    """Messages of the sources with no usable translation: missing, empty (a plural form too) or fuzzy."""
    problems = []
    for message in sources:
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        strings = [] if translated is None else translated.string
        strings = [strings] if isinstance(strings, str) else list(strings)
        if translated is None:
            problems.append(f"missing: {message.id!r}")
        elif translated.fuzzy:
            problems.append(f"fuzzy: {message.id!r}")
        elif not strings or not all(strings):
            problems.append(f"empty: {message.id!r}")
    return problems


SOURCES = extract()


def test_the_sources_have_words_to_translate() -> None:
    assert len(SOURCES) > 100
    assert "Open needs" in _ids(SOURCES), "templates"
    assert "Page not found" in _ids(SOURCES), "N_() in Python"


def test_every_message_has_its_bokmal() -> None:
    assert untranslated(SOURCES, read_catalogue("nb")) == []


def test_the_translations_keep_the_placeholders_of_their_message() -> None:
    problems = [
        (message.id, str(error)) for message, errors in read_catalogue("nb").check() for error in errors
    ]
    assert problems == []


def test_the_catalogues_hold_exactly_the_messages_of_the_sources() -> None:
    """No message that the sources no longer use (scripts/dev/update_messages.py removes them), and the
    English catalogue in step with the Bokmål one."""
    for locale in LOCALES:
        assert _ids(read_catalogue(locale)) == _ids(SOURCES), locale


def test_a_missing_or_fuzzy_translation_is_found(tmp_path: Path) -> None:
    templates = tmp_path / "service" / "web" / "templates"
    templates.mkdir(parents=True)
    (templates / "new.html").write_text(
        '<p>{{ _("Open needs") }} {{ _("A sentence nobody translated") }}</p>'
    )
    sources = extract(root=tmp_path)
    catalogue = read_catalogue("nb")
    assert untranslated(sources, catalogue) == ["missing: 'A sentence nobody translated'"]
    catalogue["Open needs"].flags.add("fuzzy")
    assert untranslated(sources, catalogue)[0] == "fuzzy: 'Open needs'"
