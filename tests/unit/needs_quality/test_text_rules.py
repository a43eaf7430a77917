"""`problem-not-solution`, `measurable-outcome`, `context` and `too-short`."""

import pytest

from tests.unit.needs_quality.helpers import rules_of, with_sentence

SPECIFICATION_NO = (
    "Det skal monteres vannmålere i alle 60 kommunale bygg. Målerne må bruke M-Bus, skal ha en nøyaktighet på "
    "minst 2 prosent og skal sende data hver time via LoRaWAN og MQTT. Løsningen skal være basert på åpne "
    "grensesnitt."
)
SPECIFICATION_EN = (
    "We require 30 charging points for the depot. The chargers must support OCPP 2.0.1 and ISO 15118, shall "
    "deliver at least 22 kW each and must report energy use via a REST API. The system shall be based on "
    "dynamic load balancing."
)


@pytest.mark.parametrize("text", [SPECIFICATION_NO, SPECIFICATION_EN])
def test_a_specification_in_disguise(text: str) -> None:
    # The requirement "at least 2 prosent" / "at least 22 kW" is not an outcome.
    assert rules_of(text, title="Sensorer") == {"problem-not-solution", "measurable-outcome", "context"}


def test_a_list_of_minimum_requirements_is_a_specification() -> None:
    text = (
        "Minimum requirements for the ice resurfacer: battery-electric drive and a water tank of at least "
        "800 litres. The tenderer must offer on-site training and spare parts for ten years."
    )
    assert "problem-not-solution" in rules_of(text, title="Ice resurfacer")


@pytest.mark.parametrize(
    "sentence",
    [
        # One requirement that names the product to use prescribes the whole solution.
        "The solution must use Telecura's platform for remote monitoring.",
        # "Vi trenger 60 ..." is "we need 60 ...": a quantity of a thing to buy.
        "Vi trenger 60 nye nettbrett med deksel til elevene på 5. trinn før skolestart.",
    ],
)
def test_a_named_product_or_a_count_of_things_is_a_specification(sentence: str) -> None:
    assert "problem-not-solution" in rules_of(with_sentence(sentence))


def test_one_requirement_in_a_problem_statement_is_not_a_specification() -> None:
    text = (
        "Søkere om kommunal bolig venter i dag fire måneder på svar, fordi opplysninger må hentes inn fra "
        "flere etater. Løsningen må støtte innlogging med ID-porten. Målet er at 90 prosent får svar innen "
        "en måned."
    )
    assert rules_of(text, title="Kommunale boliger") == set()


@pytest.mark.parametrize(
    "target",
    [
        "Vi vil halvere antall klager.",
        "Målet er at 300 elever får hjelp hver uke.",
        "Fortauene skal være ryddet før klokken 07.30 på minst 9 av 10 snødager.",
        "We want to cut heating energy by 15 %.",
        "The goal is that no classroom is colder than 19 degrees for more than three hours.",
        # A target of zero, and a rate ("one ... per week"), are measurable too.
        "Vi ønsker flere kameraer, slik at antallet innbrudd går ned til null.",
        "We want new cameras so that the number of break-ins falls to zero.",
        "We want to find out in time, with no more than one false alarm per week.",
        "We want at most 10 such incidents per season by 2028.",
        # A measured baseline with a direction of change, without a unit.
        "We want to reduce the number of such complaints from last year's 230.",
        # A rate per school term, and a time of day as the target.
        "We want no more than five such searches a term by 2028.",
        "Vi ønsker at badet er åpent til kl. 22.00 hver dag.",
        "We want it open until 23:00 daily.",
        "We want to cut complaints about overflowing bins to 30 a summer.",
    ],
)
def test_a_target_is_a_measurable_outcome(target: str) -> None:
    text = (
        "Innbyggerne i sentrum klager på problemet, og de ansatte bruker mye tid på å følge opp henvendelser "
        f"om det hver eneste uke gjennom hele året, særlig i de travle periodene om høsten og vinteren. {target}"
    )
    assert "measurable-outcome" not in rules_of(text)


def test_a_number_that_is_no_target_is_no_outcome() -> None:
    text = (
        "Pensjonister mellom 67 og 80 år deltar sjelden på kursene ved frivilligsentralen, og mange sier at de "
        "ikke kjenner til dem. Vi ønsker å gjøre kursene bedre kjent og lettere å melde seg på for de eldre "
        "i hele kommunen."
    )
    assert rules_of(text, title="Kurs for eldre") == {"measurable-outcome"}


@pytest.mark.parametrize(
    "requirement",
    [
        "Sensorene skal være klassifisert for IP68 med en batterilevetid på minst åtte år.",
        "Sensors shall be rated IP68 with a battery life of at least eight years.",
        "The counters are required to run for at least ten years on one battery.",
        # "målepunkter" (measuring points) is no "mål" (target).
        "Kommunen har 14 målepunkter, og sensorene der har en batterilevetid på rundt ti år.",
    ],
)
def test_a_figure_in_a_requirement_is_no_outcome(requirement: str) -> None:
    text = (
        "Innbyggerne i sentrum klager på problemet, og de ansatte bruker mye tid på å følge opp henvendelser "
        f"om det hver eneste uke gjennom hele året, særlig i de travle periodene om høsten og vinteren. {requirement}"
    )
    assert "measurable-outcome" in rules_of(text)


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        (
            "Målet er å redusere vannforbruket med 15 prosent innen 2029. Løsningen bør vise forbruket uke for uke "
            "og kunne tas i bruk i flere bygg.",
            True,
        ),
        (
            "Our care homes use 210 kWh per square metre. We aim to reach 150 kWh by 2030 in every building.",
            False,
        ),
        (
            "Eiendomsavdelingen har oversikt over byggene i regneark, og vi vil ha alle tilstandsgrader oppdatert innen 2026.",
            False,
        ),
        (
            "Microsoft Teams Rooms skal være installert i alle møterom innen 2026, og vi vil halvere antall feil.",
            True,
        ),
        # Today's figure and the target in one sentence: the figure is today's situation.
        ("Skolebyggene bruker 9 GWh i året, og vi vil redusere forbruket med 25 prosent innen 2030.", False),
        ("We lose 28 % of the treated water and want to get below 15 % by 2031.", False),
        # A specification that names today's system in passing says nothing of today's situation.
        (
            "Skjermene skal ha samme oppsett som dagens skjermer og må støtte HDMI. Målet er 40 skjermer innen 2027.",
            True,
        ),
        (
            "The system shall export grades to the national student register and must support SAML. "
            "We aim to go live with 12 schools by 2027.",
            True,
        ),
        # What the solution shall be able to do, or shall include, says nothing of today either.
        (
            "Løsningen skal være basert på en åpen plattform. Løsningen skal kunne erstatte dagens skiltsystem.",
            True,
        ),
        (
            "CO2 sensors shall be installed in all classrooms. Installation and one year of service shall be "
            "included.",
            True,
        ),
        # "shall" states a requirement whatever its subject; a driver in a lamp is not a person.
        ("The scanning service shall convert 2.4 million pages to PDF/A.", True),
        ("The supplier shall deliver luminaires with DALI-2 drivers and must support dimming.", True),
        ("We invite user-centred ideas that strengthen our cultural offer.", True),
        # A named service is who is affected.
        ("Legevakten skal få et nytt system for telefonkø med tilbakeringing.", False),
        ("The harbour office logs the near-collisions in the fairway.", False),
        ("The fire and rescue service needs 40 new thermal imaging cameras by 2027.", False),
        ("Skogen brukes daglig av turgåere og skoleklasser, og vi vil rydde 40 km sti innen 2027.", False),
        # "eldre enn" compares; it names no elderly people.
        ("Målet er at alle bruene har en tilstandsvurdering som ikke er eldre enn fem år innen 2030.", True),
        # What still is, and what people complain of, is today's situation.
        # "fortsatt" / "still" in a target says nothing of today.
        ("Målet er at 80 prosent av trærne fortsatt lever etter fem år.", True),
        # A clause joined to a target continues the target; it is no baseline.
        (
            "Målet er at 95 prosent av henvendelser besvares innen to virkedager, og at ingen saker blir "
            "liggende i mer enn ti dager.",
            True,
        ),
        # A contract's estimated value is no cost of today's situation.
        ("Behovet gjelder arkiv, med en estimert verdi på kr 3 400 000 over fire år.", True),
        # What is lacking is today's situation.
        ("Kommunen har over 600 aktive avtaler. Vi mangler oversikt over utløpsdatoer.", False),
        ("Many complain of algae in the lake every summer, and we want 20 clear weeks by 2028.", False),
    ],
)
def test_context(text: str, missing: bool) -> None:
    assert ("context" in rules_of(text, title="Behov")) is missing


def test_too_short_counts_the_description_words() -> None:
    assert "too-short" in rules_of("Vi har 41 prosent sykefravær og ønsker å halvere det innen 2028.")
    assert "too-short" not in rules_of(" ".join(["ord"] * 30))
