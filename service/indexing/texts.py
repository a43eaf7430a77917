"""The one text a record is embedded and matched by."""


def record_text(title: str, description: str) -> str:
    return f"{title.strip()}\n{description.strip()}"
