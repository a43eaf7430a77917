"""Imports every ORM model so that Base.metadata is complete (for Alembic and tests)."""

from service.audit.models import AuditEvent
from service.db import Base
from service.kpis.models import Kpi, KpiObservation, KpiTarget
from service.matching.models import Feedback, IndexChange, LanguageCentroid, StoredVector
from service.municipalities.models import County, Municipality, MunicipalityPopulation
from service.needs.models import Need
from service.partnerships.models import Partnership, PartnershipOutcome
from service.solutions.models import Solution
from service.suppliers.models import Supplier
from service.tokens.models import ApiToken

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "County",
    "Feedback",
    "IndexChange",
    "Kpi",
    "KpiObservation",
    "KpiTarget",
    "LanguageCentroid",
    "Municipality",
    "MunicipalityPopulation",
    "Need",
    "Partnership",
    "PartnershipOutcome",
    "Solution",
    "StoredVector",
    "Supplier",
]
