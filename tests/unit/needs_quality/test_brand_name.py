"""`brand-name`: curated brands, catalogue names and trademark-like tokens, unless "eller tilsvarende"
follows in the same or the next sentence."""

import pytest

from service.needs_quality.brand_names import catalogue_names
from tests.unit.needs_quality.helpers import rules_of, with_sentence


@pytest.mark.parametrize(
    "sentence",
    [
        "Vi ønsker å prøve Tunstall-alarmer på sykehjemmet.",
        "Løsningen må fungere med Ciscos utstyr.",
        "Every pupil will get a SchoolMate® account next year.",
        "The access points are of the type MR46.",
        "Vi har i dag ruteren XG-2000 på alle skoler.",
        "Brukerne får Samsung Galaxy Tab Active5.",
        # A product's name and version: two capitalised words and a number.
        "The capture software should work with Kofax Capture 11.",
        "Vi har sett på en robot av typen Dolphin Wave 100.",
    ],
)
def test_a_brand_without_equivalent_is_found(sentence: str) -> None:
    assert rules_of(with_sentence(sentence)) == {"brand-name"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Delløsninger for innkjøp og lager er like aktuelle som én samlet løsning.",  # Dell
        "A report from Oxford described the same problem.",  # Ford
        "HPV-vaksinen er ikke en del av dette behovet.",  # HP
        "Vi har sett på løsninger fra Zaptec eller tilsvarende.",
        "Vi har sett på Glamox-armaturer. Tilsvarende armaturer fra andre er like aktuelle.",
        "We have looked at Danfoss valves. Any equivalent product is equally welcome.",
        "Sensorene kan bruke LoRaWAN, NB-IoT eller BACnet, og tåle IP67.",
        "Tiltaket gjelder strekningen langs E39 og Fv 44.",
        "Målerne kan kobles til en IoT-plattform eller sende via MQTT-meldinger.",  # a standard, hyphenated
        "We picture IoT-based counters, but other ideas are welcome.",
        "Metadata shall follow Noark 5, and the reports are due in Phase 2.",
    ],
)
def test_no_brand_is_found(sentence: str) -> None:
    assert "brand-name" not in rules_of(with_sentence(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        # Names on no list, known by how the text points at them: "fra", "av typen", "bruker", "from"...
        "Skolene bruker i dag Elevhub til fraværsføring.",
        "Vi ser for oss ferdigmåltider fra Fjellmat.",
        "Vi ser for oss seks ergometre av typen Kettlerun Pro.",
        "We are considering classroom microphone kits from Sonavox.",
        "The libraries use Bibliofy for loans, and staff find it slow.",
        "Foreldrene får beskjeder via Barnehub og på papirlapper.",
        "Sentralbordet går i dag på Ringvox, og køen er lang.",
        # A name shaped as a web address, and an unfamiliar name with a model number.
        "Vi har prøvd en chatbot fra Snakk.ai på nettsidene.",
        "The current spreaders are Vinterkraft Polaris ST 4500 and cannot adjust the dose.",
    ],
)
def test_an_unfamiliar_name_pointed_at_as_a_product_is_found(sentence: str) -> None:
    assert rules_of(with_sentence(sentence)) == {"brand-name"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Barna i Nordbygda har flere hull i tennene enn ellers i kommunen.",  # a place, no pointer
        "The beach toilet at Sjøvika is locked most summer evenings.",
        "Vi har fått innspill fra Bergen og Trondheim.",  # known words: places in the lexicon
        "The queue is longest on Saturdays from March.",
        "Vi har sett på kjøleskap fra Frostex eller tilsvarende.",
        "The sensors can use LoRaWAN or NB-IoT.",  # standards, not products
        "The gritting lorries run on HVO100 from next year.",  # a fuel standard
        "Reisende kommer hit via Oslo og Gardermoen.",
        # "Karie" is a brand; "Karies" before a verb is a word, not Karie's.
        "Karies er fortsatt vanlig blant femåringene.",
    ],
)
def test_a_name_that_is_not_pointed_at_as_a_product_is_not_found(sentence: str) -> None:
    assert "brand-name" not in rules_of(with_sentence(sentence))


def test_equivalent_two_sentences_later_is_too_late() -> None:
    sentence = (
        "Vi ønsker å bruke Zaptec-ladere. De skal stå ved rådhuset. Tilsvarende ladere er også aktuelle."
    )
    assert "brand-name" in rules_of(with_sentence(sentence))


def test_catalogue_names_are_found_without_their_legal_form() -> None:
    names = catalogue_names(["Lekkasjelosen AS", "Åpen Kommunedata AS"], ["Slukvakt: varsling av tette sluk"])
    assert names == {"Lekkasjelosen", "Åpen Kommunedata", "Slukvakt"}
    sentence = with_sentence("Vi har lest om Lekkasjelosen i fagpressen.")
    assert rules_of(sentence, known_names=names) == {"brand-name"}
    assert rules_of(sentence, known_names=frozenset()) == set()


def test_a_long_solution_title_is_not_a_name() -> None:
    assert catalogue_names([], ["Acoustic leak correlator for district metered areas"]) == set()
