"""Items: GET (all, by ItemID or Code), PUT (create), POST (update or create), DELETE.

After Xero's docs and OpenAPI description (paths /Items, /Items/{ItemID}; schemas Item,
Purchase):

- GET /Items answers every item (Xero does not page items), listed by Code; If-Modified-Since,
  ``where`` and ``order`` apply. GET /Items/{ItemID} takes the ItemID or the Code, as Xero
  does (the spec describes the ItemID only).
- Every element carries its Code, updates too (the schema requires it). PUT creates: a Code
  used by another item, whatever its case, fails the element. POST updates the item its
  ItemID names, else the item with its Code, and creates one otherwise; POST /Items/{ItemID}
  updates that item. Omitted fields keep their value; SalesDetails and PurchaseDetails
  merge field by field.
- QuantityOnHand, TotalCostPool and IsTrackedAsInventory are accepted and ignored: Xero
  derives them (``itemrules.settle``). Tests set stock with ``FakeXero.set_quantity_on_hand``.
- ``unitdp=4`` keeps unit prices at 4 decimals, in writes and answers; without it they are 2.
- DELETE /Items/{ItemID} answers 204 without a body.
- ``summarizeErrors``, all-or-nothing batches and per-element answers: ``writes.py``.
"""
import copy
import uuid

from . import itemrules, listing, reading, shapes, writes
from .accounting import ApiResponse, invalid_json, not_found
from .recordstore import CodeStore

READ_SCOPES = ("accounting.settings", "accounting.settings.read")
WRITE_SCOPES = ("accounting.settings",)

READ_ONLY = frozenset({
    "ItemID", "UpdatedDateUTC", "QuantityOnHand", "TotalCostPool", "IsTrackedAsInventory",
    "ValidationErrors", "StatusAttributeString",
})
_TEXT = ("Code", "Name", "Description", "PurchaseDescription", "InventoryAssetAccountCode")
_DETAILS_TEXT = ("AccountCode", "COGSAccountCode", "TaxType")


class ItemStore(CodeStore):
    """The items of one organisation, by ItemID, indexed and listed by Code."""

    ID_FIELD = "ItemID"
    NOUN = "items"


def new_item(item_id):
    """What Xero stores for a new item before the client's fields are applied."""
    return {
        "ItemID": item_id,
        "IsSold": True,
        "IsPurchased": True,
        "IsTrackedAsInventory": False,
        "SalesDetails": {},
        "PurchaseDetails": {},
    }


def unit_places(ctx):
    """Decimals of unit prices for this request: 4 with ``unitdp=4``, else 2."""
    return 4 if (ctx.q("unitdp") or "").strip() == "4" else 2


_text = reading.text
_price = reading.number


def read(incoming):
    """The element with its values in the types Xero reads them into; a value that cannot
    be read is a 400 PostDataInvalidException for the whole request, as on Xero."""
    typed = dict(incoming)
    for key in _TEXT:
        if key in typed:
            typed[key] = _text(typed[key], key)
    for key in ("IsSold", "IsPurchased"):
        if key in typed and not isinstance(typed[key], bool):
            raise invalid_json("Error converting value %s to type 'Boolean'. Path '%s'." % (typed[key], key))
    for key in itemrules.DETAILS:
        if key not in typed:
            continue
        details = typed[key] or {}
        if not isinstance(details, dict):
            raise invalid_json("Unexpected value for '%s': an object is expected." % key)
        details = dict(details)
        for field in _DETAILS_TEXT:
            if field in details:
                details[field] = _text(details[field], "%s.%s" % (key, field))
        if "UnitPrice" in details:
            details["UnitPrice"] = _price(details["UnitPrice"], "%s.UnitPrice" % key)
        typed[key] = details
    return typed


def merge(stored, incoming):
    merged = copy.deepcopy(stored)
    for key, value in incoming.items():
        if key in itemrules.DETAILS:
            merged[key] = dict(merged.get(key) or {}, **value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _find(store, key):
    return listing.find(store, key, store.by_code)


class _Items(writes.Resource):
    KEY = "Items"
    ID_FIELD = "ItemID"
    READ_ONLY = READ_ONLY
    NOT_AN_OBJECT = "An item must be a JSON object."

    def store(self, tenant):
        return tenant.items

    def find(self, store, key):
        return _find(store, key)

    def resolve(self, ctx, incoming, work, path_id, given_id):
        if path_id is not None:
            return path_id, []
        if ctx.method == "PUT":
            return None, []         # a taken Code fails in the rules, with Xero's message
        if given_id:
            found = work.find_id(given_id)
            return (found, []) if found else (None, ["The item with ItemID %s could not be found." % given_id])
        return work.by_code(incoming.get("Code")), []

    def read(self, incoming):
        return read(incoming)

    def new(self, item_id):
        return new_item(item_id)

    def save(self, ctx, stored, incoming, target, work):
        return build(ctx.tenant, stored, incoming, target, work, unit_places(ctx))


ITEMS = _Items()


def build(tenant, stored, incoming, target, work, places):
    """(the item as it would be stored, error messages): ``incoming`` (an element as ``read``)
    over ``stored``; ``target`` its ItemID, None when new."""
    merged = merge(stored, incoming)
    errors = itemrules.item_errors(merged, incoming, target, work, tenant.accounts, tenant.tax_rates)
    record = itemrules.settle(merged, tenant.accounts, places)
    return record, errors + itemrules.untrack_errors(stored, record)


def add_item(tenant, fields, now, places=4):
    """Create an item as a PUT element would, straight into the store (tests, benchmarks);
    raises ValueError with the validation messages. Returns the stored item."""
    with tenant.lock:
        work = tenant.items.changes()
        incoming = read({k: v for k, v in fields.items() if k not in READ_ONLY})
        record, errors = build(tenant, new_item(str(uuid.uuid4())), incoming, None, work, places)
        if errors:
            raise ValueError("; ".join(errors))
        record["UpdatedDateUTC"] = shapes.ms_date(now)
        work[record["ItemID"]] = record
        work.commit()
    return record


def find_item(tenant, key):
    """The stored item whose ItemID or Code is ``key``, or None."""
    return tenant.items.get(_find(tenant.items, key))


def set_stock(tenant, key, quantity, total_cost_pool, now):
    """Give the tracked item ``key`` (ItemID or Code) this stock, as bills and invoices would
    (the API cannot set it); the cost pool defaults to the quantity at the purchase price.
    Returns the stored item."""
    with tenant.lock:
        store = tenant.items
        item_id = _find(store, key)
        if item_id is None:
            raise KeyError(key)
        record = dict(store[item_id])
        if not record.get("IsTrackedAsInventory"):
            raise ValueError("item %s is not tracked: it has no stock" % key)
        if total_cost_pool is None:
            total_cost_pool = quantity * ((record.get("PurchaseDetails") or {}).get("UnitPrice") or 0)
        record.update(QuantityOnHand=float(quantity),
                      TotalCostPool=itemrules.round_price(total_cost_pool, 2),
                      UpdatedDateUTC=shapes.ms_date(now))
        store[item_id] = record
    return record


def delete_item(ctx):
    tenant = ctx.tenant
    with tenant.lock:
        item_id = _find(tenant.items, ctx.params["ItemID"])
        if item_id is None:
            raise not_found()
        del tenant.items[item_id]
    return ApiResponse(204, b"", None)


# -- reads -------------------------------------------------------------------------------------

def _at_places(record, places):
    """The item as answered with unit prices at ``places`` decimals (stored ones are at most 4)."""
    if places == 4:
        return record
    rounded = {}
    for key in itemrules.DETAILS:
        price = (record.get(key) or {}).get("UnitPrice")
        if price is not None and itemrules.round_price(price, places) != price:
            rounded[key] = dict(record[key], UnitPrice=itemrules.round_price(price, places))
    return dict(record, **rounded) if rounded else record


def list_items(ctx):
    places = unit_places(ctx)
    return listing.listed(ctx, "Items", ctx.tenant.items, listing.modified_since(ctx),
                          lambda r: _at_places(r, places), variant=(places,))


def get_item(ctx):
    store = ctx.tenant.items
    places = unit_places(ctx)
    return listing.one(ctx, "Items", store, _find(store, ctx.params["ItemID"]),
                       lambda r: _at_places(r, places))


def register(router):
    router.add("GET", "/Items", list_items, READ_SCOPES)
    router.add("GET", "/Items/{ItemID}", get_item, READ_SCOPES)
    router.add("DELETE", "/Items/{ItemID}", delete_item, WRITE_SCOPES)
    writes.register(router, "/Items", ITEMS, WRITE_SCOPES)
