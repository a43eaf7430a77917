"""People's accounts: users, their browser sessions and invitations, and failed sign-ins.

Secrets (session cookies, invitation links) are stored as SHA-256 hashes, as API tokens are: each has
256 random bits, so a hash cannot be reversed by guessing. Passwords are argon2 hashes.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, UTCDateTime, utc_now


class User(Base):
    """A person who signs in to the pages; the same role and binding as an API token."""

    __tablename__ = "user_account"  # "user" is a reserved word in PostgreSQL
    # A user id names one person in the audit trail forever ("Kari Nordmann (officer user 3)").
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lowercased: the sign-in name
    name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(20))  # admin | staff | officer | supplier
    municipality_number: Mapped[str | None] = mapped_column(ForeignKey("municipality.number"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # none until the invitation is used
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserSession(Base):
    """A signed-in browser: the cookie holds the secret, this row its hash."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class UserInvite(Base):
    """A one-time link to set a password: for a new account, or a new password for a forgotten one."""

    __tablename__ = "user_invite"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class SignInFailure(Base):
    """One failed sign-in, counted per account and per client address to throttle guessing.

    Both keys are SHA-256 hashes: what was typed as the e-mail may be a password typed into the wrong
    field, and the address is personal data; counting needs neither in clear.
    """

    __tablename__ = "sign_in_failure"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    account_key: Mapped[str] = mapped_column(String(64), index=True)
    address_key: Mapped[str] = mapped_column(String(64), index=True)
