"""API tokens, stored as SHA-256 hashes of the secret."""

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from service.db import Base, UTCDateTime, utc_now
from service.models.accounts import User


class ApiToken(Base):
    __tablename__ = "api_token"
    __table_args__ = {"sqlite_autoincrement": True}  # a token id in the audit trail names one token forever

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(60))  # who holds it, e.g. "Kari Nordmann, Oslo kommune"
    role: Mapped[str] = mapped_column(String(20))  # admin | staff | officer | supplier
    municipality_number: Mapped[str | None] = mapped_column(ForeignKey("municipality.number"))
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("supplier.id", ondelete="CASCADE"))
    # The secret has 256 random bits, so a plain SHA-256 cannot be reversed by guessing; a slow
    # password hash would only slow down every request.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # the first characters, to recognise a token in lists
    created_by: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A token a person made on their profile page: theirs to list and revoke, and it names them.
    owner_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    owner: Mapped[User | None] = relationship(lazy="joined")
