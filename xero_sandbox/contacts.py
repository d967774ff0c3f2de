"""Contacts: GET (list, by ID or ContactNumber), PUT (create), POST (create or update).

Write semantics, after Xero's docs:

- PUT creates; an element whose name is already used by an ACTIVE contact, or whose
  ContactNumber is taken, fails validation.
- POST updates the contact it identifies - by ContactID, else by ContactNumber, else by Name
  (an ACTIVE contact, case-insensitive) - and creates one otherwise. Omitted fields keep
  their value; Addresses and Phones merge by AddressType / PhoneType.
- ``ContactStatus: "ARCHIVED"`` archives (contacts are never deleted); archived contacts
  free their name and are left out of lists unless ``includeArchived=true`` or asked by IDs.
- ``summarizeErrors``, all-or-nothing batches and per-element answers: ``writes.py``.
"""
import copy

from . import listing, rules, writes
from .accounting import ApiResponse

READ_SCOPES = ("accounting.contacts", "accounting.contacts.read")
WRITE_SCOPES = ("accounting.contacts",)

# Computed or Xero-owned fields: accepted in a request (clients echo them) but never stored
# from it, as on Xero (IsSupplier/IsCustomer follow invoices; groups have their own endpoint).
READ_ONLY = {
    "ContactID", "UpdatedDateUTC", "IsSupplier", "IsCustomer", "HasValidationErrors",
    "HasAttachments", "ValidationErrors", "StatusAttributeString", "Balances", "Website",
    "Discount", "Attachments", "MergedToContactID", "ContactGroups",
}
# What summaryOnly=true leaves out (Xero: "computation-heavy fields").
HEAVY_FIELDS = ("Addresses", "Phones", "ContactPersons", "Balances", "PaymentTerms",
                "ContactGroups", "Attachments", "BatchPayments", "BrandingTheme",
                "SalesTrackingCategories", "PurchasesTrackingCategories")
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def new_contact(contact_id):
    """What Xero stores for a new contact before the client's fields are applied."""
    return {
        "ContactID": contact_id,
        "ContactStatus": "ACTIVE",
        "Addresses": [
            {"AddressType": t, "City": "", "Region": "", "PostalCode": "", "Country": ""}
            for t in ("STREET", "POBOX")],
        "Phones": [
            {"PhoneType": t, "PhoneNumber": "", "PhoneAreaCode": "", "PhoneCountryCode": ""}
            for t in ("DEFAULT", "DDI", "FAX", "MOBILE")],
        "ContactGroups": [],
        "ContactPersons": [],
        "IsSupplier": False,
        "IsCustomer": False,
        "HasAttachments": False,
        "HasValidationErrors": False,
    }


def _merge_typed(stored, incoming, type_key):
    out = [dict(x) for x in stored]
    for item in incoming:
        if not isinstance(item, dict):
            continue
        same = next((x for x in out if x.get(type_key) == item.get(type_key)), None)
        if same is None:
            out.append(dict(item))
        else:
            same.update(item)
    return out


def merge(stored, incoming):
    merged = copy.deepcopy(stored)
    for key, value in incoming.items():
        if key == "Addresses" and isinstance(value, list):
            merged[key] = _merge_typed(merged.get(key, []), value, "AddressType")
        elif key == "Phones" and isinstance(value, list):
            merged[key] = _merge_typed(merged.get(key, []), value, "PhoneType")
        else:
            merged[key] = copy.deepcopy(value)
    return merged


class _Contacts(writes.Resource):
    KEY = "Contacts"
    ID_FIELD = "ContactID"
    READ_ONLY = READ_ONLY
    NOT_AN_OBJECT = "A contact must be a JSON object."
    ERROR_FLAG = "HasValidationErrors"

    def store(self, tenant):
        return tenant.contacts

    def resolve(self, ctx, incoming, work, path_id, given_id):
        """``work`` is the request's ``ContactStore.changes()``, so lookups see its earlier
        elements."""
        if path_id is not None:
            return path_id, []
        if ctx.method == "PUT":
            if given_id and work.find_id(given_id):
                return None, ["A contact with ContactID %s already exists; use POST to update it." % given_id]
            return None, []
        if given_id:
            found = work.find_id(given_id)
            return (found, []) if found else (None, ["The contact with ContactID %s could not be found." % given_id])
        found = work.by_number(incoming.get("ContactNumber")) or work.active_by_name(incoming.get("Name"))
        return found, []

    def new(self, contact_id):
        return new_contact(contact_id)

    def save(self, ctx, stored, incoming, target, work):
        merged = merge(stored, incoming)
        return merged, rules.contact_errors(merged, incoming, target, work)


CONTACTS = _Contacts()


# -- reads -------------------------------------------------------------------------------------

def _matches_search(term):
    term = term.lower()
    return lambda record: any(term in (record.get(f) or "").lower() for f in
                              ("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress"))


def _active(record):
    return record.get("ContactStatus") != "ARCHIVED"


def list_contacts(ctx):
    store = ctx.tenant.contacts
    ids = ",".join(v for k, vs in ctx.query.items() if k.lower() == "ids" for v in vs)
    predicate = listing.where_predicate(ctx)
    term = ctx.q("searchTerm")
    tests = [predicate, _matches_search(term) if term else None]
    since = listing.modified_since(ctx)
    order = ctx.q("order")
    if ids:
        # By IDs (archived ones too): a few index lookups, whatever the store's size.
        wanted = {i.strip().strip('"').lower() for i in ids.split(",") if i.strip()}
        records, stamps = store.ordered(
            cid for w in wanted for cid in store.with_id(w))
        records = listing.select(records, stamps, tests, since, order)
    else:
        # Filtered and sorted once per store version; the pages of a listing are slices.
        archived = ctx.q_bool("includeArchived", False)
        tests.append(None if archived else _active)
        records = store.view(("list", archived, ctx.q("where"), term, since, order),
                             lambda recs, stamps: listing.select(recs, stamps, tests, since, order))

    pagination = None
    page = ctx.q("page")
    if page is not None:
        page = max(1, _int(page, 1))
        size = min(MAX_PAGE_SIZE, max(1, _int(ctx.q("pageSize"), DEFAULT_PAGE_SIZE)))
        total = len(records)
        records = records[(page - 1) * size: page * size]
        pagination = {"page": page, "pageSize": size,
                      "pageCount": (total + size - 1) // size, "itemCount": total}
    # Stored records are never changed in place: the answer may show them as they are.
    if ctx.q_bool("summaryOnly", False):
        records = [{k: v for k, v in r.items() if k not in HEAVY_FIELDS} for r in records]
    return ApiResponse(200, ctx.envelope("Contacts", records, pagination=pagination))


def _int(value, default):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def get_contact(ctx):
    """By ContactID, or by ContactNumber (the spec shares the path between both)."""
    store = ctx.tenant.contacts
    return listing.one(ctx, "Contacts", store, listing.find(store, ctx.params["ContactID"], store.by_number))


def register(router):
    router.add("GET", "/Contacts", list_contacts, READ_SCOPES)
    router.add("GET", "/Contacts/{ContactID}", get_contact, READ_SCOPES)
    writes.register(router, "/Contacts", CONTACTS, WRITE_SCOPES)
