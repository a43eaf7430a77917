"""`too-short`: a description under 30 words gives the matching (and a supplier) too little to go on."""

from service.needs_quality.findings import Finding
from service.needs_quality.text import NeedText, word_count

RULE = "too-short"
MIN_WORDS = 30


def find(text: NeedText) -> list[Finding]:
    words = word_count(text.description)
    if words >= MIN_WORDS:
        return []
    return [
        Finding(
            rule=RULE,
            severity="warning",
            field="description",
            start=0,
            end=len(text.description),
            message_en=f"The description has {words} words, too few to match well (at least {MIN_WORDS}).",
            message_no=f"Beskrivelsen har {words} ord, for få til en god match (minst {MIN_WORDS}).",
            suggestion_en="Describe the problem, who has it, how it is handled today and the result wanted.",
            suggestion_no="Beskriv problemet, hvem som har det, hvordan det løses i dag og resultatet dere ønsker.",
        )
    ]
