"""Who publishes the releases, under which ocid prefix, licence and address (docs/ocds.md)."""

from dataclasses import dataclass
from datetime import UTC, datetime

# Norwegian Licence for Open Government Data 2.0: free reuse with attribution, as data.norge.no publishes.
LICENSE = "https://data.norge.no/nlod/no/2.0"
OCDS_VERSION = "1.1"


@dataclass(frozen=True)
class Publication:
    ocid_prefix: str  # registered with the Open Contracting Partnership by each deployment
    publisher: str
    base_url: str  # where the pages and the API are reached, no trailing slash

    def link(self, path: str) -> str:
        return f"{self.base_url.rstrip('/')}{path}"

    def need_ocid(self, need_id: int) -> str:
        return f"{self.ocid_prefix}-need-{need_id}"

    def partnership_ocid(self, partnership_id: int) -> str:
        return f"{self.ocid_prefix}-partnership-{partnership_id}"


def ocds_date(moment: datetime) -> str:
    """RFC 3339 in UTC, as OCDS dates are; of one width, so that dates sort as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
