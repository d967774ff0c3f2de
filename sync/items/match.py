"""Is this product in Xero already? Asked before a first push.

Xero's codes are unique, so an item with the product's code is the product (sure: linked). An
item of the same normalised name but another code may be (doubtful: a person reviews it, nothing
is created meanwhile). Items already linked to another product are left out.

Xero answers every item in one call, whatever the organisation's size, so the items are known
through an index each worker keeps per organisation: read whole once (again after ``FULL_READ``),
then only the items changed since (If-Modified-Since), so a push of thousands of products in
batches reads each item about once and holds a few short keys per item, not the items. An item
created in Xero between two reads and missed by the index is still not duplicated: Xero refuses
a second item with its code, and the push links it then (``ItemSync.recover``).
"""
import threading
import time
from datetime import timedelta

from ...xero import dates
from ...xero.mappers.item import normalise_name

FULL_READ = 3600  # seconds after which the index is read whole again
OVERLAP = timedelta(seconds=1)
_INDEXES = {}  # (database, connection id, tenant) -> ItemIndex
_LOCK = threading.Lock()  # the threads of a worker (scheduled actions, buttons) share the indexes


class ItemIndex:
    """Xero items by upper-cased code and by normalised name, as (ItemID, Code, Name)."""

    def __init__(self):
        self.read_at = time.monotonic()
        self.newest = None  # the newest UpdatedDateUTC read: the next read asks for changes since
        self.items = {}  # lower-cased ItemID -> (ItemID, Code, Name)

    def add(self, item):
        self.items[item["ItemID"].lower()] = (item["ItemID"], item.get("Code") or "", item.get("Name") or "")
        updated = dates.updated(item)
        if updated and (self.newest is None or updated > self.newest):
            self.newest = updated

    def candidates(self, taken):
        """(by code, by name) of the items whose id is not in ``taken`` (lower-cased ids)."""
        by_code, by_name = {}, {}
        for key, entry in self.items.items():
            if key in taken:
                continue
            if entry[1]:
                by_code.setdefault(entry[1].strip().upper(), entry)
            name = normalise_name(entry[2])
            if name:
                by_name.setdefault(name, []).append(entry)
        return by_code, by_name


def forget(sync, item_id):
    """An item the index still had is gone from Xero (deleted there): drop it."""
    with _LOCK:
        found = _INDEXES.get((sync.env.cr.dbname, sync.connection.id, sync.connection.tenant_id))
        if found:
            found.items.pop(item_id.lower(), None)


def index(sync, client):
    """A copy of the worker's index of ``sync``'s organisation, brought up to date (the items
    are read outside the lock: other threads keep the index they had meanwhile)."""
    key = (sync.env.cr.dbname, sync.connection.id, sync.connection.tenant_id)
    with _LOCK:
        known = _INDEXES.get(key)
    found = ItemIndex()
    if known is not None and time.monotonic() - known.read_at <= FULL_READ:
        found.read_at, found.newest, found.items = known.read_at, known.newest, dict(known.items)
    since = found.newest - OVERLAP if found.newest else None
    for item in client.iter_records("Items", modified_since=since):
        found.add(item)
    with _LOCK:
        _INDEXES[key] = found
    return found


class Matcher:
    """The candidates of a batch: items of the index linked to no product of this connection."""

    def __init__(self, sync, client):
        items = index(sync, client)
        sync.links.flush_model(["xero_item_id", "connection_id"])
        sync.env.cr.execute("SELECT lower(xero_item_id) FROM xero_product_link WHERE connection_id = %s "
                            "AND xero_item_id IS NOT NULL", (sync.connection.id,))
        self.by_code, self.by_name = items.candidates({row[0] for row in sync.env.cr.fetchall()})
        self.taken = set()

    def match(self, values):
        """(sure (ItemID, Code, Name) or None, [doubtful ones]); a sure item is taken once."""
        sure = self.by_code.get((values.get("code") or "").strip().upper())
        if sure and sure[0] not in self.taken:
            self.taken.add(sure[0])
            return sure, []
        doubtful = [sure] if sure else self.by_name.get(normalise_name(values.get("name")), [])
        return None, [entry for entry in doubtful if entry[0] not in self.taken]
