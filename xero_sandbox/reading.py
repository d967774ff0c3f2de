"""Reading a request's values into the types Xero reads them into, as its JSON reader does.

A value that cannot be read fails the whole request with Xero's 400 PostDataInvalidException
("JSON for post data was invalid,Error converting value ... Path '...'."), not one element:
the body never reached the validation of its objects. What Xero reads leniently is read here
the same way: a JSON number in a text field, a numeric string in a number field.
"""
import datetime
import re

from .accounting import invalid_json
from .shared import dates

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")


def _refused(value, type_name, path):
    return invalid_json("Error converting value %s to type '%s'. Path '%s'." % (
        '"%s"' % value if isinstance(value, str) else value, type_name, path))


def text(value, path):
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)       # Xero reads a JSON number into a text field
    raise _refused(value, "String", path)


def number(value, path):
    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    try:
        return float(value)     # a numeric string, as Xero reads it
    except (TypeError, ValueError):
        raise _refused(value, "Decimal", path)


def boolean(value, path):
    if value is None or isinstance(value, bool):
        return value
    raise _refused(value, "Boolean", path)


def day(value, path):
    """A date of ``YYYY-MM-DD`` (what Xero's docs ask for), an ISO date-time (its day as
    written) or ``/Date(ms+zzzz)/`` (its UTC day, what xero-python's models send); None
    stays None."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value            # a seeding helper's value, never JSON's
    if isinstance(value, str):
        match = _DAY.match(value.strip())
        if match:
            try:
                return datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                pass
        seconds = dates.timestamp(value.strip())
        if seconds is not None:
            return datetime.datetime.fromtimestamp(seconds, datetime.timezone.utc).date()
    raise _refused(value, "DateTime", path)


def obj(value, path):
    """A JSON object (None: absent)."""
    if value is None or isinstance(value, dict):
        return value
    raise invalid_json("Unexpected value for '%s': an object is expected." % path)


def array(value, path):
    """A JSON array of objects (None: absent)."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise invalid_json("Unexpected value for '%s': an array of objects is expected." % path)
    return value
