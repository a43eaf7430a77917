"""`too-short`: a description under 30 words gives the matching (and a supplier) too little to go on."""

from service.needs_quality.findings import Finding, whole_description
from service.needs_quality.text import NeedText, word_count

RULE = "too-short"
MIN_WORDS = 30


def find(text: NeedText) -> list[Finding]:
    words = word_count(text.description)
    if words >= MIN_WORDS:
        return []
    return [
        whole_description(
            RULE,
            "warning",
            text.description,
            message=(
                f"The description has {words} words, too few to match well (at least {MIN_WORDS}).",
                f"Beskrivelsen har {words} ord, for få til en god match (minst {MIN_WORDS}).",
            ),
            suggestion=(
                "Describe the problem, who has it, how it is handled today and the result wanted.",
                "Beskriv problemet, hvem som har det, hvordan det løses i dag og resultatet dere ønsker.",
            ),
        )
    ]
