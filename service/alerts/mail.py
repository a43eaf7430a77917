"""The e-mail channel of alerts: one delivery's new matches as an e-mail in the search's language, and
sending it over SMTP, or into DATA_DIR/outbox/ when no SMTP server is set (development, a trial).

The e-mail says what the channels' shared report says (service/alerts/channels.py): best first, each
match with its title, band, one-line reason and link. Its words come from the pages' catalogue
(service/web/locale), its HTML from an autoescaped template in service/web/templates/mail/. Its
Message-ID is made from the delivery's public id, so a retry is the same message to a mail system that
de-duplicates; its List-Unsubscribe is the one-click link (RFC 8058) that pauses the search.
"""

import email.policy
import os
import re
import smtplib
import ssl
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.parser import BytesHeaderParser, BytesParser
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2

from service.alerts.channels import DeliveryError, alert_report
from service.config import Settings
from service.models import AlertMatch, ProcurementNotice, SavedSearch
from service.web.i18n import LOCALE_DIR, N_, Locale, PageLocale

OUTBOX = "outbox"
OUTBOX_FILE_NAME = re.compile(r"[\w-]+\.eml")  # what _outbox_name makes: no "/", no ".."
TEMPLATES = LOCALE_DIR.parent / "templates" / "mail"
BAND_WORDS = {"strong": N_("Strong match"), "moderate": N_("Moderate match"), "weak": N_("Weak match")}
GREETING = N_("Hello %(name)s,")
INTRODUCTION = N_("Your saved search “%(name)s” has found something new since the last e-mail:")
WHY = N_(
    "You get this e-mail because you saved the search “%(name)s” in Innomatch and chose to hear about it"
    " by e-mail."
)
UNSUBSCRIBE = N_("Stop these e-mails (pauses this search):")
NOTICE_WORD = N_("procurement notice")  # after the title of a need that carries one
RESUME = N_("You can resume it, or change how often you hear, under “My alerts” when signed in.")


def band_in_words(language: str, band: str | None) -> str:
    """How strong a match is, in an e-mail's or a feed's language (a search's `language`); none unscored."""
    page = PageLocale("en" if language == "en" else "nb")
    return page.gettext(BAND_WORDS[band]) if band in BAND_WORDS else ""


def _subject(page: PageLocale, kinds: set[str], count: int, name: str) -> str:
    """What is new: needs, solutions or buyer groups, or matches when they are mixed."""
    if kinds == {"need"}:
        text = page.ngettext("%(count)s new need for “%(name)s”", "%(count)s new needs for “%(name)s”", count)
    elif kinds == {"solution"}:
        text = page.ngettext(
            "%(count)s new solution for “%(name)s”", "%(count)s new solutions for “%(name)s”", count
        )
    elif kinds == {"buyer_group"}:
        text = page.ngettext(
            "%(count)s new buyer group for “%(name)s”", "%(count)s new buyer groups for “%(name)s”", count
        )
    else:
        text = page.ngettext(
            "%(count)s new match for “%(name)s”", "%(count)s new matches for “%(name)s”", count
        )
    return text % {"count": page.number(count), "name": name}


@dataclass(frozen=True)
class MailMatch:
    title: str
    band: str | None
    reason: str
    url: str


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        # Every value, a record's title too, is escaped in the HTML part; the plain text is text.
        autoescape=jinja2.select_autoescape(["html"], default=False),
        undefined=jinja2.StrictUndefined,
    )


_templates = _environment()


def _message_domain(base_url: str) -> str:
    return urlsplit(base_url).hostname or "innomatch.invalid"


def compose_alert_mail(
    search: SavedSearch,
    matches: Sequence[AlertMatch],
    *,
    to: str,
    owner_name: str,
    base_url: str,
    delivery_id: str,
    unsubscribe_url: str,
    mail_from: str = Settings.model_fields["mail_from"].default,
    notices: Mapping[str, ProcurementNotice] | None = None,
) -> EmailMessage:
    """The e-mail of one delivery to the search's owner, in the search's language, best match first; a
    need that carries a procurement notice says so after its title."""
    locale: Locale = "en" if search.language == "en" else "nb"
    page = PageLocale(locale)
    report = alert_report(search, matches, base_url=base_url, delivery_id=delivery_id, notices=notices)
    found = [
        MailMatch(
            title=f"{item['title']} ({page.gettext(NOTICE_WORD)})" if item["notice"] else item["title"],
            band=page.gettext(BAND_WORDS[item["band"]]) if item["band"] in BAND_WORDS else None,
            reason=page.pick(item["reason"]["no"], item["reason"]["en"]),
            url=item["url"],
        )
        for item in report["matches"]
    ]
    kinds = {item["record_kind"] for item in report["matches"]}
    subject = _subject(page, kinds, len(found), search.name)
    words = {
        "greeting": page.gettext(GREETING) % {"name": owner_name},
        "introduction": page.gettext(INTRODUCTION) % {"name": search.name},
        "why": page.gettext(WHY) % {"name": search.name},
        "unsubscribe": page.gettext(UNSUBSCRIBE),
        "resume": page.gettext(RESUME),
    }
    context = {"locale": locale, "subject": subject, "matches": found, "words": words}
    context["unsubscribe_url"] = unsubscribe_url

    message = EmailMessage(policy=email.policy.SMTP)
    message["Subject"] = subject
    message["From"] = mail_from
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = f"<{delivery_id}@{_message_domain(base_url)}>"
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_templates.get_template("alert.txt").render(context))
    message.add_alternative(_templates.get_template("alert.html").render(context), subtype="html")
    message["Content-Language"] = locale  # after the parts: setting content moves Content-* into them
    return message


def send_mail(settings: Settings, message: EmailMessage) -> None:
    """Over SMTP when INNOMATCH_SMTP_URL is set, else into DATA_DIR/outbox/. A failure raises
    DeliveryError: permanent when the server refused the recipient for good (5xx), else to retry."""
    if settings.smtp_url:
        _send_smtp(settings, settings.smtp_url, message)
    else:
        _write_outbox(settings, message)


def _send_smtp(settings: Settings, url: str, message: EmailMessage) -> None:
    parts = urlsplit(url)
    secure = parts.scheme == "smtps"
    host = parts.hostname or "localhost"
    port = parts.port or (465 if secure else 587)
    user = unquote(parts.username) if parts.username else settings.smtp_user
    password = (
        unquote(parts.password)
        if parts.password
        else (settings.smtp_password.get_secret_value() if settings.smtp_password else None)
    )
    context = ssl.create_default_context()
    try:
        client: smtplib.SMTP = (
            smtplib.SMTP_SSL(host, port, timeout=settings.smtp_timeout, context=context)
            if secure
            else smtplib.SMTP(host, port, timeout=settings.smtp_timeout)
        )
        with client:
            client.ehlo()
            if not secure and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            if user and password:
                client.login(user, password)
            refused = client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        replies = "; ".join(f"{code} {_said(text)}" for code, text in error.recipients.values())
        raise DeliveryError(
            f"the SMTP server refused the recipient: {replies}", permanent=all(code >= 500 for code in codes)
        ) from error
    except smtplib.SMTPResponseException as error:
        # 5xx of the sender or the data (too large, refused as spam) is not helped by retrying; an
        # authentication failure (535) is the service's settings, which an operator fixes: retried.
        permanent = error.smtp_code >= 500 and not isinstance(error, smtplib.SMTPAuthenticationError)
        raise DeliveryError(
            f"SMTP {error.smtp_code}: {_said(error.smtp_error)}", permanent=permanent
        ) from error
    except (smtplib.SMTPException, OSError) as error:  # OSError: refused, unreachable, timed out
        raise DeliveryError(f"the SMTP server could not be reached: {error}") from error
    if refused:  # some of several recipients refused; an alert has one
        raise DeliveryError(f"the SMTP server refused: {refused}", permanent=True)


def _said(reply: bytes | str) -> str:
    """An SMTP server's reply as text (smtplib keeps it as bytes), for the owner's notifications page."""
    return reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply


def _outbox_name(message: EmailMessage) -> str:
    """From the Message-ID (the delivery's id), so that a retry overwrites its file."""
    identity = str(message["Message-ID"] or "").strip("<>").split("@")[0]
    safe = "".join(character for character in identity if character.isalnum() or character in "_-")
    if not safe:
        raise DeliveryError("an e-mail for the outbox has no Message-ID", permanent=True)
    return f"{safe}.eml"


def _write_outbox(settings: Settings, message: EmailMessage) -> None:
    outbox = settings.data_dir / OUTBOX
    try:
        outbox.mkdir(parents=True, exist_ok=True)
        target = outbox / _outbox_name(message)
        handle, temporary = tempfile.mkstemp(dir=outbox, prefix=".writing.", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as written:
                written.write(message.as_bytes(policy=email.policy.SMTP))
            os.replace(temporary, target)  # whole or not at all, never a half-written .eml
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise DeliveryError(f"the outbox could not be written: {error}") from error


@dataclass(frozen=True)
class OutboxEntry:
    file: Path
    to: str
    subject: str
    date: datetime | None


def outbox_message(settings: Settings, name: str) -> EmailMessage | None:
    """One e-mail of the outbox by its file name, or None when no file of the outbox has that name: a
    name is one the outbox writes (letters, digits, "_" and "-", then ".eml"), so it names no other file
    (no path, no "..", no half-written temporary file)."""
    if not OUTBOX_FILE_NAME.fullmatch(name):
        return None
    path = settings.data_dir / OUTBOX / name
    if not path.is_file():
        return None
    message = BytesParser(policy=email.policy.default).parsebytes(path.read_bytes())
    assert isinstance(message, EmailMessage)  # the policy's message factory
    return message


def outbox_messages(settings: Settings) -> list[OutboxEntry]:
    """The e-mails in DATA_DIR/outbox/, newest first (for an administrator's page)."""
    outbox = settings.data_dir / OUTBOX
    if not outbox.is_dir():
        return []
    entries = []
    parser = BytesHeaderParser(policy=email.policy.default)
    for path in outbox.glob("*.eml"):
        with path.open("rb") as source:
            headers = parser.parse(source)
        try:
            date = parsedate_to_datetime(str(headers["Date"])) if headers["Date"] else None
        except (TypeError, ValueError):
            date = None
        entries.append(
            OutboxEntry(
                file=path, to=str(headers["To"] or ""), subject=str(headers["Subject"] or ""), date=date
            )
        )
    return sorted(
        entries, key=lambda entry: (entry.date is None, -(entry.date.timestamp() if entry.date else 0))
    )
