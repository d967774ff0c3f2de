"""The records of one resource of one organisation, indexed so that every lookup Xero makes is O(1).

A ``RecordStore`` is a mapping Xero ID -> record (a dict in Xero's JSON shape), in insertion
order, like the plain dict it replaces: tests read it (``store[id]``, ``len``, ``values()``,
``== {}``) and may seed it (``store[id] = record``). A subclass names its ID field, its
secondary indexes and its listing order; every assignment keeps, in one place:

- the lower-cased ID -> ID (Xero matches IDs case-insensitively),
- each secondary index key -> ID (e.g. a contact's number, an item's code),
- the listing order (the subclass's key, then the ID) and UpdatedDateUTC as a number.

An index key normally maps to one record; should seeded data hold several, lookups answer
the one stored first, as a linear scan would.

Stored records are never changed in place (a write stores a new dict), so handlers may hand
them out without copying. Replace a record rather than mutate it, or the indexes go stale.

A write request works on ``changes()``: an overlay with the same lookups that sees the
request's own earlier elements, costs O(batch), and reaches the store only on ``commit()``
(all or nothing). A write that changes other records too (a payment changes its invoice)
``attach``es their stores' overlays: they commit with it. Listings are built by ``view()``:
filtered and sorted once per store version and query, so paging through 100,000 records costs
a slice per page.
"""
import bisect
import collections
import threading
from collections.abc import MutableMapping

from .shapes import parse_ms_date

_VIEWS_KEPT = 8


def id_key(record_id):
    return str(record_id).lower()


def fold(text):
    """How Xero compares names and codes: trimmed, case-insensitive."""
    return (text or "").strip().lower()


def text_key(value):
    """``fold`` for a text value; None (never matched) for an empty or non-text one."""
    return fold(value) if isinstance(value, str) and value.strip() else None


def _stamp(record):
    try:
        return parse_ms_date(record.get("UpdatedDateUTC")) or 0
    except TypeError:
        return 0


class _Index:
    """key -> the IDs holding it (one, or a list when seeded data repeats a key)."""

    __slots__ = ("_map",)

    def __init__(self):
        self._map = {}

    def add(self, key, record_id):
        held = self._map.get(key)
        if held is None:
            self._map[key] = record_id
        elif isinstance(held, list):
            held.append(record_id)
        else:
            self._map[key] = [held, record_id]

    def discard(self, key, record_id):
        held = self._map.get(key)
        if isinstance(held, list):
            if record_id in held:
                held.remove(record_id)
                if len(held) == 1:
                    self._map[key] = held[0]
        elif held == record_id:
            del self._map[key]

    def get(self, key):
        held = self._map.get(key)
        if held is None:
            return ()
        return tuple(held) if isinstance(held, list) else (held,)


class Lookups:
    """Finding records through ``_candidates(index name, key)``; subclasses add lookups by
    their own indexes (``having``/``first``), for the store and its pending changes alike."""

    def find_id(self, record_id):
        """The stored ID matching ``record_id`` case-insensitively, or None."""
        return self.first(self.with_id(record_id))

    def with_id(self, record_id):
        """Every ID matching ``record_id`` case-insensitively (normally one)."""
        return self._candidates("id", id_key(record_id))

    def having(self, index, key):
        """IDs of the records whose ``index`` key is ``key`` (none for a None key)."""
        return self._candidates(index, key) if key is not None else ()

    def first(self, record_ids):
        """The one of ``record_ids`` stored first, or None."""
        if len(record_ids) <= 1:
            return record_ids[0] if record_ids else None
        return min(record_ids, key=self._position)


class Changes(Lookups):
    """The records one write request has created or changed, over the store.

    Reads see the store with these changes applied (as a copy of it would, in the same
    order); ``commit()`` stores them all at once.
    """

    def __init__(self, store):
        self._store = store
        self._records = {}      # ID -> record, in order of first change
        self._new = {}          # ID -> creation order, for records not in the store
        self._index = store.new_indexes()
        self._keys = {}         # ID -> its secondary index keys
        self.attached = {}      # name -> another store's changes, committed with these

    def attach(self, name, changes):
        """Commit ``changes`` (another store's pending changes) with these; returns them."""
        self.attached[name] = changes
        return changes

    def __getitem__(self, record_id):
        if record_id in self._records:
            return self._records[record_id]
        return self._store[record_id]

    def __setitem__(self, record_id, record):
        old = self._keys.get(record_id)
        if old is not None:
            for index, key in zip(self._store.INDEXES, old):
                if key is not None:
                    self._index[index].discard(key, record_id)
        elif record_id not in self._store:
            self._new[record_id] = len(self._new)
            self._index["id"].add(id_key(record_id), record_id)
        self._records[record_id] = record
        keys = self._store.index_keys(record)
        self._keys[record_id] = keys
        for index, key in zip(self._store.INDEXES, keys):
            if key is not None:
                self._index[index].add(key, record_id)

    def _candidates(self, index, key):
        stored = self._store._candidates(index, key)
        if index != "id":       # a changed record answers by its new values only
            stored = tuple(r for r in stored if r not in self._records)
        return stored + self._index[index].get(key)

    def _position(self, record_id):
        if record_id in self._new:
            return (1, self._new[record_id])
        return (0, self._store._position(record_id))

    def commit(self):
        for changes in self.attached.values():
            changes.commit()
        with self._store._lock:
            for record_id, record in self._records.items():
                self._store[record_id] = record


class RecordStore(Lookups, MutableMapping):
    ID_FIELD = None             # the record's Xero ID, e.g. "ContactID"
    INDEXES = ()                # secondary indexes, keyed by ``index_keys(record)``
    CHANGES = Changes           # a subclass pairs it with its own lookups
    NOUN = "records"

    @staticmethod
    def index_keys(record):
        """The record's key in each of ``INDEXES`` (None: not indexed there)."""
        return ()

    @staticmethod
    def order_key(record):
        """The listing order's leading key (the ID breaks ties)."""
        return ""

    def __init__(self, records=()):
        self._lock = threading.RLock()
        self._records = {}
        self._pos = {}          # ID -> insertion sequence (dict order, for ties)
        self._seq = 0
        self._index = self.new_indexes()
        self._keys = {}         # ID -> (secondary index keys, sort key, stamp)
        self._sorted = []       # sort keys, ascending: the listing order
        self._views = collections.OrderedDict()
        self.version = 0        # bumped by every change; listings cached per version
        self.update(records)

    def new_indexes(self):
        return {name: _Index() for name in ("id",) + tuple(self.INDEXES)}

    # -- mapping -------------------------------------------------------------------------
    def __getitem__(self, record_id):
        return self._records[record_id]

    def __contains__(self, record_id):
        return record_id in self._records

    def __iter__(self):
        return iter(self._records)

    def __len__(self):
        return len(self._records)

    def __repr__(self):
        return "<%s: %d %s>" % (type(self).__name__, len(self._records), self.NOUN)

    def __setitem__(self, record_id, record):
        with self._lock:
            old = self._keys.get(record_id)
            if old is None:
                self._pos[record_id] = self._seq
                self._seq += 1
                self._index["id"].add(id_key(record_id), record_id)
            else:
                self._unindex(record_id, old[0])
            self._records[record_id] = record
            keys = (self.index_keys(record), self._sort_key(record, record_id), _stamp(record))
            self._keys[record_id] = keys
            for index, key in zip(self.INDEXES, keys[0]):
                if key is not None:
                    self._index[index].add(key, record_id)
            if old is None or old[1] != keys[1]:
                if old is not None:
                    self._remove_sorted(old[1])
                bisect.insort(self._sorted, keys[1])
            self.version += 1

    def __delitem__(self, record_id):
        with self._lock:
            old = self._keys.pop(record_id)
            self._unindex(record_id, old[0])
            self._remove_sorted(old[1])
            self._index["id"].discard(id_key(record_id), record_id)
            del self._records[record_id], self._pos[record_id]
            self.version += 1

    def clear(self):
        with self._lock:
            self._records.clear()
            self._pos.clear()
            self._keys.clear()
            self._sorted = []
            self._index = self.new_indexes()
            self._views.clear()
            self.version += 1

    def _sort_key(self, record, record_id):
        return (self.order_key(record), str(record.get(self.ID_FIELD, record_id)), record_id)

    def _unindex(self, record_id, index_keys):
        for index, key in zip(self.INDEXES, index_keys):
            if key is not None:
                self._index[index].discard(key, record_id)

    def _remove_sorted(self, key):
        at = bisect.bisect_left(self._sorted, key)
        if at < len(self._sorted) and self._sorted[at] == key:
            del self._sorted[at]

    # -- lookups ---------------------------------------------------------------------------
    def _candidates(self, index, key):
        return self._index[index].get(key)

    def _position(self, record_id):
        return self._pos[record_id]

    def changes(self):
        """A pending batch over this store; nothing is stored before its ``commit()``."""
        return self.CHANGES(self)

    # -- listings ----------------------------------------------------------------------------
    def ordered(self, record_ids=None):
        """(records, UpdatedDateUTC stamps) in listing order: all, or those of ``record_ids``."""
        with self._lock:
            if record_ids is None:
                keys = self._sorted
            else:
                keys = sorted(self._keys[r][1] for r in set(record_ids) if r in self._keys)
            records = self._records
            meta = self._keys
            return ([records[k[2]] for k in keys], [meta[k[2]][2] for k in keys])

    def view(self, key, build):
        """``build(records, stamps)`` over all records in listing order, cached for ``key``
        until the store changes (``key`` must describe the query fully)."""
        with self._lock:
            version = self.version
            cached = self._views.get(key)
            if cached is not None and cached[0] == version:
                self._views.move_to_end(key)
                return cached[1]
            records, stamps = self.ordered()
        result = build(records, stamps)       # outside the lock: writes need not wait
        with self._lock:
            if version == self.version:       # else already stale: answer it, keep nothing
                for stale in [k for k, (v, _) in self._views.items() if v != version]:
                    del self._views[stale]      # they would hold on to replaced records
                self._views[key] = (version, result)
                while len(self._views) > _VIEWS_KEPT:
                    self._views.popitem(last=False)
        return result


class CodeLookups(Lookups):
    """Finding a record by its Code, unique whatever its case (items, accounts)."""

    def with_code(self, code):
        """IDs of the records whose Code matches ``code`` (trimmed, any case)."""
        return self.having("code", text_key(code))

    def by_code(self, code):
        return self.first(self.with_code(code))


class CodeChanges(CodeLookups, Changes):
    pass


class CodeStore(CodeLookups, RecordStore):
    """Records indexed and listed by their Code."""

    INDEXES = ("code",)
    CHANGES = CodeChanges

    @staticmethod
    def index_keys(record):
        return (text_key(record.get("Code")),)

    @staticmethod
    def order_key(record):
        return fold(record.get("Code"))
