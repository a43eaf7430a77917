"""Log lines for operators: one JSON object per line (or plain text), with credentials masked wherever they appear."""

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any, Literal

LogFormat = Literal["json", "text"]
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
MASK = "[redacted]"
# Nothing should log credentials; these catch the ones that slip into messages and exceptions anyway:
# bearer tokens, token/password/secret parameters and the password of a database URL.
_CREDENTIALS = (
    (re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+"), rf"\1{MASK}"),
    (re.compile(r"(?i)\b((?:access_)?token|password|secret)=[^\s&\"',;]+"), rf"\1={MASK}"),
    (re.compile(r"(://[^:/@\s]+:)[^@/\s]+@"), rf"\1{MASK}@"),
)
# Attributes every LogRecord has; anything else was passed with `extra=` and becomes a field.
_RECORD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
# uvicorn adds a copy of its messages with terminal colour codes.
_SKIPPED_EXTRAS = {"color_message"}


def mask_credentials(text: str) -> str:
    for pattern, replacement in _CREDENTIALS:
        text = pattern.sub(replacement, text)
    return text


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the record's `extra` fields, and the exception if any."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_credentials(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRIBUTES and key not in _SKIPPED_EXTRAS and not key.startswith("_"):
                entry[key] = mask_credentials(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = mask_credentials(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack"] = mask_credentials(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """The plain format, with credentials masked too."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        return mask_credentials(super().format(record))


def configure_logging(*, level: str, log_format: LogFormat) -> None:
    """Send every log record (uvicorn's too) to stderr in `log_format`, replacing earlier handlers."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    logging.basicConfig(level=level.upper(), handlers=[handler], force=True)
