"""The texts of a U4SSC KPI that KPI suggestions compare other texts with: its name in both languages,
its definition (English) and the plain-language problem it names when weak, in both languages."""

from typing import NamedTuple, Protocol


class KpiFacts(Protocol):
    """What a KPI's texts are made of (the `Kpi` model has it)."""

    @property
    def code(self) -> str: ...
    @property
    def name_en(self) -> str: ...
    @property
    def name_no(self) -> str: ...
    @property
    def definition(self) -> str | None: ...
    @property
    def problem_en(self) -> str | None: ...
    @property
    def problem_no(self) -> str | None: ...


class KpiText(NamedTuple):
    kpi_code: str
    text_kind: str
    language: str
    text: str


def kpi_texts(kpi: KpiFacts) -> list[KpiText]:
    """The KPI's texts that exist; a definition is read with the name it defines."""
    candidates = [
        ("name_en", "en", kpi.name_en),
        ("name_no", "no", kpi.name_no),
        ("definition_en", "en", f"{kpi.name_en}: {kpi.definition}" if kpi.definition else None),
        ("problem_en", "en", kpi.problem_en),
        ("problem_no", "no", kpi.problem_no),
    ]
    return [
        KpiText(kpi.code, kind, language, text.strip())
        for kind, language, text in candidates
        if text and text.strip()
    ]
