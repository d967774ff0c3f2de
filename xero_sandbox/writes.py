"""The write pipeline every resource shares (PUT creates, POST updates or creates), after Xero:

- the body is ``{"<Resources>": [...]}`` (a single element without the wrapper is taken too);
  read-only fields in an element are accepted and ignored;
- each element is resolved to the record it updates (or none: a new one), merged over it and
  checked; the request's elements see each other (a second element may update the first);
- ``summarizeErrors`` (default true): any invalid element -> 400 ValidationException listing
  the invalid elements, and nothing of the request is saved; ``false`` -> 200, valid
  elements saved, every element answered with ``StatusAttributeString`` OK or ERROR; a failed
  element is answered in Xero's shape where the resource says how (``Resource.echo``: Xero
  answers a failed invoice as it would have stored it, dates as ``/Date(...)/``, which is
  what xero-python can parse);
- UpdatedDateUTC is set on every saved record.

A resource plugs in with a ``Resource`` subclass.
"""
import copy
import uuid

from . import shapes
from .accounting import ApiResponse, invalid_json, not_found


class Resource:
    KEY = None                  # "Contacts": the body's wrapper and the answer's key
    ID_FIELD = None             # "ContactID"
    READ_ONLY = frozenset()     # fields Xero computes or owns: never stored from a request
    NOT_AN_OBJECT = None        # the message for an element that is not a JSON object
    ERROR_FLAG = None           # a flag the schema sets on a failed element, if it has one

    def store(self, tenant):
        raise NotImplementedError

    def changes(self, tenant):
        """The request's pending changes: the store's overlay, with the overlays of any other
        store the resource changes attached (``Changes.attach``), so all commit together."""
        return self.store(tenant).changes()

    def find(self, store, key):
        """The ID of the record a path names, or None (404)."""
        return store.find_id(key)

    def read(self, incoming):
        """The element's fields (read-only ones left out) in the types Xero reads them into;
        raise ``invalid_json`` for a value it cannot read (the whole request fails)."""
        return incoming

    def resolve(self, ctx, incoming, work, path_id, given_id):
        """(ID of the record the element updates or None for a new one, error messages)."""
        raise NotImplementedError

    def new(self, record_id):
        """What Xero stores for a new record before the client's fields are applied."""
        raise NotImplementedError

    def save(self, ctx, stored, incoming, target, work):
        """(the record as it would be stored, error messages): ``incoming`` over ``stored``
        (``new()`` for a new record); ``target`` is its ID, None when new."""
        raise NotImplementedError

    def echo(self, element, record, target):
        """A failed element as answered: ``element`` as sent; ``record`` is what ``save`` made
        of it (None when it failed before), ``target`` the ID it would update (None: new)."""
        return element


def elements(payload, key):
    if isinstance(payload, dict) and key in payload:
        payload = payload[key]
    if isinstance(payload, dict):
        payload = [payload]         # Xero also takes a single element without the wrapper
    if not isinstance(payload, list):
        raise invalid_json()
    return payload


def write(ctx, resource, path_key=None):
    """Answer a PUT or POST of ``resource`` (``path_key``: the ID in the path, if any)."""
    tenant = ctx.tenant
    summarize = ctx.q_bool("summarizeErrors", True)
    batch = elements(ctx.json(), resource.KEY)
    store = resource.store(tenant)
    with tenant.lock:
        path_id = None
        if path_key is not None:
            path_id = resource.find(store, path_key)
            if path_id is None:
                raise not_found()
        # Pending changes over the store: O(batch), stored only by commit() below.
        work = resource.changes(tenant)
        results = []
        for element in batch:
            if not isinstance(element, dict):
                results.append((False, {}, [resource.NOT_AN_OBJECT]))
                continue
            incoming = resource.read({k: v for k, v in element.items() if k not in resource.READ_ONLY})
            target, errors = resource.resolve(ctx, incoming, work, path_id,
                                              element.get(resource.ID_FIELD))
            record = None
            if not errors:
                stored = work[target] if target else resource.new(str(uuid.uuid4()))
                record, errors = resource.save(ctx, stored, incoming, target, work)
            if errors:
                results.append((False, resource.echo(element, record, target), errors))
                continue
            record["UpdatedDateUTC"] = shapes.ms_date(ctx.clock.now())
            work[record[resource.ID_FIELD]] = record
            results.append((True, record, []))

        failed = [(el, errs) for ok, el, errs in results if not ok]
        if failed and summarize:
            # All or nothing: nothing of this request is stored.
            return ApiResponse(400, shapes.validation_exception([
                _with_errors(resource, el, errs, summarize) for el, errs in failed]))
        work.commit()
        answer = []
        for ok, item, errs in results:
            if ok:
                item = dict(item)       # stored records are never changed in place
                if not summarize:
                    item["StatusAttributeString"] = "OK"
                answer.append(item)
            else:
                answer.append(_with_errors(resource, item, errs, summarize))
    return ApiResponse(200, ctx.envelope(resource.KEY, answer))


def _with_errors(resource, element, errors, summarize):
    echoed = copy.deepcopy(element)
    echoed["ValidationErrors"] = [{"Message": m} for m in errors]
    if resource.ERROR_FLAG:
        echoed[resource.ERROR_FLAG] = True
    if not summarize:
        echoed["StatusAttributeString"] = "ERROR"
    return echoed


def register(router, path, resource, scopes):
    """PUT and POST on ``path``, and POST on ``path/{ID}``, for ``resource``."""
    path_param = resource.ID_FIELD
    router.add("PUT", path, lambda ctx: write(ctx, resource), scopes)
    router.add("POST", path, lambda ctx: write(ctx, resource), scopes)
    router.add("POST", "%s/{%s}" % (path, path_param),
               lambda ctx: write(ctx, resource, path_key=ctx.params[path_param]), scopes)
