"""`problem-not-solution`: the text prescribes the solution (technology, design, requirements stated as
obligations, model numbers, protocol lists) instead of the problem and the result wanted.

Anskaffelser.no's guidance on innovation procurement asks for the need as a problem: *what* must be
achieved and *why*, not *how*; a ready specification leaves suppliers nothing to propose.
"""

import re

from service.needs_quality.brand_names import curated_brands, is_standard, trademark_like
from service.needs_quality.findings import Finding
from service.needs_quality.text import NeedText
from service.needs_quality.unfamiliar_names import is_known_word

RULE = "problem-not-solution"
# The thing to be bought as the subject of a requirement (not "elevene skal kunne svømme", a result).
_THING_BOUGHT = (
    r"(?:løsningen|systemet|verktøyet|plattformen|utstyret|programvaren|leverandøren|leveransen|"
    r"sensorene|tilbyder|tilbyderen|(?:the\s+)?(?:solution|system|tool|platform|equipment|software|supplier|"
    r"contractor|tenderer|bidder|"
    r"sensors|devices))"
)
# A count of the things to buy: "Vi trenger 60 nettbrett", "we need 40 access points".
_COUNT_OF_THINGS = (
    r"\b(?:we\s+(?:need|require)|the\s+municipality\s+(?:requires|needs)|vi\s+(?:trenger|behøver)|"
    r"kommunen\s+(?:trenger|behøver))\s+\d+\b"
)
# "skal/må" + a verb of how the thing is built, bought or run; "Det skal installeres"; "must use".
_PRESCRIPTIONS = re.compile(
    r"\b(?:skal|må)\s+(?:ha|bruke|benytte|være\s+basert\s+på|baseres\s+på|støtte|levere|kommunisere|"
    r"integreres|integrere|installeres|installere|monteres|leveres|kjøpes|anskaffe|anskaffes|etableres|"
    r"styres|lagre|kjøre|være\s+av\s+typen|kunne\s+integreres|ha\s+innebygd|driftes)\b"
    r"|\b(?:must|shall)\s+(?:use|support|have|be\s+based\s+on|be\s+of\s+the\s+type|be\s+certified|"
    r"be\s+battery|be\s+installed|be\s+delivered|be\s+controlled|deliver|send|run|integrate|"
    r"communicate|procure|install|lease|export|be\s+compatible|be\s+enrolled)\b"
    rf"|{_COUNT_OF_THINGS}"
    # What the thing bought shall be or do, whatever the verb: "Løsningen skal kunne erstatte …".
    rf"|\b{_THING_BOUGHT}\s+(?:skal|må|shall|must|(?:is|are)\s+required\s+to)\b"
    # A requirement in the passive, or a rating: "shall be rated IP68", "skal være CE-merket".
    r"|\bshall\s+be\s+\w+ed\b|\b(?:is|are)\s+required\s+to\b|\bdet\s+kreves\s+at\b"
    # Officers write "shall" only for requirements, whatever the subject: "The scanning service shall".
    r"|(?<!\bwe\s)\bshall\b|\bshould\s+be\s+compatible\s+with\b"
    r"|\bskal\s+være\s+[\w-]*(?:sertifisert|klassifisert|merket|godkjent)\b"
    # A heading over a list of requirements.
    r"|\b(?:minimum\s+requirements?|minimumskrav|minstekrav)\b",
    re.IGNORECASE,
)
# Protocols and technical standards: a list of them is a specification.
_TECHNICAL_TERMS = re.compile(
    r"(?<![\w-])(?:LoRaWAN|NB-IoT|LTE-M|[45]G|MQTT|BACnet|Modbus|KNX|OCPP|REST(?:-API)?|API|SAML|SCIM|"
    r"RFID|NFC|Bluetooth|PoE\+?|IP6[5-8]|WPA[23]|HDMI|USB-C|802\.1X|JSON|GPS|CAN-bus|Wi-Fi\s?\d|"
    r"ANPR|4K|LED|Zigbee|Z-Wave|SIP|VPN|LDAP)(?![\w-])"
)
_ENOUGH_TECHNICAL_TERMS = 2
# A requirement followed by a name: "must use Telecura's platform", "skal bruke Visma".
_NAME_NEXT = re.compile(r"\s+(?:(?:use|bruke|benytte|be|være)\s+)?(?:the\s+)?([A-ZÆØÅ][\w.+-]*)")


def _names_product(text: str, prescription: re.Match[str]) -> bool:
    """A brand or an unfamiliar name (no standard, no ordinary word: "shall be Norwegian") follows."""
    following = _NAME_NEXT.match(text, prescription.end())
    if following is None:
        return False
    name = following.group(1).split("'")[0]
    return name in curated_brands() or not (is_standard(name) or is_known_word(name))


def prescribes(text: str) -> bool:
    """Whether the text states a requirement on the solution ("må bruke", "shall have")."""
    return _PRESCRIPTIONS.search(text) is not None


def find(text: NeedText) -> list[Finding]:
    whole = text.whole
    prescriptions = list(_PRESCRIPTIONS.finditer(text.description))
    technical = len(_TECHNICAL_TERMS.findall(whole))
    model_numbers = [match for match in trademark_like(whole) if any(ch.isdigit() for ch in match.group(0))]
    specified = len(prescriptions) >= 2 or (
        bool(prescriptions)
        and (
            technical >= _ENOUGH_TECHNICAL_TERMS
            or bool(model_numbers)
            or any(_names_product(text.description, found) for found in prescriptions)
            or any(re.fullmatch(_COUNT_OF_THINGS, found.group(0), re.IGNORECASE) for found in prescriptions)
        )
    )
    if not specified:
        return []
    first = prescriptions[0]
    return [
        Finding(
            rule=RULE,
            severity="warning",
            field="description",
            start=first.start(),
            end=first.end(),
            message_en="The text prescribes a solution (requirements such as “must use”, models, protocols) "
            "rather than the problem and the result wanted.",
            message_no="Teksten beskriver en løsning («skal ha», «må bruke», modeller, protokoller) heller "
            "enn problemet og resultatet dere ønsker.",
            suggestion_en="Say what must be achieved and why: who has the problem, what it costs today, "
            "and how success is measured. Leave the how to the suppliers.",
            suggestion_no="Si hva som skal oppnås og hvorfor: hvem som har problemet, hva det koster i dag "
            "og hvordan dere måler at det er løst. La leverandørene foreslå hvordan.",
        )
    ]
