"""The objects the engine syncs, in dependency order.

Each object is a ``SyncType`` subclass (``sync/contacts``, ``sync/items``...) registered with
``@register``. ``sequence`` is the dependency order: what a record references must exist in Xero
before it (an invoice needs its contact's ContactID and its items' codes), so background runs
go customers → products → quotes and invoices → payments, and share the quota in that order.
"""
_TYPES = {}


def register(sync_type):
    """Class decorator: make ``sync_type`` known to the engine under its ``name``."""
    _TYPES[sync_type.name] = sync_type
    return sync_type


def get(name):
    return _TYPES[name]


def ordered(names=None):
    """The registered types (or those named), dependency order first."""
    types = [t for t in _TYPES.values() if names is None or t.name in names]
    return sorted(types, key=lambda t: (t.sequence, t.name))


def selection():
    return [(t.name, t.label) for t in ordered()]
