"""Contacts: GET (list, by ID or ContactNumber), PUT (create), POST (create or update).

Write semantics, after Xero's docs:

- PUT creates; an element whose name is already used by an ACTIVE contact, or whose
  ContactNumber is taken, fails validation.
- POST updates the contact it identifies - by ContactID, else by ContactNumber, else by Name
  (an ACTIVE contact, case-insensitive) - and creates one otherwise. Omitted fields keep
  their value; Addresses and Phones merge by AddressType / PhoneType.
- ``ContactStatus: "ARCHIVED"`` archives (contacts are never deleted); archived contacts
  free their name and are left out of lists unless ``includeArchived=true`` or asked by IDs.
- ``summarizeErrors`` (default true): any invalid element -> 400 ValidationException listing
  the invalid elements and nothing saved; ``false`` -> 200, valid elements saved, each
  element answered with ``StatusAttributeString`` OK or ERROR.
"""
import copy
import re
import uuid

from . import rules, shapes
from .accounting import ApiError, ApiResponse, not_found
from .where import WhereError, compile_where

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


def _resolve(method, incoming, work, path_id, given_id):
    """(target ContactID or None for a new contact, error messages); ``work`` is the
    request's ``ContactStore.changes()``, so lookups see its earlier elements."""
    if path_id is not None:
        return path_id, []
    if method == "PUT":
        if given_id and work.find_id(given_id):
            return None, ["A contact with ContactID %s already exists; use POST to update it." % given_id]
        return None, []
    if given_id:
        found = work.find_id(given_id)
        return (found, []) if found else (None, ["The contact with ContactID %s could not be found." % given_id])
    found = work.by_number(incoming.get("ContactNumber")) or work.active_by_name(incoming.get("Name"))
    return found, []


def _elements(payload):
    if isinstance(payload, dict) and "Contacts" in payload:
        payload = payload["Contacts"]
    if isinstance(payload, dict):
        payload = [payload]         # Xero also takes a single element without the wrapper
    if not isinstance(payload, list):
        raise ApiError(400, shapes.api_exception(14, "PostDataInvalidException", "Invalid Json data"))
    return payload


def _write(ctx, path_id=None):
    tenant = ctx.tenant
    summarize = ctx.q_bool("summarizeErrors", True)
    elements = _elements(ctx.json())
    with tenant.lock:
        if path_id is not None:
            path_id = tenant.contacts.find_id(path_id)
            if path_id is None:
                raise not_found()
        # Pending changes over the store: O(batch), stored only by commit() below.
        work = tenant.contacts.changes()
        results = []
        for element in elements:
            if not isinstance(element, dict):
                results.append((False, {}, ["A contact must be a JSON object."]))
                continue
            incoming = {k: v for k, v in element.items() if k not in READ_ONLY}
            target, errors = _resolve(ctx.method, incoming, work, path_id, element.get("ContactID"))
            if not errors:
                contact_id = target or str(uuid.uuid4())
                merged = merge(work[target] if target else new_contact(contact_id), incoming)
                errors = rules.contact_errors(merged, incoming, target, work)
            if errors:
                results.append((False, element, errors))
                continue
            merged["UpdatedDateUTC"] = shapes.ms_date(ctx.clock.now())
            work[contact_id] = merged
            results.append((True, merged, []))

        failed = [(el, errs) for ok, el, errs in results if not ok]
        if failed and summarize:
            # All or nothing: nothing of this request is stored.
            return ApiResponse(400, shapes.validation_exception([
                _with_errors(el, errs, summarize) for el, errs in failed]))
        work.commit()
        answer = []
        for ok, item, errs in results:
            if ok:
                item = dict(item)       # stored records are never changed in place
                if not summarize:
                    item["StatusAttributeString"] = "OK"
                answer.append(item)
            else:
                answer.append(_with_errors(item, errs, summarize))
    return ApiResponse(200, ctx.envelope("Contacts", answer))


def _with_errors(element, errors, summarize):
    echoed = copy.deepcopy(element)
    echoed["ValidationErrors"] = [{"Message": m} for m in errors]
    echoed["HasValidationErrors"] = True
    if not summarize:
        echoed["StatusAttributeString"] = "ERROR"
    return echoed


def put_contacts(ctx):
    return _write(ctx)


def post_contacts(ctx):
    return _write(ctx)


def post_contact(ctx):
    return _write(ctx, path_id=ctx.params["ContactID"])


# -- reads -------------------------------------------------------------------------------------

def _order_key(spec):
    """Sort keys for ``order=Name ASC, UpdatedDateUTC DESC``."""
    keys = []
    for part in (spec or "").split(","):
        words = part.split()
        if not words:
            continue
        field = words[0]
        desc = len(words) > 1 and words[1].upper() == "DESC"
        keys.append((field, desc))
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


def _sort(records, order):
    """``records`` already in listing order (Name, then ContactID) -> sorted by ``order``."""
    for field, desc in reversed(_order_key(order)):
        records.sort(key=lambda r: _sort_value(r, field), reverse=desc)
    return records


def _matches_search(record, term):
    term = term.lower()
    return any(term in (record.get(f) or "").lower()
               for f in ("Name", "FirstName", "LastName", "ContactNumber", "EmailAddress"))


def _select(records, stamps, archived, predicate, term, since, order):
    """The records a listing answers, in its order; ``records`` come in listing order (the
    default sort), with their UpdatedDateUTC as numbers in ``stamps``."""
    out = []
    for record, stamp in zip(records, stamps):
        if not archived and record.get("ContactStatus") == "ARCHIVED":
            continue
        if predicate is not None and not predicate(record):
            continue
        if term and not _matches_search(record, term):
            continue
        if since is not None and not stamp > since:
            continue
        out.append(record)
    return _sort(out, order)


def list_contacts(ctx):
    store = ctx.tenant.contacts
    ids = ",".join(v for k, vs in ctx.query.items() if k.lower() == "ids" for v in vs)
    where = ctx.q("where")
    predicate = None
    if where:
        try:
            predicate = compile_where(where)
        except WhereError as exc:
            raise ApiError(400, shapes.api_exception(16, "QueryParseException", str(exc)))
    term = ctx.q("searchTerm")
    since = shapes.parse_http_date(ctx.headers.get("If-Modified-Since"))
    order = ctx.q("order")
    if ids:
        # By IDs (archived ones too): a few index lookups, whatever the store's size.
        wanted = {i.strip().strip('"').lower() for i in ids.split(",") if i.strip()}
        records, stamps = store.ordered(
            cid for w in wanted for cid in store.with_id(w))
        records = _select(records, stamps, True, predicate, term, since, order)
    else:
        # Filtered and sorted once per store version; the pages of a listing are slices.
        archived = ctx.q_bool("includeArchived", False)
        records = store.view(("list", archived, where, term, since, order),
                             lambda recs, stamps: _select(recs, stamps, archived, predicate,
                                                          term, since, order))

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


_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


def get_contact(ctx):
    """By ContactID, or by ContactNumber (the spec shares the path between both)."""
    key = ctx.params["ContactID"]
    store = ctx.tenant.contacts
    found = store.find_id(key) if _GUID.match(key) else None
    found = found or store.by_number(key)
    record = copy.deepcopy(store.get(found)) if found else None
    if record is None:
        raise not_found()
    return ApiResponse(200, ctx.envelope("Contacts", [record]))


def register(router):
    router.add("GET", "/Contacts", list_contacts, READ_SCOPES)
    router.add("PUT", "/Contacts", put_contacts, WRITE_SCOPES)
    router.add("POST", "/Contacts", post_contacts, WRITE_SCOPES)
    router.add("GET", "/Contacts/{ContactID}", get_contact, READ_SCOPES)
    router.add("POST", "/Contacts/{ContactID}", post_contact, WRITE_SCOPES)
