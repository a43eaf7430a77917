"""`context`: the text says neither who is affected (residents, pupils, patients, staff, a service) nor
what today's situation or its cost is. Suppliers need both to judge whether and how they can help."""

import re

from service.needs_quality.findings import Finding, whole_description
from service.needs_quality.measurable_outcome import states_baseline, states_target
from service.needs_quality.problem_not_solution import prescribes
from service.needs_quality.text import NeedText, sentences

RULE = "context"
# "the national student register", "user accounts": things about people, not people affected.
_RECORDS = (
    r"(?:registers?|records?|data|databases?|systems?|accounts?|interfaces?|ids?|numbers?|cards?|lists?)\b"
)
# Stems of the people and services a need is for; a plural form where the singular is also a verb
# ("bruker" uses, "søker" applies).
_AFFECTED = re.compile(
    r"\b(?:innbygger\w*|beboer\w*|brukere\w*|brukerne|elev\w*|pasient\w*|ansatt\w*|personal\w*|lærer\w*|"
    r"foreldre\w*|foresatt\w*|barn|barna|barnet|ungdom\w*|eldre(?!\s+enn)|famili\w*|husholdning\w*|søkere\w*|"
    r"søkerne|leietaker\w*|reisende|pendler\w*|syklist\w*|nabo\w*|saksbehandler\w*|sykepleier\w*|"
    r"helsesykepleier\w*|nattevakt\w*|\w*terapeut\w*|hjemmetjeneste\w*|driftspersonell\w*|"
    r"\w*operatør\w*|utbygger\w*|deltaker\w*|frivillig\w*|innvandrer\w*|flyktning\w*|pårørende|"
    r"vaktmester\w*|turist\w*|besøkende|abonnent\w*|kunder|politiker\w*|båteier\w*|legevakt\w*|"
    r"sykehjem\w*|turgåer\w*|skoleklass\w*|badegjest\w*|"
    r"\w+(?:avdelingen|etaten|kontoret|tjenesten|tjenestene|enheten|enhetene|sektoren)|"
    rf"residents?|citizens?|inhabitants?|(?:users?|pupils?|students?|patients?|employees?)(?!\s+{_RECORDS}|-)|"
    r"staff|teachers?|"
    r"parents?|child|children|young\s+people|youth|elderly|older\s+(?:people|residents|adults)|"
    r"famil(?:y|ies)|households?|applicants?|tenants?|passengers?|travell?ers?|commuters?|cyclists?|"
    r"neighbou?rs?|case\s+(?:officers?|workers?)|nurses?|carers?|caretakers?|operators|"
    r"(?:bus|taxi|lorry|truck|delivery|ambulance)\s+drivers?|clubs?|politicians?|skippers?|boat\s+owners?|"
    rf"(?:\w+\s+)office(?!\s+{_RECORDS}|\s+(?:software|suite|equipment))|"
    # "the fire and rescue service needs"; "the scanning service shall" is the solution wanted.
    r"the\s+(?:[a-z]+\s+){1,3}service(?!\s+(?:shall|must|should|will|is\s+required))|"
    r"volunteers?|visitors?|hikers?|walkers?|swimmers?|bathers?|tourists?|relatives?|immigrants?|refugees?|homeowners?|home\s+care|"
    r"care\s+homes?|nursing\s+homes?|customers?|subscribers?|departments?|(?-i:teams?))\b",
    re.IGNORECASE,
)
# Today's situation or its cost.
_TODAY = re.compile(
    r"\b(?:i\s+dag|dagens|i\s+fjor|hittil|nå\s+har|koster|kostet|kostnad\w*|"
    r"klager|klaget|mangler|savner|"
    r"today|currently|at\s+present|last\s+year|so\s+far|costs?|costing|cost\s+us|"
    r"complain(?:s|ed|ts?)?|lacks?|we\s+lack)\b",
    re.IGNORECASE,
)


# Where a sentence joins today's figure to the target: "Vi har 38 % vanntap og ønsker å halvere det".
_CLAUSE_JOIN = re.compile(r",|\b(?:og|men|and|but)\b", re.IGNORECASE)


# The value of the contract to be bought is no cost of today's situation.
_CONTRACT_VALUE = re.compile(
    r"\b(?:estimert|anslått|antatt)\s+(?:kontrakts)?verdi|\bkontraktsverdi|\b(?:estimated\s+)?contract\s+value|"
    r"\bestimated\s+value",
    re.IGNORECASE,
)


def _tells_today(sentence: str) -> bool:
    """Today's situation, its cost or a measured baseline, in a sentence that is no requirement: "skal ha
    samme oppsett som dagens" names today's system in passing, it does not say how things are."""
    if prescribes(sentence):
        return False
    if _TODAY.search(sentence):
        return True
    if _CONTRACT_VALUE.search(sentence):
        return False
    # "Our schools use 160 kWh per square metre", also when a target follows in the same sentence; a
    # clause after the target goes on with it ("Målet er at …, og at ingen saker …").
    for clause in _CLAUSE_JOIN.split(sentence):
        if states_baseline(clause):
            return True
        if states_target(clause):
            return False
    return False


def find(text: NeedText) -> list[Finding]:
    if _AFFECTED.search(text.whole) or _TODAY.search(text.title):
        return []
    if any(_tells_today(sentence.text) for sentence in sentences(text.description)):
        return []
    return [
        whole_description(
            RULE,
            "info",
            text.description,
            message=(
                "The text does not say who is affected or what the situation and its cost are today.",
                "Teksten sier ikke hvem som er berørt, eller hvordan situasjonen er og hva den koster i dag.",
            ),
            suggestion=(
                "Say who has the problem (residents, pupils, staff, a service), how things are today "
                "and what that costs.",
                "Si hvem som har problemet (innbyggere, elever, ansatte, en tjeneste), hvordan det er "
                "i dag og hva det koster.",
            ),
        )
    ]
