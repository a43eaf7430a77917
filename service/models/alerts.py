"""Saved searches, which tell their owner when something new matches, and what each has found."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class SavedSearch(Base):
    """A search its owner wants to hear about: what it looks for, how often, how good a match must be,
    and by which channels. Its owner is a person (also when they call with their own token) or, for an
    integration, a token that belongs to nobody."""

    __tablename__ = "saved_search"
    __table_args__ = (
        CheckConstraint("(owner_user_id IS NULL) <> (owner_token_id IS NULL)", name="one_owner"),
        {"sqlite_autoincrement": True},  # deliveries and the audit trail name a search by id
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    owner_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(30))  # service.alerts.schemas.SearchKind
    # What it searches for: one record (a solution's or a need's matches) or a text, and the filters.
    solution_id: Mapped[int | None] = mapped_column(ForeignKey("solution.id", ondelete="CASCADE"))
    need_id: Mapped[int | None] = mapped_column(ForeignKey("need.id", ondelete="CASCADE"))
    query_text: Mapped[str | None] = mapped_column(Text)
    # A text search's text encoded once when saved (raw float32, little-endian), so that evaluating
    # thousands of searches encodes nothing; re-encoded when the encoder (its model id) changes.
    query_vector: Mapped[bytes | None] = mapped_column(LargeBinary)
    query_model_id: Mapped[str | None] = mapped_column(String(200))
    query_language: Mapped[str | None] = mapped_column(String(2))  # detected: its vector is centred on it
    filters: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    frequency: Mapped[str] = mapped_column(String(20))  # immediately | daily | weekly
    min_band: Mapped[str] = mapped_column(String(10))  # weak | moderate | strong
    channels: Mapped[list[str]]  # e-mail, webhook, feed; the notifications page always
    language: Mapped[str] = mapped_column(String(2))  # of its e-mails: nb | en
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The index change log's sequence up to which records were weighed: only later changes are new.
    watermark: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, onupdate=utc_now)
    last_delivered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The SHA-256 of the secret in its Atom feed's address (shown once; rotating it replaces it).
    feed_secret_hash: Mapped[str | None] = mapped_column(String(64), unique=True)

    @property
    def paused(self) -> bool:
        return self.paused_at is not None


class AlertMatch(Base):
    """A record a saved search found new: what it reports, once. An edit of the record later is not new
    to that search again. Deliveries take the matches not yet notified."""

    __tablename__ = "alert_match"
    __table_args__ = (
        UniqueConstraint("saved_search_id", "record_kind", "record_id"),  # reported once
        {"sqlite_autoincrement": True},  # deliveries name matches by id
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    saved_search_id: Mapped[int] = mapped_column(ForeignKey("saved_search.id", ondelete="CASCADE"))
    record_kind: Mapped[str] = mapped_column(String(20))  # need | solution | buyer_group
    record_id: Mapped[str] = mapped_column(String(200))  # a buyer group's id is its key
    title: Mapped[str] = mapped_column(String(300))
    score: Mapped[float | None] = mapped_column(Float)  # none for a new need on a topic, a buyer group
    band: Mapped[str | None] = mapped_column(String(10))
    reason_en: Mapped[str] = mapped_column(Text, default="")  # the match's one-line explanation
    reason_no: Mapped[str] = mapped_column(Text, default="")
    found_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # in a delivery (digest) since


class AlertDelivery(Base):
    """One sending of a search's new matches by one channel (e-mail, webhook). Written in the same
    transaction that marks the matches notified, sent by a job, marked sent after; its public id is the
    same on every attempt, so a receiver sees a repeat as a repeat."""

    __tablename__ = "alert_delivery"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(40), unique=True)  # msg_..., the webhook-id
    saved_search_id: Mapped[int] = mapped_column(
        ForeignKey("saved_search.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(10))  # email | webhook
    destination: Mapped[str] = mapped_column(String(500))  # the address or URL when it was planned
    match_ids: Mapped[list[int]]
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)  # pending | sent | dead
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebhookEndpoint(Base):
    """A URL its owner wants deliveries posted to, signed as Standard Webhooks sign them. Its owner is
    a person or an integration's token, as a saved search's is; every webhook delivery of the owner's
    searches goes to each of their endpoints that is not disabled."""

    __tablename__ = "webhook_endpoint"
    __table_args__ = (
        CheckConstraint("(owner_user_id IS NULL) <> (owner_token_id IS NULL)", name="one_owner"),
        {"sqlite_autoincrement": True},  # the audit trail names an endpoint by id
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    owner_token_id: Mapped[int | None] = mapped_column(
        ForeignKey("api_token.id", ondelete="CASCADE"), index=True
    )
    url: Mapped[str] = mapped_column(String(500))
    # The signing secret ("whsec_" and base64), stored as it is: a signature is an HMAC, which the
    # sender computes with the secret itself on every sending, so unlike a token (kept as a hash) it
    # cannot be kept one-way. The API shows it once, when it is made or rotated, and never lists it.
    secret: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # After a rotation the old secret signs too, until then: a receiver switches to the new one
    # without refusing what is sent meanwhile (Standard Webhooks allows several signatures).
    previous_secret: Mapped[str | None] = mapped_column(String(100))
    previous_secret_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When it stopped being sent to: its receiver answered 410 Gone.
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
