"""`personal-data`: a fødselsnummer or D-number, a Norwegian phone number or a person's e-mail address in
the text, which is public. The need's contact person belongs in its contact fields, shown only to callers
with a token."""

import re

from service.needs_quality.findings import Finding, TextField
from service.needs_quality.text import NeedText

RULE = "personal-data"
# Eleven digits, or six and five with a space (how a fødselsnummer is often written).
_IDENTITY_NUMBER = re.compile(r"(?<![\d.,])(\d{6}) ?(\d{5})(?!\d|[.,]\d)")
_FIRST_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_SECOND_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
# Groups of 8 digits as phone numbers are written: 12345678, 123 45 678, 12 34 56 78, 1234 5678.
_EIGHT_DIGITS = r"(?:\d{8}|\d{3} \d{2} \d{3}|\d{2} \d{2} \d{2} \d{2}|\d{4} \d{4})"
_WITH_COUNTRY_CODE = re.compile(rf"(?:\+|00)47 ?{_EIGHT_DIGITS}(?![\d])")
# Without +47: the spaced forms of phone numbers (never amounts: those group by three), first digit 2-9.
_SPACED = re.compile(r"(?<![\d+])(?<!\d )(?:[2-9]\d{2} \d{2} \d{3}|[2-9]\d \d{2} \d{2} \d{2})(?! ?\d)")
# Eight digits in a row are as often a CPV code or a case number: a phone only after a phone word.
_PLAIN = re.compile(r"(?<![\d+])[2-9]\d{7}(?!\d)")
_PHONE_WORD = re.compile(
    r"\b(?:tlf|telefon\w*|mob|mobil\w*|ring\w*|nås|sms|phone|call|tel|mobile|reach\w*|contact|kontakt\w*)\b",
    re.IGNORECASE,
)
_PHONE_WORD_REACH = 40  # characters before the number
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-]+)@[\w-]+(?:\.[\w-]+)+")
# Local parts of shared mailboxes: a role, a unit or a function, not a person.
_ROLE_WORDS = frozenset(
    [
        "post",
        "postmottak",
        "postkasse",
        "firmapost",
        "mottak",
        "info",
        "informasjon",
        "kontakt",
        "contact",
        "kundeservice",
        "service",
        "servicetorget",
        "support",
        "hjelp",
        "help",
        "admin",
        "administrasjon",
        "innkjop",
        "innkjøp",
        "anskaffelse",
        "anskaffelser",
        "procurement",
        "purchasing",
        "tender",
        "sales",
        "salg",
        "faktura",
        "invoice",
        "invoices",
        "regnskap",
        "okonomi",
        "økonomi",
        "booking",
        "noreply",
        "reply",
        "webmaster",
        "sentralbord",
        "resepsjon",
        "reception",
        "eiendom",
        "ikt",
        "it",
        "teknisk",
        "drift",
        "vann",
        "vakt",
        "helse",
        "skole",
        "barnehage",
        "kommune",
        "office",
        "mail",
        "hr",
        "personal",
        "lonn",
        "lønn",
        "jobb",
        "press",
        "presse",
        "media",
        "kommunikasjon",
        "byggesak",
        "plan",
        "miljo",
        "miljø",
    ]
)


def _valid_identity_number(digits: str) -> bool:
    """Both mod-11 control digits right and a possible date: day 1-31 (D-number: +40), month 1-12
    (H-number +40, Skatteetaten's synthetic test numbers +80)."""
    numbers = [int(digit) for digit in digits]
    for weights, position in ((_FIRST_WEIGHTS, 9), (_SECOND_WEIGHTS, 10)):
        control = (11 - sum(w * n for w, n in zip(weights, numbers, strict=False)) % 11) % 11
        if control == 10 or control != numbers[position]:
            return False
    day, month = int(digits[0:2]), int(digits[2:4])
    return (1 <= day % 40 <= 31 and day < 72) and 1 <= month % 40 <= 12


def _is_role_address(local_part: str) -> bool:
    return any(token in _ROLE_WORDS for token in re.split(r"[._+-]", local_part.lower()))


def _finding(field: TextField, start: int, end: int, what_en: str, what_no: str) -> Finding:
    return Finding(
        rule=RULE,
        severity="warning",
        field=field,
        start=start,
        end=end,
        message_en=f"The text contains {what_en}. Needs are public: personal data does not belong in them.",
        message_no=f"Teksten inneholder {what_no}. Behov er offentlige: personopplysninger hører ikke hjemme i dem.",
        suggestion_en="Remove it; put the contact person in the need's contact fields, which only signed-in "
        "users see, or use a shared mailbox such as postmottak@.",
        suggestion_no="Fjern den; legg kontaktpersonen i behovets kontaktfelt, som bare innloggede ser, "
        "eller bruk en felles postkasse som postmottak@.",
    )


def _in_field(field: TextField, text: str) -> list[Finding]:
    findings = []
    for match in _IDENTITY_NUMBER.finditer(text):
        if _valid_identity_number(match.group(1) + match.group(2)):
            findings.append(
                _finding(field, match.start(), match.end(), "a national identity number", "et fødselsnummer")
            )
    phones = [*_WITH_COUNTRY_CODE.finditer(text), *_SPACED.finditer(text)]
    phones += [
        match
        for match in _PLAIN.finditer(text)
        if _PHONE_WORD.search(text, max(0, match.start() - _PHONE_WORD_REACH), match.start())
    ]
    taken: list[range] = []
    for match in sorted(phones, key=lambda found: found.start()):
        if any(match.start() in span for span in taken):
            continue  # a +47 number also matches without its prefix
        taken.append(range(match.start(), match.end()))
        findings.append(_finding(field, match.start(), match.end(), "a phone number", "et telefonnummer"))
    for match in _EMAIL.finditer(text):
        if not _is_role_address(match.group(1)):
            findings.append(
                _finding(
                    field, match.start(), match.end(), "a person's e-mail address", "en persons e-postadresse"
                )
            )
    return findings


def find(text: NeedText) -> list[Finding]:
    return [finding for field, value in text.fields() for finding in _in_field(field, value)]
