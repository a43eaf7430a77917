"""Bring the pages' message catalogues up to date with the sources, after adding or changing words:

    PYTHONPATH=. python scripts/dev/update_messages.py

New messages arrive with an empty msgstr, changed ones marked fuzzy with the old translation as a
suggestion, removed ones leave. Then write (or check) the Bokmål of each in
service/web/locale/nb/LC_MESSAGES/messages.po and remove the fuzzy marks; tests/unit/web/test_catalogue.py
fails until every message has one. The English catalogue may stay empty: a msgid is its own English.
"""

from service.web.catalogue import extract, update_catalogues

if __name__ == "__main__":
    template = extract()
    for path in update_catalogues(template):
        print(f"{path}: {len(template)} messages")
