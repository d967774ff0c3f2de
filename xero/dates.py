"""Xero's dates, read in one place.

Answers carry ``/Date(1700000000000+0000)/``: milliseconds since the Unix epoch in UTC; the
offset that may follow (even ``+1300`` on an UpdatedDateUTC) only says which zone the user saw,
the milliseconds are UTC already. Odoo keeps naive UTC datetimes, so that is what comes out.
"""
import datetime
import re

_MS_DATE = re.compile(r"^/Date\((-?\d+)([+-]\d{4})?\)/$")


def timestamp(text):
    """Seconds since the epoch (a float) of a ``/Date(...)/`` text, or None."""
    match = _MS_DATE.match(text or "") if isinstance(text, str) else None
    return int(match.group(1)) / 1000.0 if match else None


def to_datetime(text):
    """A naive UTC datetime of a ``/Date(...)/`` text, or None."""
    seconds = timestamp(text)
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).replace(tzinfo=None)


def updated(record):
    """When Xero last changed ``record`` (its UpdatedDateUTC), naive UTC, or None."""
    return to_datetime((record or {}).get("UpdatedDateUTC"))


def ms_date(seconds, offset=True):
    """``/Date(1700000000000+0000)/`` as Xero writes UpdatedDateUTC; DateTimeUTC has no offset."""
    ms = int(round(seconds * 1000))
    return "/Date(%d+0000)/" % ms if offset else "/Date(%d)/" % ms
