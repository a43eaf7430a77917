"""A failed tool call as a person reads it: which argument is wrong and why, or what does not exist or
is not allowed; never a traceback. The domain's errors say the same as the API's 4xx answers."""

from pydantic import ValidationError

from service.errors import ConflictError, FieldErrors, ForbiddenError, NotFoundError
from service.text_fields import PATTERN_MEANINGS

_VALUE_ERROR = "Value error, "  # pydantic's prefix to the message of a ValueError raised by a validator


def explained(tool: str, error: BaseException | None) -> str | None:
    """What went wrong in a call of `tool`, for the caller; None for a failure that is not theirs."""
    if isinstance(error, ValidationError):
        return f"The arguments of {tool} are not valid: " + "; ".join(_problems(error)) + "."
    if isinstance(error, FieldErrors):
        problems = [
            f"{'.'.join(str(part) for part in item.location)}: {item.message}" for item in error.errors
        ]
        return f"{tool} was refused: " + "; ".join(problems) + "."
    if isinstance(error, NotFoundError | ForbiddenError | ConflictError):
        return f"{tool} was refused: {error}."
    return None


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for item in error.errors(include_url=False):
        where = ".".join(str(part) for part in item["loc"]) or "the arguments"
        message = item["msg"]
        pattern = (item.get("ctx") or {}).get("pattern")
        if item["type"] == "string_pattern_mismatch" and pattern in PATTERN_MEANINGS:
            message = PATTERN_MEANINGS[pattern]
        elif item["type"] == "missing":
            message = "is required"
        elif item["type"] == "extra_forbidden":  # e.g. a saved search's fields
            message = "is not a field of this argument"
        problems.append(f"{where}: {message.removeprefix(_VALUE_ERROR)}")
    return problems
