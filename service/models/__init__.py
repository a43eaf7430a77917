"""Every ORM model, in one package that every other package may import without a cycle.

Importing it makes Base.metadata complete (for Alembic and the tests).
"""

# The recorders register the session events that record a release on every public change of a need
# and of a partnership that reached pilot.
from service.models import need_release_recorder, partnership_release_recorder  # noqa: F401
from service.models.accounts import SignInFailure, User, UserInvite, UserSession
from service.models.alerts import AlertDelivery, AlertMatch, SavedSearch, WebhookEndpoint
from service.models.audit import AuditEvent
from service.models.feedback import Feedback
from service.models.indexing import IndexChange, KpiTextVector, LanguageCentroid, StoredVector
from service.models.kpis import Kpi, KpiObservation, KpiTarget
from service.models.municipalities import County, Municipality, MunicipalityPopulation
from service.models.need_releases import NeedRelease
from service.models.needs import Need
from service.models.notices import ProcurementNotice
from service.models.partnership_releases import PartnershipRelease
from service.models.partnerships import Partnership, PartnershipOutcome
from service.models.solutions import Solution
from service.models.suppliers import Supplier
from service.models.tokens import ApiToken

__all__ = [
    "AlertDelivery",
    "AlertMatch",
    "ApiToken",
    "AuditEvent",
    "County",
    "Feedback",
    "IndexChange",
    "Kpi",
    "KpiObservation",
    "KpiTarget",
    "KpiTextVector",
    "LanguageCentroid",
    "Municipality",
    "MunicipalityPopulation",
    "Need",
    "NeedRelease",
    "Partnership",
    "PartnershipOutcome",
    "PartnershipRelease",
    "ProcurementNotice",
    "SavedSearch",
    "SignInFailure",
    "Solution",
    "StoredVector",
    "Supplier",
    "User",
    "UserInvite",
    "UserSession",
    "WebhookEndpoint",
]
