"""API shapes of saved searches."""

from datetime import datetime
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from service.demand.match_bands import MatchBand
from service.matching.filters import MatchFilters
from service.text_fields import Description, NoControlCharacters, RecordId

SearchKind = Literal[
    "needs_for_solution",  # needs that match one of my solutions (a supplier)
    "needs_for_text",  # needs matching a text and filters (a supplier)
    "solutions_for_need",  # new solutions for my need (an officer)
    "solutions_for_text",  # solutions matching a text and filters (an officer)
    "new_needs",  # new needs on a KPI, dimension, county, ... (programme staff)
    "new_buyer_groups",  # new buyer groups (programme staff)
]
Frequency = Literal["immediately", "daily", "weekly"]
Channel = Literal["email", "webhook", "feed"]
MailLanguage = Literal["nb", "en"]
SearchName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), NoControlCharacters
]
# What each kind searches with: the one field it needs, or none.
SUBJECT_OF_KIND: dict[str, str | None] = {
    "needs_for_solution": "solution_id",
    "needs_for_text": "text",
    "solutions_for_need": "need_id",
    "solutions_for_text": "text",
    "new_needs": None,
    "new_buyer_groups": None,
}
SUBJECT_FIELDS = ("solution_id", "need_id", "text")
# Filters that say which needs a staff member's "new needs" search follows; language or status alone do not.
NEED_TOPIC_FILTERS = ("county", "municipality", "kpi", "dimension", "sdg", "cpv")


class SavedSearchFields(BaseModel):
    """What a person may set on a saved search, all of it checked together."""

    model_config = ConfigDict(extra="forbid")

    name: SearchName = Field(description="How the owner calls it; e-mails and the feed use it.")
    kind: SearchKind
    solution_id: RecordId | None = Field(default=None, description="needs_for_solution: the solution.")
    need_id: RecordId | None = Field(default=None, description="solutions_for_need: the need.")
    text: Description | None = Field(default=None, description="needs_for_text, solutions_for_text.")
    filters: MatchFilters = Field(
        default_factory=MatchFilters, description="As the matches endpoints take them."
    )
    frequency: Frequency = Field(default="daily", description="immediately, or one digest a day or a week.")
    min_band: MatchBand = Field(
        default="moderate", description="The weakest match reported: weak, moderate or strong."
    )
    channels: list[Channel] = Field(
        default_factory=list,
        max_length=3,
        description="Besides the notifications page, which always has them: email, webhook, feed.",
    )
    language: MailLanguage = Field(default="nb", description="Of the e-mails and the feed: nb or en.")
    paused: bool = Field(default=False, description="A paused search reports nothing until resumed.")

    @field_validator("channels")
    @classmethod
    def _each_once(cls, channels: list[str]) -> list[str]:
        return sorted(set(channels))

    @model_validator(mode="after")
    def _subject_fits_kind(self) -> Self:
        wanted = SUBJECT_OF_KIND[self.kind]
        given = [field for field in SUBJECT_FIELDS if getattr(self, field) is not None]
        if wanted is not None and wanted not in given:
            raise ValueError(f"a {self.kind} search needs {wanted}")
        extra = [field for field in given if field != wanted]
        if extra:
            raise ValueError(f"a {self.kind} search takes no {' or '.join(extra)}")
        if self.kind == "new_needs" and not any(
            getattr(self.filters, name) is not None for name in NEED_TOPIC_FILTERS
        ):
            raise ValueError(
                "a new_needs search needs at least one of the filters " + ", ".join(NEED_TOPIC_FILTERS)
            )
        return self


class SavedSearchUpdate(BaseModel):
    """A change to a saved search: the fields given replace the stored ones (its kind stays)."""

    model_config = ConfigDict(extra="forbid")

    name: SearchName | None = None
    solution_id: RecordId | None = None
    need_id: RecordId | None = None
    text: Description | None = None
    filters: MatchFilters | None = None
    frequency: Frequency | None = None
    min_band: MatchBand | None = None
    channels: list[Channel] | None = Field(default=None, max_length=3)
    language: MailLanguage | None = None
    paused: bool | None = None


class SavedSearchRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    kind: SearchKind
    solution_id: int | None
    need_id: int | None
    text: str | None = Field(validation_alias="query_text")
    filters: dict[str, Any]
    frequency: Frequency
    min_band: MatchBand
    channels: list[Channel]
    language: MailLanguage
    paused: bool
    owner_user_id: int | None = Field(description="The person it belongs to.")
    owner_token_id: int | None = Field(description="The integration's token it belongs to, if no person's.")
    created_at: datetime
    updated_at: datetime
    last_delivered_at: datetime | None


class WebhookFields(BaseModel):
    """A webhook endpoint to register: where deliveries are posted."""

    model_config = ConfigDict(extra="forbid")

    url: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500), NoControlCharacters
    ] = Field(description="https:// to a public address; deliveries are posted to it as JSON, signed.")
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, max_length=200), NoControlCharacters
    ] = Field(default="", description="What it is for, for its owner.")


class WebhookRead(BaseModel):
    """A webhook endpoint as listed: never its secret."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    description: str
    owner_user_id: int | None = Field(description="The person it belongs to.")
    owner_token_id: int | None = Field(description="The integration's token it belongs to, if no person's.")
    created_at: datetime
    rotated_at: datetime | None
    previous_secret_until: datetime | None = Field(
        description="After a rotation the replaced secret also signs until then (a second signature)."
    )
    disabled_at: datetime | None = Field(
        description="When its receiver answered 410 Gone: no longer sent to."
    )


class WebhookWithSecret(WebhookRead):
    """A webhook endpoint just registered or rotated, with its signing secret: shown this once."""

    secret: str = Field(
        description="The Standard Webhooks secret (whsec_...) the receiver verifies signatures with. "
        "Shown only now: keep it; rotate the endpoint for a new one."
    )


class FeedAddress(BaseModel):
    feed_url: str = Field(
        description="The search's Atom feed. Its secret is in this answer only: keep the address private."
    )
