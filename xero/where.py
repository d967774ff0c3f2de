"""Building Xero's ``where`` filters (a .NET-like expression in the query string).

Values are quoted here and nowhere else, and long alternatives are cut into several filters
so that no URL grows past what Xero's gateway accepts (a few KB).
"""
MAX_LENGTH = 2000  # characters of one filter: the URL must stay well under 8 KB


def quote(text):
    return '"%s"' % str(text).replace("\\", "\\\\").replace('"', '\\"')


def equals(field, value):
    return "%s==%s" % (field, quote(value))


def equals_lower(field, value, nullable=True):
    """Case-insensitive equality. Xero evaluates the filter as .NET does: a method called on a
    missing value fails, so a field that may be empty is checked first."""
    test = "%s.ToLower()==%s" % (field, quote(str(value).strip().casefold()))
    return "%s!=null AND %s" % (field, test) if nullable else test


def contains_lower(field, word):
    """For fields Xero always fills (a contact's or an item's Name)."""
    return "%s.ToLower().Contains(%s)" % (field, quote(str(word).casefold()))


def guid(field, value):
    return '%s==Guid(%s)' % (field, quote(value))


def any_of(clauses, per_filter=None, max_length=MAX_LENGTH):
    """Yield filters OR-ing the clauses, at most ``per_filter`` clauses and ``max_length``
    characters each."""
    batch, length = [], 0
    for clause in filter(None, clauses):
        clause = "(%s)" % clause
        if batch and ((per_filter and len(batch) == per_filter) or length + len(clause) + 4 > max_length):
            yield " OR ".join(batch)
            batch, length = [], 0
        batch.append(clause)
        length += len(clause) + 4
    if batch:
        yield " OR ".join(batch)


def on_or_after(field, day):
    """``field`` (a date) on or after ``day`` (a ``datetime.date``), as Xero's filters write dates."""
    return "%s >= DateTime(%d, %d, %d)" % (field, day.year, day.month, day.day)
