"""The labelled needs that set the buyer-group parameters (see clustering.py and calibration.py).

Each need has a problem label; two needs with the same label describe the same problem. A pair whose
answer is debatable (a label in the other's `maybe`, or a pair in DEBATABLE_LABELS) is left out of the
measurement. Needs generated from a KPI gap are labelled `gap:<KPI code>`, so a written need about the
same problem carries that label too.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LabelledNeed:
    label: str
    municipality_number: str
    language: str
    kpi_codes: tuple[str, ...]
    title: str
    description: str


@dataclass(frozen=True)
class SeededLabel:
    """The label of a demo need (by its seed key) and the labels it might also be taken for."""

    label: str
    maybe: frozenset[str] = field(default_factory=frozenset)


WATER_LOSS = "gap:EC-I-WS-3C"

WRITTEN_NEEDS = (
    LabelledNeed(
        WATER_LOSS,
        "4601",
        "no",
        ("EC-I-WS-3C",),
        "Store vanntap i ledningsnettet",
        "Nesten 30 prosent av drikkevannet lekker ut av gamle støpejernsledninger før det når innbyggerne, og vi finner ikke lekkasjene raskt nok.",
    ),
    LabelledNeed(
        WATER_LOSS,
        "4602",
        "en",
        ("EC-I-WS-3C",),
        "Leaking water mains",
        "A third of the treated water we produce is lost through leaks in ageing pipes. Finding the leaks takes our crews weeks.",
    ),
    LabelledNeed(
        WATER_LOSS,
        "1103",
        "no",
        (),
        "Lekkasjer vi ikke finner",
        "Vannverket pumper langt mer vann enn abonnentene bruker. Vi mistenker skjulte lekkasjer på hovedledningene, men lekkasjesøket gjøres manuelt og tar tid.",
    ),
    LabelledNeed(
        WATER_LOSS,
        "3301",
        "en",
        (),
        "Non-revenue water keeps rising",
        "The gap between water produced and water billed grows every year; burst pipes and invisible seepage in the distribution network are the likely cause.",
    ),
    LabelledNeed(
        "falls",
        "4601",
        "no",
        ("SC-EH-H-1C",),
        "Eldre faller hjemme og blir liggende",
        "Hjemmeboende eldre faller om natten og blir liggende i timevis før noen oppdager det, fordi de ikke rekker å trykke på trygghetsalarmen.",
    ),
    LabelledNeed(
        "falls",
        "5001",
        "en",
        (),
        "Falls at night among older residents",
        "Older people living alone fall at night and are found hours later. We want to detect a fall automatically and alert the home-care service.",
    ),
    LabelledNeed(
        "falls",
        "3107",
        "no",
        (),
        "Trygghetsalarmen brukes ikke når den trengs",
        "Mange brukere tar ikke på seg alarmknappen, og fall oppdages først ved neste hjemmebesøk.",
    ),
    LabelledNeed(
        "waste-overflow",
        "0301",
        "en",
        ("EC-I-WA-1C",),
        "Public bins overflow at weekends",
        "Litter bins in parks and the town centre are full by Saturday afternoon; rubbish blows around and attracts gulls and rats.",
    ),
    LabelledNeed(
        "waste-overflow",
        "1103",
        "no",
        (),
        "Søppelkasser blir fulle før tømming",
        "Avfallsbeholderne i sentrum og på turstiene tømmes etter faste ruter, så noen flyter over mens andre tømmes halvfulle.",
    ),
    LabelledNeed(
        "waste-overflow",
        "4204",
        "en",
        (),
        "Collection rounds ignore how full containers are",
        "Our trucks empty half-empty containers on fixed schedules while busy ones overflow between collections.",
    ),
    LabelledNeed(
        "winter-air",
        "5001",
        "no",
        ("EN-EN-AQ-1C",),
        "Høye svevestøvnivåer om vinteren",
        "På kalde dager overskrides grenseverdiene for svevestøv langs hovedveiene på grunn av piggdekk og vedfyring.",
    ),
    LabelledNeed(
        "winter-air",
        "1804",
        "en",
        (),
        "Poor air in winter",
        "Wood burning and road dust make the air in the town centre unhealthy on cold, still winter days, and we only have one monitoring station.",
    ),
    LabelledNeed(
        "building-energy",
        "4601",
        "no",
        ("EN-E-E-4A",),
        "Skolebyggene bruker for mye energi",
        "Ventilasjon og oppvarming i skolene går for fullt også på kvelder og i helger, og energibruken per kvadratmeter ligger langt over målet.",
    ),
    LabelledNeed(
        "building-energy",
        "1103",
        "en",
        (),
        "Heating and ventilation run around the clock",
        "In our schools and care homes the heating and ventilation are not adjusted to when the buildings are used, so energy use is far above target.",
    ),
    LabelledNeed(
        "bus-signal",
        "4601",
        "en",
        ("EC-ICT-T-3A",),
        "Buses lose time at traffic lights",
        "Buses on the main lines wait at red lights in every junction during rush hour; journey times vary so much that passengers give up on the timetable.",
    ),
    LabelledNeed(
        "bus-signal",
        "1103",
        "no",
        (),
        "Bussene står fast i lyskryssene",
        "Bussene mister mange minutter i lyskryss i rushtiden, og vi har ingen signalprioritering for kollektivtrafikken.",
    ),
    LabelledNeed(
        "sewer-overflow",
        "4602",
        "no",
        ("EN-EN-WS-4C",),
        "Overløp slipper urenset avløp ut i sjøen",
        "Ved kraftig regn går avløpsvann urenset ut gjennom overløpene, og badeplassene må stenges. Vi vet ikke hvor mye som slippes ut.",
    ),
    LabelledNeed(
        "sewer-overflow",
        "5001",
        "en",
        (),
        "Combined sewer overflows pollute beaches",
        "After heavy rain, untreated sewage spills from overflow points into the fjord, and we lack measurements of how often it happens.",
    ),
    LabelledNeed(
        "school-absence",
        "4601",
        "no",
        ("SC-EH-ED-2C",),
        "Skolefravær oppdages for sent",
        "Elever med høyt fravær fanges opp først når fraværet har blitt langvarig, og da er det vanskelig å få dem tilbake.",
    ),
    LabelledNeed(
        "school-absence",
        "0301",
        "en",
        (),
        "Pupils drift into long absence",
        "Rising absence in lower secondary school is noticed too late; we need earlier warning and follow-up.",
    ),
    LabelledNeed(
        "gp-shortage",
        "1806",
        "en",
        ("SC-EH-H-3C",),
        "Residents without a regular GP",
        "Several GP lists have been vacant for a year and thousands of residents have no regular doctor; locums are expensive.",
    ),
    LabelledNeed(
        "gp-shortage",
        "1833",
        "no",
        (),
        "Vi får ikke rekruttert fastleger",
        "Fastlegehjemler står ledige, og innbyggerne må reise langt for å få legetime.",
    ),
    LabelledNeed(
        "school-meals",
        "4602",
        "no",
        (),
        "Skolemat for alle elever",
        "Mange elever kommer på skolen uten matpakke. Vi vil tilby et sunt og rimelig skolemåltid hver dag.",
    ),
    LabelledNeed(
        "library-hours",
        "3107",
        "en",
        (),
        "Library closed when people are free",
        "The branch libraries are staffed only on weekday daytimes; residents want access in the evenings and at weekends.",
    ),
    LabelledNeed(
        "snow-pavements",
        "5501",
        "no",
        (),
        "Fortauene brøytes for sent",
        "Etter snøfall blir fortau og gang- og sykkelveier liggende ubrøytet i mange timer, og eldre blir sittende inne.",
    ),
    LabelledNeed(
        "bridge-inspection",
        "1806",
        "en",
        (),
        "Bridge inspections are slow and costly",
        "We own 80 small bridges and inspect them by hand every five years; damage between inspections goes unnoticed.",
    ),
    LabelledNeed(
        "water-meters",
        "4204",
        "en",
        ("EC-ICT-WS-1C",),
        "Households billed by estimates",
        "Water bills are based on floor area, not on metered consumption, so residents have no incentive to save water.",
    ),
    LabelledNeed(
        "care-driving",
        "5001",
        "no",
        (),
        "Hjemmesykepleien kjører for mye",
        "Sykepleierne i hjemmetjenesten bruker en stor del av dagen på å kjøre mellom brukerne fordi rutene planlegges for hånd.",
    ),
    LabelledNeed(
        "plastic-sorting",
        "4601",
        "en",
        ("EN-EN-WA-1C",),
        "Too little plastic is sorted",
        "Households sort less than a third of their plastic packaging; the rest ends up in residual waste and is incinerated.",
    ),
    LabelledNeed(
        "kindergarten-places",
        "3205",
        "en",
        (),
        "Waiting for a kindergarten place",
        "Children born in autumn wait months for a kindergarten place, which keeps parents from returning to work.",
    ),
)


def _seeded(label: str, *maybe: str) -> SeededLabel:
    return SeededLabel(label, frozenset(maybe))


# Demo needs (seed_data/demo_needs.json) by key; a demo need not listed is a problem of its own.
SEEDED_LABELS = {
    "trondheim-water-loss": _seeded(WATER_LOSS, "gap:EC-ICT-WS-2A"),
    "molde-rural-main-leaks": _seeded(WATER_LOSS, "gap:EC-ICT-WS-2A"),
    "fredrikstad-pipe-renewal": _seeded("pipe-renewal", WATER_LOSS),
    "stavanger-sewer-overflows": _seeded("sewer-overflow"),
    "drammen-sewer-misconnections": _seeded("misconnections", "sewer-overflow", "gap:EC-ICT-D-1A"),
    "kristiansand-blocked-gullies": _seeded("gullies", "sewer-overflow", "gap:EC-ICT-D-1A", "flood-warning"),
    "hamar-flood-response": _seeded("flood-warning", "gullies"),
    "stavanger-nightlife-noise": _seeded("nightlife-noise", "gap:EN-EN-EQ-2A"),
    "bergen-overflowing-recycling-points": _seeded("waste-overflow"),
    "lillehammer-cabin-waste": _seeded("waste-overflow"),
    "bergen-home-care-night-rounds": _seeded("home-care", "falls"),
    "bodo-medication-visits": _seeded("home-care", "falls", "care-driving"),
    "karmoy-falls-at-home": _seeded("falls", "home-care"),
    "drammen-building-energy": _seeded("building-energy", "school-roof", "peak-power"),
    "arendal-school-roof-energy": _seeded("school-roof", "building-energy", "peak-power"),
    "asker-peak-power-costs": _seeded("peak-power", "building-energy", "school-roof"),
    "rana-young-people-outside-work": _seeded("gap:EC-P-EM-2C"),
    "fredrikstad-children-leisure": _seeded("gap:SC-SH-SI-3C"),
    "oslo-grey-schoolyards": _seeded("schoolyards", "gap:EN-EN-PSN-2A", "gap:EC-ICT-D-1A"),
    "oslo-street-parking-charging": _seeded("ev-charging", "gap:EC-I-T-8A"),
    "aukra-small-procurement-team": _seeded("procurement", "gap:EC-ICT-PS-3A"),
    "alesund-estimated-water-use": _seeded("gap:EC-ICT-WS-1C", "water-meters"),
    "bodo-drinking-water-monitoring": _seeded("gap:EC-ICT-WS-2A"),
    "rana-winter-air-quality": _seeded("winter-air"),
    "trondheim-bus-delays-junctions": _seeded("bus-signal"),
    "skien-school-absence": _seeded("school-absence"),
    "narvik-gp-vacancies": _seeded("gp-shortage"),
    "baerum-commuting-by-car": _seeded("commuting", "parking-housing"),
    "sandnes-parking-in-new-housing": _seeded("parking-housing", "commuting"),
}

DEBATABLE_LABELS = frozenset(
    frozenset(pair)
    for pair in (
        ("gap:EC-I-B-1A", "gap:EC-I-B-2A"),  # certified buildings / building management: both building energy
        (WATER_LOSS, "gap:EC-ICT-WS-2A"),  # monitoring the network is how leaks are found
        ("gap:EC-ICT-WS-1C", "gap:EC-ICT-WS-2A"),
        ("gap:EC-ICT-WS-1C", "water-meters"),
        ("building-energy", "gap:EC-I-B-1A"),
        ("building-energy", "gap:EC-I-B-2A"),
        ("school-roof", "gap:EC-I-B-1A"),
        ("school-roof", "gap:EC-I-B-2A"),
        ("peak-power", "gap:EC-I-B-2A"),
        ("sewer-overflow", "gap:EC-ICT-D-1A"),
        ("waste-overflow", "gap:EN-EN-WA-1C"),
        ("plastic-sorting", "gap:EN-EN-WA-1C"),
        ("falls", "care-driving"),
        ("home-care", "care-driving"),
    )
)
