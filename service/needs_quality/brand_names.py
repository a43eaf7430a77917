"""Which names count as brands: the curated list (seed_data/needs_quality/brands.txt), the catalogue's
supplier and product names (given by the caller), and trademark-like tokens."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BRANDS_FILE = Path(__file__).resolve().parents[2] / "seed_data" / "needs_quality" / "brands.txt"
# Legal forms left off a supplier's name: "AquaSense AS" is named "AquaSense" in a text.
_LEGAL_FORM = re.compile(r"\s+(?:AS|ASA|SA|DA|ANS|BA|AB|ApS|Oy|Ltd|Limited|Inc|GmbH|BV|LLC)\.?$")
# A product's name before a colon in a solution title: "Slukvakt: varsling av tette sluk".
_PRODUCT_BEFORE_COLON = re.compile(r"^([^:]{2,40}):")
_MAX_PRODUCT_WORDS = 3
# Standards, protocols, units and public services look like trademarks (mixed case, letters with digits)
# but naming them is not naming a supplier.
NOT_BRANDS = frozenset(
    [
        "LoRaWAN",
        "LoRa",
        "NB-IoT",
        "IoT",
        "LTE-M",
        "PoE",
        "PoE+",
        "WiFi",
        "Wi-Fi",
        "BACnet",
        "KNX",
        "Modbus",
        "OCPP",
        "MQTT",
        "eID",
        "BankID",
        "MinID",
        "ID-porten",
        "kWh",
        "MWh",
        "GWh",
        "TWh",
        "mWh",
        "kW",
        "MW",
        "GW",
        "dB",
        "dBA",
        "pH",
        "NOx",
        "SOx",
        "CO2e",
        "mAh",
        "GHz",
        "MHz",
        "kHz",
        "km/h",
        "iOS",
        "macOS",
        "eHelse",
        "eResept",
        "eSkatt",
        "eSvar",
        "eDialog",
    ]
)
# Letters-then-digits tokens that are standards, units, roads or classes, not model numbers.
NOT_MODEL_PREFIXES = frozenset(
    [
        "IP",
        "CO",
        "NO",
        "PM",
        "EN",
        "NS",
        "ISO",
        "IEC",
        "TEK",
        "WPA",
        "USB",
        "LTE",
        "SDG",
        "KPI",
        "E",
        "RV",
        "FV",
        "EU",
        "DN",
        "PN",
        "PE",
        "SDR",
        "SN",
        "HDMI",
        "GDPR",
        "WCAG",
        "SAML",
        "SCIM",
        "TLS",
        "SSL",
        "HTTP",
        "NEK",
        "AA",
        "BREEAM",
        "CAT",
        "CE",
        "SOSI",
        "IFC",
        "NOK",
        "U",
        "HVO",
    ]
)
_CAMEL_CASE = re.compile(r"(?<![\w-])(?:[a-z]+[A-Z]|[A-Z]+[a-z]+[A-Z])[\w+-]*")
_MODEL_NUMBER = re.compile(r"(?<![\w-])([A-Z]{1,5})-?(\d{2,5})[A-Za-z]{0,3}(?![\w-])")
_WORD_WITH_NUMBER = re.compile(r"(?<![\w-])[A-Z][a-z]+\d{1,4}(?![\w-])")
# A product and its version: "Kofax Capture 11", "Dolphin Wave 100".
_NAME_WITH_VERSION = re.compile(r"(?<![\w-])[A-Z][a-z]+ [A-Z][a-z]+ \d{1,4}(?![\w-])")
# A name shaped as a web address: "Snakk.ai", "Bookit.no".
_DOMAIN_NAME = re.compile(r"(?<![\w.-])[A-ZÆØÅ][\w-]*\.(?:ai|io|app|com|no|net)(?![\w.])")
_MARKED = re.compile(r"(?<![\w-])([\w][\w.+-]*) ?[™®]")


@lru_cache(maxsize=1)
def curated_brands() -> tuple[str, ...]:
    lines = BRANDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def catalogue_names(supplier_names: Iterable[str], solution_titles: Iterable[str]) -> frozenset[str]:
    """The names a text may use for the catalogue's suppliers and products: suppliers without their legal
    form, and a product name written before a colon in a solution's title."""
    names = {_LEGAL_FORM.sub("", name.strip()) for name in supplier_names}
    for title in solution_titles:
        product = _PRODUCT_BEFORE_COLON.match(title.strip())
        if product and len(product.group(1).split()) <= _MAX_PRODUCT_WORDS:
            names.add(product.group(1).strip())
    return frozenset(name for name in names if len(name) >= 3)


_TOKEN = re.compile(r"[^\W_]+")
# A genitive is followed by what is owned, never by a verb: "Karies er vanlig" is no "Karie's".
_VERB_NEXT = re.compile(r"\s+(?:er|var|har|hadde|blir|ble|kan|skal|må|vil|is|was|has|had)\b", re.IGNORECASE)
_MAX_NAME_WORDS = 6


@dataclass(frozen=True)
class NameIndex:
    """Names by their exact text (white space made single), and the most words one has."""

    names: frozenset[str]
    most_words: int


@lru_cache(maxsize=8)
def name_index(names: frozenset[str]) -> NameIndex:
    normalised = frozenset(" ".join(name.split()) for name in names)
    most = max((len(_TOKEN.findall(name)) for name in normalised), default=0)
    return NameIndex(normalised, min(most, _MAX_NAME_WORDS))


def find_names(text: str, index: NameIndex) -> list[tuple[int, int]]:
    """Where whole names stand in the text, as written (case-sensitive), the longest at each place: a set
    lookup per word, so a catalogue of any size costs the same. Not inside a longer word ("Dell" is not in
    "Delløsninger"), but with a genitive s or in a hyphenated compound ("Ciscos", "Cisco-switcher")."""
    tokens = list(_TOKEN.finditer(text))
    found: list[tuple[int, int]] = []
    position = 0
    while position < len(tokens):
        start = tokens[position].start()
        for words in range(min(index.most_words, len(tokens) - position), 0, -1):
            end = tokens[position + words - 1].end()
            candidate = " ".join(text[start:end].split())
            genitive = candidate.endswith("s") and not _VERB_NEXT.match(text, end)
            if candidate in index.names or (genitive and candidate[:-1] in index.names):
                found.append((start, end))
                position += words
                break
        else:
            position += 1
    return found


def is_standard(token: str) -> bool:
    """A standard on its own or as the first part of a compound: "IoT", "IoT-plattform", "LoRaWAN-nettverk"."""
    return token in NOT_BRANDS or token.split("-", 1)[0] in NOT_BRANDS


def trademark_like(text: str) -> list[re.Match[str]]:
    """Tokens marked ™ or ®, CamelCase product names and model numbers ("MR46", "XG-2000", "Active5")."""
    found = list(_MARKED.finditer(text))
    found += [match for match in _CAMEL_CASE.finditer(text) if not is_standard(match.group(0))]
    found += [match for match in _MODEL_NUMBER.finditer(text) if match.group(1) not in NOT_MODEL_PREFIXES]
    found += list(_WORD_WITH_NUMBER.finditer(text))
    found += list(_NAME_WITH_VERSION.finditer(text))
    found += list(_DOMAIN_NAME.finditer(text))
    return found
