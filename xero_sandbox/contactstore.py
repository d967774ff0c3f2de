"""The contacts of one organisation: a ``RecordStore`` (``recordstore.py``) keyed by ContactID.

Besides the ID, it indexes what Xero's contact lookups and uniqueness rules use:

- ContactNumber -> ContactID (numbers are unique across all contacts),
- the lower-cased, stripped Name of ACTIVE contacts -> ContactID (unique among active ones),

and lists contacts by lower-cased Name, then ContactID.
"""
from .recordstore import Changes, Lookups, RecordStore, fold

name_key = fold     # how Xero compares contact names: trimmed, case-insensitive


def _hashable(value):
    """A dict key equal (==) exactly when the JSON values are: lists and objects folded."""
    if isinstance(value, list):
        return ("__list__", tuple(_hashable(v) for v in value))
    if isinstance(value, dict):
        return ("__dict__", frozenset((k, _hashable(v)) for k, v in value.items()))
    return value


def number_key(number):
    """Index key of a ContactNumber; None for an empty one (never matched)."""
    return _hashable(number) if number else None


def _active_name_key(record):
    if record.get("ContactStatus") != "ACTIVE":
        return None
    name = record.get("Name")
    if name and not isinstance(name, str):
        return None
    return name_key(name)


def _listing_name(record):
    name = record.get("Name") or ""
    return name.lower() if isinstance(name, str) else str(name).lower()


class ContactLookups(Lookups):
    """Xero's ways to find a contact besides its ID."""

    def by_number(self, number):
        return self.first(self.with_number(number))

    def active_by_name(self, name):
        return self.first(self.with_active_name(name))

    def with_number(self, number):
        """ContactIDs whose ContactNumber equals ``number`` (none for an empty number)."""
        return self.having("number", number_key(number))

    def with_active_name(self, name):
        """ContactIDs of ACTIVE contacts whose name matches ``name`` (trimmed, any case)."""
        return self.having("name", name_key(name))


class ContactChanges(ContactLookups, Changes):
    pass


class ContactStore(ContactLookups, RecordStore):
    ID_FIELD = "ContactID"
    INDEXES = ("number", "name")
    CHANGES = ContactChanges
    NOUN = "contacts"

    @staticmethod
    def index_keys(record):
        return (number_key(record.get("ContactNumber")), _active_name_key(record))

    order_key = staticmethod(_listing_name)
