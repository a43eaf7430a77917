"""A need that passes every rule, to which a test adds the one thing it is about."""

from service.needs_quality import check

GOOD_TITLE = "Vanntap i ledningsnettet"
GOOD_DESCRIPTION = (
    "Vi mister i dag rundt 32 prosent av drikkevannet på vei til abonnentene, og driftspersonellet finner "
    "lekkasjene først når vannet kommer opp i veien. Det koster oss om lag 4 millioner kroner i året. "
    "Vi ønsker å finne lekkasjer tidligere, med mål om under 20 prosent vanntap innen 2030."
)


def rules_of(
    description: str, title: str = GOOD_TITLE, known_names: frozenset[str] = frozenset()
) -> set[str]:
    return {finding.rule for finding in check(title, description, known_names=known_names).findings}


def with_sentence(sentence: str) -> str:
    return f"{GOOD_DESCRIPTION} {sentence}"
