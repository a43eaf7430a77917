"""Need logic: who may write which need, what a caller sees of one, and checks of what it refers to.

The shared write path of service.indexing stores a need with its vector.
"""

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy.orm import Session

from service.access import Principal, ensure_municipality
from service.errors import NotFoundError
from service.indexing import Indexes, delete_record, insert_record, update_record
from service.kpis.repository import kpi_codes_of_dimension, kpi_codes_of_theme
from service.models import Need
from service.needs import quality, repository
from service.needs.from_gaps import GenerationReport, generate_gap_needs
from service.needs.schemas import (
    NeedCheck,
    NeedCreate,
    NeedDetail,
    NeedFilters,
    NeedQuality,
    NeedRead,
    NeedUpdate,
    NeedWritten,
)
from service.references import ReferenceCheck
from service.response_warnings import written_text_warnings


def get(*, session: Session, need_id: int) -> Need:
    need = repository.get_need(session, need_id)
    if need is None:
        raise NotFoundError("Need", need_id)
    return need


def view(need: Need, caller: Principal) -> NeedRead:
    return seen_by(NeedRead.model_validate(need), caller)


def seen_by(need: NeedRead, caller: Principal) -> NeedRead:
    """The need as `caller` may see it: the contact person is personal data, kept from anonymous callers."""
    return need if caller.sees_contact_data else need.without_contact()


def _quality_of(session: Session, need: Need) -> NeedQuality:
    return quality.assess(
        session=session, title=need.title, description=need.description, language=need.language
    )


def _written(session: Session, need: Need, caller: Principal, *, language_given: bool) -> NeedWritten:
    """The need as a write stored it, with its warnings (a language Innomatch does not match well) and
    the quality check of its text (after the save: a finding never stops one)."""
    warnings = written_text_warnings(need.language, language_given=language_given)
    return NeedWritten(
        **view(need, caller).model_dump(), quality=_quality_of(session, need), warnings=warnings
    )


def read(*, session: Session, need_id: int, caller: Principal) -> NeedDetail:
    need = get(session=session, need_id=need_id)
    return NeedDetail(**view(need, caller).model_dump(), quality=_quality_of(session, need))


def check_text(*, session: Session, need_in: NeedCheck) -> NeedQuality:
    """The quality check of a text not (yet) stored: it reads nothing private, so anyone may ask."""
    return quality.assess(
        session=session, title=need_in.title, description=need_in.description, language=need_in.language
    )


def by_gap_keys(*, session: Session, keys: list[str], caller: Principal) -> dict[str, NeedRead]:
    """The needs generated from KPI gaps, by their gap key (service.kpis.gaps.gap_key), as `caller` sees them."""
    return {key: view(need, caller) for key, need in repository.needs_by_gap_key(session, keys).items()}


def list_needs(
    *,
    session: Session,
    caller: Principal,
    offset: int,
    limit: int,
    filters: NeedFilters | None = None,
    newest_first: bool = False,
) -> tuple[list[NeedRead], int]:
    """A page of the needs that pass `filters`, oldest first unless `newest_first`, and how many pass."""
    filters = filters or NeedFilters()
    items, total = repository.list_needs(
        session,
        offset=offset,
        limit=limit,
        municipality_number=filters.municipality,
        county_number=filters.county,
        kpi_code=filters.kpi,
        any_kpi_codes=_kpi_codes_wanted(session, filters),
        language=filters.language,
        status=filters.status,
        origin=filters.origin,
        newest_first=newest_first,
    )
    return [view(need, caller) for need in items], total


def _kpi_codes_wanted(session: Session, filters: NeedFilters) -> set[str] | None:
    """The KPIs a need must be tagged with one of, by dimension and theme (both: the theme's in the
    dimension); None when neither is chosen."""
    wanted: set[str] | None = None
    if filters.dimension:
        wanted = kpi_codes_of_dimension(session, filters.dimension)
    if filters.theme:
        of_theme = kpi_codes_of_theme(session, filters.theme)
        wanted = of_theme if wanted is None else wanted & of_theme
    return wanted


def check_references(check: ReferenceCheck, fields: Mapping[str, Any]) -> None:
    """What a need's fields refer to: its municipality and KPIs."""
    check.municipality("municipality_number", fields.get("municipality_number"))
    check.kpi_codes("kpi_codes", fields.get("kpi_codes"))


def _refuse_wrong_references(session: Session, fields: Mapping[str, Any]) -> None:
    check = ReferenceCheck(session)
    check_references(check, fields)
    check.raise_if_any()


def create(
    *,
    session: Session,
    indexes: Indexes,
    need_in: NeedCreate,
    caller: Principal,
    origin: str = "manual",
    translations: dict[str, dict[str, str]] | None = None,
    linked: Callable[[Need], None] | None = None,
) -> NeedWritten:
    """A new need, matchable when this returns; an officer's need belongs to the officer's municipality.

    Writers inside the service (the notice importer) may give the need's `translations`, and `linked`,
    called with the new need before its write, so that a record referring to it is committed with it."""
    if caller.role == "officer" and need_in.municipality_number is None:
        need_in = need_in.model_copy(update={"municipality_number": caller.municipality_number})
    ensure_municipality(caller, need_in.municipality_number)
    fields = need_in.model_dump()
    _refuse_wrong_references(session, fields)
    need = Need(**fields, origin=origin, translations=translations or {})
    if linked is not None:
        linked(need)
    insert_record(session=session, indexes=indexes, record=need)
    return _written(session, need, caller, language_given=need_in.language is not None)


def update(
    *,
    session: Session,
    indexes: Indexes,
    need_id: int,
    need_in: NeedUpdate,
    caller: Principal,
    translations: dict[str, dict[str, str]] | None = None,
) -> NeedWritten:
    """Change a need; writers inside the service (the notice importer) may also replace its `translations`."""
    need = get(session=session, need_id=need_id)
    ensure_municipality(caller, need.municipality_number)
    if "municipality_number" in need_in.model_fields_set:
        ensure_municipality(caller, need_in.municipality_number)
    changes = need_in.model_dump(exclude_unset=True)
    _refuse_wrong_references(session, changes)
    # None leaves a required field as it is; only the municipality and the lowest TRL may be cleared.
    changes = {
        field: value
        for field, value in changes.items()
        if value is not None or field in ("municipality_number", "trl_min")
    }
    if translations is not None:
        changes["translations"] = translations
    update_record(session=session, indexes=indexes, record=need, changes=changes)
    return _written(session, need, caller, language_given="language" in changes)


def delete(*, session: Session, indexes: Indexes, need_id: int, caller: Principal) -> None:
    need = get(session=session, need_id=need_id)
    ensure_municipality(caller, need.municipality_number)
    delete_record(session=session, indexes=indexes, record=need)


def generate_from_gaps(
    *, session: Session, indexes: Indexes, municipality_number: str, max_band: int, caller: Principal
) -> GenerationReport:
    """One need per weak KPI of the municipality; an officer generates only its own municipality's."""
    ensure_municipality(caller, municipality_number)
    return generate_gap_needs(
        session=session, indexes=indexes, municipality_number=municipality_number, max_band=max_band
    )
