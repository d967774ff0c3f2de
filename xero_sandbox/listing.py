"""What every GET shares: the ``where`` filter, If-Modified-Since, ``order``, and finding one
record by its ID or by its other key (a contact's number, an item's code).

A listing is built from a store's records in its listing order (``RecordStore.ordered()`` or
``view()``), with their UpdatedDateUTC as numbers; ``select`` filters and sorts them.
``listed`` and ``one`` are the whole answer of the resources without paging or search;
``paged`` cuts a page (``page``, ``pageSize``) and ``values`` reads a comma-separated filter
(``IDs``, ``Statuses``) for those that have them.
"""
import copy

from . import shapes
from .accounting import ApiError, ApiResponse, not_found
from .where import WhereError, compile_where


def where_predicate(ctx):
    """The request's ``where`` filter as a predicate, None without one; a filter that does not
    parse is Xero's 400 QueryParseException."""
    where = ctx.q("where")
    if not where:
        return None
    try:
        return compile_where(where)
    except WhereError as exc:
        raise ApiError(400, shapes.api_exception(16, "QueryParseException", str(exc)))


def modified_since(ctx):
    """If-Modified-Since as a timestamp, None when absent or unreadable."""
    return shapes.parse_http_date(ctx.headers.get("If-Modified-Since"))


def _order_keys(spec):
    """(field, descending) pairs of ``order=Name ASC, UpdatedDateUTC DESC``."""
    keys = []
    for part in (spec or "").split(","):
        words = part.split()
        if words:
            keys.append((words[0], len(words) > 1 and words[1].upper() == "DESC"))
    return keys


def _sort_value(record, field):
    # Typed tuples so None, numbers/dates and strings never compare with each other.
    low = field.lower()
    value = next((v for k, v in record.items() if k.lower() == low), None)
    if value is None:
        return (0, 0.0, "")
    if isinstance(value, str):
        ts = shapes.parse_ms_date(value)
        return (1, ts, "") if ts is not None else (2, 0.0, value.lower())
    if isinstance(value, (int, float)):
        return (1, float(value), "")
    return (2, 0.0, str(value))


def sort(records, order):
    """``records`` already in listing order -> sorted by ``order`` (stable: ties keep it)."""
    for field, desc in reversed(_order_keys(order)):
        records.sort(key=lambda r: _sort_value(r, field), reverse=desc)
    return records


def select(records, stamps, tests=(), since=None, order=None):
    """The records a listing answers, in its order: those passing every one of ``tests``
    (predicates; None entries are skipped) and changed after ``since``."""
    tests = [t for t in tests if t is not None]
    out = [record for record, stamp in zip(records, stamps)
           if (since is None or stamp > since) and all(t(record) for t in tests)]
    return sort(out, order)


def values(ctx, name):
    """The items of a comma-separated query parameter (``IDs=a,b``; repeated parameters
    joined), trimmed and unquoted (Xero's docs quote them); [] when absent."""
    raw = ",".join(v for k, vs in ctx.query.items() if k.lower() == name.lower() for v in vs)
    return [v.strip().strip('"') for v in raw.split(",") if v.strip().strip('"')]


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def paged(ctx, records, default_size=100, max_size=1000, sized=True):
    """(the records of the page asked for, the ``pagination`` answer) with ``page``; (all of
    them, None) without. ``pageSize`` (when the endpoint has it, ``sized``) is capped at
    ``max_size``; pages count from 1."""
    page = ctx.q("page")
    if page is None:
        return records, None
    page = max(1, _int(page, 1))
    size = default_size
    if sized:
        size = min(max_size, max(1, _int(ctx.q("pageSize"), default_size)))
    total = len(records)
    return records[(page - 1) * size: page * size], {
        "page": page, "pageSize": size, "pageCount": (total + size - 1) // size, "itemCount": total}


def find(store, key, by_other):
    """The ID of the record ``key`` names: by ID when it looks like one, else (or if no ID
    matches) by ``by_other(key)``, e.g. a contact's number or an item's code."""
    found = store.find_id(key) if shapes.is_guid(key) else None
    return found or by_other(key)


def listed(ctx, key, store, since=None, present=None, variant=(), keep=None):
    """The answer to a GET of ``store``'s records: those the request's ``where`` (and
    ``keep``, a predicate, e.g. "not archived") keeps, changed after ``since``, in its
    ``order``, each shown through ``present`` (e.g. prices rounded). Built once per store
    version and query; ``variant`` holds whatever else shapes the answer (``keep`` and
    ``present`` included), for the cache key."""
    predicate = where_predicate(ctx)
    order = ctx.q("order")

    def build(records, stamps):
        chosen = select(records, stamps, [keep, predicate], since, order)
        return [present(r) for r in chosen] if present else chosen
    records = store.view(("list", ctx.q("where"), since, order) + tuple(variant), build)
    return ApiResponse(200, ctx.envelope(key, records))


def one(ctx, key, store, record_id, present=None):
    """The answer to a GET of one record: ``{key: [record]}``; 404 when ``record_id`` is None."""
    if record_id is None:
        raise not_found()
    record = copy.deepcopy(store[record_id])
    return ApiResponse(200, ctx.envelope(key, [present(record) if present else record]))


def register_reads(router, path, key, store_of, scopes, modified=True):
    """GET ``path`` (``listed``; If-Modified-Since when the records have an UpdatedDateUTC,
    ``modified``) and GET ``path/{ID}`` by the store's ID, for a read-only resource whose
    records ``store_of(tenant)`` holds."""
    def get_all(ctx):
        return listed(ctx, key, store_of(ctx.tenant), modified_since(ctx) if modified else None)

    def get_one(ctx):
        store = store_of(ctx.tenant)
        return one(ctx, key, store, store.find_id(ctx.params["id"]))
    router.add("GET", path, get_all, scopes)
    router.add("GET", path + "/{id}", get_one, scopes)
