"""Build seed_data/u4ssc_kpis.json from the shared U4SSC catalogue (run once; the output is committed).

Norwegian names come from the Trondheim SDG tool; where that name was machine-quality or wrong we
replaced it and kept the original in `name_no_original`.
"""

import json
import sys
from pathlib import Path

REVISED_NO_NAMES = {
    "EC-ICT-ICT-1C": "Internettilgang i husholdninger",
    "EC-ICT-ICT-5C": "Offentlig tilgjengelig WiFi",
    "EC-ICT-WS-2A": "IKT-overvåking av vannforsyningen",
    "EC-ICT-D-1A": "IKT-overvåking av avløp og overvann",
    "EC-ICT-ES-1C": "Smarte strømmålere (AMS)",
    "EC-ICT-ES-2A": "IKT-overvåking av strømforsyningen",
    "EC-ICT-ES-3A": "Forbrukerfleksibilitet (laststyring)",
    "EC-ICT-T-1C": "Sanntidsinformasjon i kollektivtransporten",
    "EC-ICT-T-3A": "Styring av lyskryss",
    "EC-ICT-PS-2A": "Digitale innbyggertjenester",
    "EC-ICT-PS-3A": "Elektroniske anskaffelser i offentlig sektor",
    "EC-P-IN-2C": "Patenter",
    "EC-P-EM-2C": "Ungdomsledighet",
    "EC-I-WS-3C": "Vanntap i ledningsnettet",
    "EC-I-WS-4C": "Innsamling av avløpsvann",
    "EC-I-WS-5C": "Sanitærforhold i husholdninger",
    "EC-I-WA-1C": "Innsamling av avfall",
    "EC-I-ES-1C": "Hyppighet av strømbrudd",
    "EC-I-ES-2C": "Varighet av strømbrudd",
    "EC-I-T-1C": "Kollektivtransportnett",
    "EC-I-T-2A": "Tilgjengelighet til kollektivtransport",
    "EC-I-T-4A": "Reisemiddelfordeling",
    "EC-I-T-6A": "Delte sykler (bysykler)",
    "EC-I-T-7A": "Delte kjøretøy (bildeling)",
    "EC-I-T-8A": "Lav- og nullutslippskjøretøy",
    "EC-I-B-1A": "Bærekraftsertifiserte offentlige bygg",
    "EC-I-B-2A": "Integrerte styringssystemer (SD-anlegg) i offentlige bygg",
    "EC-I-UP-2A": "Byutvikling og arealplanlegging",
    "EN-EN-AQ-1C": "Luftforurensning",
    "EN-EN-WS-3C": "Ferskvannsforbruk",
    "EN-EN-WA-1C": "Behandling av avfall",
    "EN-EN-EQ-1C": "Eksponering for elektromagnetiske felt (EMF)",
    "EN-EN-PSN-2A": "Tilgang til grøntområder",
    "EN-EN-PSN-3A": "Vernede naturområder",
    "EN-EN-PSN-4A": "Rekreasjonsanlegg",
    "EN-E-E-3C": "Termisk energiforbruk i boliger",
    "EN-E-E-4A": "Energiforbruk i offentlige bygg",
    "SC-EH-ED-1C": "Elevers tilgang til IKT",
    "SC-EH-ED-2C": "Skoledeltakelse",
    "SC-EH-ED-3C": "Personer med høyere utdanning",
    "SC-EH-ED-4C": "Leseferdighet blant voksne",
    "SC-EH-H-4A": "Sykehussenger",
    "SC-EH-H-5A": "Offentlig helsedekning",
    "SC-SH-HO-1C": "Uformelle bosetninger",
    "SC-SH-SI-1C": "Likestilling i inntekt",
    "SC-SH-SI-5A": "Tilgang til barnehageplass",
    "SC-SH-SA-1C": "Dødsfall knyttet til naturkatastrofer",
    "SC-SH-SA-2C": "Økonomiske tap ved katastrofer",
    "SC-SH-SA-3A": "Planer for motstandsdyktighet og beredskap",
    "SC-SH-SA-8C": "Voldskriminalitet",
    "SC-SH-FS-1A": "Lokal matproduksjon",
}


def direction_of(raw: str) -> tuple[str, str | None]:
    """Single-sign directions pass through; split or conditional ones become '~' with the note kept."""
    raw = raw.strip()
    if raw in {"+", "-", "~"}:
        return raw, None
    return "~", raw


def main(source: Path, target: Path) -> None:
    rows = json.loads(source.read_text(encoding="utf-8"))
    items = []
    for row in rows:
        direction, direction_note = direction_of(row["direction"])
        code = row["code_compact"]
        item = {
            "code": code,
            "official_code": row["code"],
            "name_en": row["name_en"].replace("  ", " ").strip(),
            "name_no": REVISED_NO_NAMES.get(code, row["name_no"]),
            "dimension": row["dimension"],
            "subdimension": row["subdimension"],
            "category": row["category"],
            "core": row["type"] == "Core",
            "unit_kind": row["unit_kind"],
            "definition": row["definition"] or None,
            "direction": direction,
            "direction_note": direction_note,
            "sdgs": [int(goal) for goal in row["sdg"]],
            "ks_sectors": row["ks_sector"],
            "norwegian_data_sources": row["no_data_source"],
        }
        if code in REVISED_NO_NAMES:
            item["name_no_original"] = row["name_no"]
        items.append(item)
    document = {
        "source": (
            "ITU U4SSC 'Collection Methodology for Key Performance Indicators for Smart Sustainable Cities' "
            "(2017) for codes, names, dimensions and core/advanced; KS vocabulary of U4SSC indicators on "
            "data.norge.no (GitHub Arkitektum/b-rekraftsindikatorer, vocabulary/esg-indicator/U4SSC.ttl) for "
            "SDG links, KS sectors and Norwegian data sources; Norwegian names from the Trondheim SDG tool "
            "(TDT4290-SDG-Ontology/SDG-ontology-visualizer), revised by Innomatch where marked with "
            "name_no_original. Units inferred where the methodology page was not checked. "
            "Built by scripts/dev/build_kpi_seed.py from shared/data/u4ssc/u4ssc_kpis_merged.json."
        ),
        "demo": False,
        "items": items,
    }
    target.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(items)} KPIs to {target}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
