"""Xero's JSON conventions: dates, the response envelope and the error bodies.

Kept in one place so every endpoint (contacts today, invoices tomorrow) answers in the same
shape, and so the shapes can be checked once against what xero-python 15.2 parses
(``/Date(ms+0000)/`` is read by ``deserialize_datetime_ms``; plain ISO strings are read by
the identity models).
"""
import calendar
import datetime
import email.utils
import re
import uuid

from .shared import dates

PROVIDER_NAME = "Xero Sandbox (fake)"

ms_date = dates.ms_date  # ``/Date(1700000000000+0000)/``; DateTimeUTC has no offset (offset=False)
parse_ms_date = dates.timestamp  # seconds since the epoch, or None


_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def ms_day(day):
    """A calendar day as Xero writes a date (Date, DueDate, FullyPaidOnDate): midnight UTC,
    ``/Date(1714521600000+0000)/``, which xero-python reads back as the same day."""
    return ms_date(calendar.timegm(day.timetuple()))


def day_of(text):
    """The UTC day of a ``/Date(...)/`` text, or None."""
    seconds = parse_ms_date(text)
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date()


def today(now):
    """The UTC day of the timestamp ``now`` (the fake's organisations live in UTC)."""
    return datetime.datetime.fromtimestamp(now, datetime.timezone.utc).date()


def is_guid(text):
    """Whether ``text`` is written like a Xero ID (any case)."""
    return isinstance(text, str) and bool(_GUID.match(text))


def iso_utc(ts):
    """Identity API style: ``2019-12-07T18:46:19.5165400`` (naive, UTC, 7 digits)."""
    dt = datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0"


def parse_http_date(text):
    """If-Modified-Since as sent by clients: RFC 1123 (HTTP) or ISO 8601 (xero-python sends
    ``datetime.isoformat()``). Naive values are UTC, as Xero reads them. None if unreadable."""
    if not text:
        return None
    text = text.strip()
    try:
        iso = text[:-1] + "+00:00" if text.endswith("Z") else text
        dt = datetime.datetime.fromisoformat(iso)
    except ValueError:
        try:
            dt = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def envelope(now, key, items, provider=PROVIDER_NAME, pagination=None, warnings=None):
    body = {
        "Id": str(uuid.uuid4()),
        "Status": "OK",
        "ProviderName": provider,
        "DateTimeUTC": ms_date(now, offset=False),
    }
    if pagination is not None:
        body["pagination"] = pagination
    if warnings:
        body["Warnings"] = warnings
    body[key] = items
    return body


def validation_exception(elements):
    """The 400 answer of a write whose elements broke Xero's rules (summarizeErrors=true)."""
    return {
        "ErrorNumber": 10,
        "Type": "ValidationException",
        "Message": "A validation exception occurred",
        "Elements": elements,
    }


def api_exception(number, type_, message):
    """Other Accounting API exceptions, e.g. QueryParseException (16), PostDataInvalidException (14)."""
    return {"ErrorNumber": number, "Type": type_, "Message": message}


def problem(status, title, detail):
    """The problem+json style body Xero's gateway sends for 401/403 (and that we reuse for 429)."""
    return {
        "Type": None,
        "Title": title,
        "Status": status,
        "Detail": detail,
        "Instance": str(uuid.uuid4()),
        "Extensions": {},
    }
