"""The contacts of one organisation, indexed so that every lookup Xero makes is O(1).

``ContactStore`` is a mapping ContactID -> contact dict (Xero shape), in insertion order,
like the plain dict it replaces: tests read it (``store[cid]``, ``len``, ``values()``,
``== {}``) and may seed it (``store[cid] = record``). Every assignment keeps, in one place:

- the lower-cased ContactID -> ContactID (IDs match case-insensitively),
- ContactNumber -> ContactID (numbers are unique across all contacts),
- the lower-cased, stripped Name of ACTIVE contacts -> ContactID (unique among active ones),
- the listing order (lower-cased Name, then ContactID) and UpdatedDateUTC as a number.

An index key normally maps to one contact; should seeded data hold several, lookups answer
the one stored first, as the linear scans they replace did.

Stored records are never changed in place (a write stores a new dict), so handlers may hand
them out without copying. Replace a record rather than mutate it, or the indexes go stale.

A write request works on ``changes()``: an overlay with the same lookups that sees the
request's own earlier elements, costs O(batch), and reaches the store only on ``commit()``
(all or nothing). Listings are built by ``view()``: filtered and sorted once per store
version and query, so paging through 100,000 contacts costs a slice per page.
"""
import bisect
import collections
import threading
from collections.abc import MutableMapping

from .shapes import parse_ms_date

_VIEWS_KEPT = 8


def id_key(contact_id):
    return str(contact_id).lower()


def name_key(name):
    """How Xero compares contact names: trimmed, case-insensitive."""
    return (name or "").strip().lower()


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


def _sort_key(record, contact_id):
    name = record.get("Name") or ""
    name = name.lower() if isinstance(name, str) else str(name).lower()
    return (name, str(record.get("ContactID", contact_id)), contact_id)


def _stamp(record):
    try:
        return parse_ms_date(record.get("UpdatedDateUTC")) or 0
    except TypeError:
        return 0


class _Index:
    """key -> the ContactIDs holding it (one, or a list when seeded data repeats a key)."""

    __slots__ = ("_map",)

    def __init__(self):
        self._map = {}

    def add(self, key, contact_id):
        held = self._map.get(key)
        if held is None:
            self._map[key] = contact_id
        elif isinstance(held, list):
            held.append(contact_id)
        else:
            self._map[key] = [held, contact_id]

    def discard(self, key, contact_id):
        held = self._map.get(key)
        if isinstance(held, list):
            if contact_id in held:
                held.remove(contact_id)
                if len(held) == 1:
                    self._map[key] = held[0]
        elif held == contact_id:
            del self._map[key]

    def get(self, key):
        held = self._map.get(key)
        if held is None:
            return ()
        return tuple(held) if isinstance(held, list) else (held,)


class _Lookups:
    """Xero's ways to find a contact, over ``_candidates(index name, key)``."""

    def find_id(self, contact_id):
        """The stored ContactID matching ``contact_id`` case-insensitively, or None."""
        return self._first(self.with_id(contact_id))

    def with_id(self, contact_id):
        """Every ContactID matching ``contact_id`` case-insensitively (normally one)."""
        return self._candidates("id", id_key(contact_id))

    def by_number(self, number):
        return self._first(self.with_number(number))

    def active_by_name(self, name):
        return self._first(self.with_active_name(name))

    def with_number(self, number):
        """ContactIDs whose ContactNumber equals ``number`` (none for an empty number)."""
        return self._candidates("number", number_key(number)) if number else ()

    def with_active_name(self, name):
        """ContactIDs of ACTIVE contacts whose name matches ``name`` (trimmed, any case)."""
        return self._candidates("name", name_key(name))

    def _first(self, contact_ids):
        if len(contact_ids) <= 1:
            return contact_ids[0] if contact_ids else None
        return min(contact_ids, key=self._position)


class ContactStore(_Lookups, MutableMapping):
    def __init__(self, records=()):
        self._lock = threading.RLock()
        self._records = {}
        self._pos = {}          # ContactID -> insertion sequence (dict order, for ties)
        self._seq = 0
        self._index = {"id": _Index(), "number": _Index(), "name": _Index()}
        self._keys = {}         # ContactID -> (number key, active name key, sort key, stamp)
        self._sorted = []       # sort keys, ascending: the listing order
        self._views = collections.OrderedDict()
        self.version = 0        # bumped by every change; listings cached per version
        self.update(records)

    # -- mapping -------------------------------------------------------------------------
    def __getitem__(self, contact_id):
        return self._records[contact_id]

    def __contains__(self, contact_id):
        return contact_id in self._records

    def __iter__(self):
        return iter(self._records)

    def __len__(self):
        return len(self._records)

    def __repr__(self):
        return "<ContactStore: %d contacts>" % len(self._records)

    def __setitem__(self, contact_id, record):
        with self._lock:
            old = self._keys.get(contact_id)
            if old is None:
                self._pos[contact_id] = self._seq
                self._seq += 1
                self._index["id"].add(id_key(contact_id), contact_id)
            else:
                self._unindex(contact_id, old)
            self._records[contact_id] = record
            keys = (number_key(record.get("ContactNumber")), _active_name_key(record),
                    _sort_key(record, contact_id), _stamp(record))
            self._keys[contact_id] = keys
            if keys[0] is not None:
                self._index["number"].add(keys[0], contact_id)
            if keys[1] is not None:
                self._index["name"].add(keys[1], contact_id)
            if old is None or old[2] != keys[2]:
                if old is not None:
                    self._remove_sorted(old[2])
                bisect.insort(self._sorted, keys[2])
            self.version += 1

    def __delitem__(self, contact_id):
        with self._lock:
            old = self._keys.pop(contact_id)
            self._unindex(contact_id, old)
            self._remove_sorted(old[2])
            self._index["id"].discard(id_key(contact_id), contact_id)
            del self._records[contact_id], self._pos[contact_id]
            self.version += 1

    def clear(self):
        with self._lock:
            self._records.clear()
            self._pos.clear()
            self._keys.clear()
            self._sorted = []
            self._index = {"id": _Index(), "number": _Index(), "name": _Index()}
            self._views.clear()
            self.version += 1

    def _unindex(self, contact_id, keys):
        if keys[0] is not None:
            self._index["number"].discard(keys[0], contact_id)
        if keys[1] is not None:
            self._index["name"].discard(keys[1], contact_id)

    def _remove_sorted(self, key):
        at = bisect.bisect_left(self._sorted, key)
        if at < len(self._sorted) and self._sorted[at] == key:
            del self._sorted[at]

    # -- lookups ---------------------------------------------------------------------------
    def _candidates(self, index, key):
        return self._index[index].get(key)

    def _position(self, contact_id):
        return self._pos[contact_id]

    def changes(self):
        """A pending batch over this store; nothing is stored before its ``commit()``."""
        return Changes(self)

    # -- listings ----------------------------------------------------------------------------
    def ordered(self, contact_ids=None):
        """(records, UpdatedDateUTC stamps) in listing order: all, or those of ``contact_ids``."""
        with self._lock:
            if contact_ids is None:
                keys = self._sorted
            else:
                keys = sorted(self._keys[c][2] for c in set(contact_ids) if c in self._keys)
            records = self._records
            meta = self._keys
            return ([records[k[2]] for k in keys], [meta[k[2]][3] for k in keys])

    def view(self, key, build):
        """``build(records, stamps)`` over all contacts in listing order, cached for ``key``
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


class Changes(_Lookups):
    """The contacts one write request has created or changed, over the store.

    Reads see the store with these changes applied (as a copy of it would, in the same
    order); ``commit()`` stores them all at once.
    """

    def __init__(self, store):
        self._store = store
        self._records = {}      # ContactID -> record, in order of first change
        self._new = {}          # ContactID -> creation order, for contacts not in the store
        self._index = {"id": _Index(), "number": _Index(), "name": _Index()}
        self._keys = {}         # ContactID -> (number key, active name key)

    def __getitem__(self, contact_id):
        if contact_id in self._records:
            return self._records[contact_id]
        return self._store[contact_id]

    def __setitem__(self, contact_id, record):
        old = self._keys.get(contact_id)
        if old is not None:
            for index, key in zip(("number", "name"), old):
                if key is not None:
                    self._index[index].discard(key, contact_id)
        elif contact_id not in self._store:
            self._new[contact_id] = len(self._new)
            self._index["id"].add(id_key(contact_id), contact_id)
        self._records[contact_id] = record
        keys = (number_key(record.get("ContactNumber")), _active_name_key(record))
        self._keys[contact_id] = keys
        for index, key in zip(("number", "name"), keys):
            if key is not None:
                self._index[index].add(key, contact_id)

    def _candidates(self, index, key):
        stored = self._store._candidates(index, key)
        if index != "id":       # a changed contact answers by its new values only
            stored = tuple(c for c in stored if c not in self._records)
        return stored + self._index[index].get(key)

    def _position(self, contact_id):
        if contact_id in self._new:
            return (1, self._new[contact_id])
        return (0, self._store._position(contact_id))

    def commit(self):
        with self._store._lock:
            for contact_id, record in self._records.items():
                self._store[contact_id] = record
