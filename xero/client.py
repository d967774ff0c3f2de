"""The one way this connector talks to Xero's Accounting and Identity APIs.

Every request goes: quota (wait for a slot) → xero-python → quota (learn from the limit
headers) → typed error or data, inside a bounded retry loop. Writes go in batches of 50
with ``summarizeErrors=false`` and an Idempotency-Key; reads page lazily. Payloads are
plain dicts in Xero's JSON shape (see ``mappers/``), so what we send can be previewed,
logged and validated against Xero's OpenAPI description as is.
"""
import json
import time
import uuid

import urllib3
from xero_python.accounting import AccountingApi
from xero_python.exceptions import ApiException
from xero_python.identity import IdentityApi

from . import batch, kinds, sdk
from .clock import REAL_CLOCK
from .errors import (AuthenticationError, ForbiddenError, NotFoundError, RateLimitError,
                     ServerError, TransportError, ValidationError, XeroError)
from .quota import Limiter
from .retry import RetryPolicy
from .where import any_of, equals, guid


INTERACTIVE_RETRY = RetryPolicy(attempts=3, initial=0.5, maximum=2.0)


class CallInfo:
    """One HTTP exchange, for the sync log (never carries a token)."""

    __slots__ = ("operation", "status", "duration", "correlation_id", "error", "attempt", "records")

    def __init__(self, operation, status, duration, correlation_id=None, error=None,
                 attempt=1, records=0):
        self.operation = operation
        self.status = status
        self.duration = duration
        self.correlation_id = correlation_id
        self.error = error
        self.attempt = attempt
        self.records = records


class XeroClient:
    """Calls for one Xero organisation (tenant).

    ``access_token(stale=None)`` returns a valid bearer token; when Xero answers 401 it is
    called once more with the refused token, so the owner can renew it.
    ``on_call(CallInfo)`` sees every exchange, for logging.
    ``interactive`` calls (a person clicked) may use the daily reserve.
    """

    def __init__(self, endpoints, tenant_id, access_token, limiter=None, retry=None,
                 clock=REAL_CLOCK, timeout=(10, 60), interactive=False, on_call=None):
        self.endpoints = endpoints
        self.tenant_id = tenant_id
        self.limiter = limiter or Limiter(clock=clock)
        # Someone waiting for an answer gets it within seconds; background work may wait longer.
        self.retry = retry or (INTERACTIVE_RETRY if interactive else RetryPolicy())
        self.clock = clock
        self.timeout = timeout  # (connect, read) seconds; the SDK ignores a bare float
        self.interactive = interactive
        self.on_call = on_call
        self._token_source = access_token
        self._token = None
        api_client = sdk.api_client(endpoints, lambda: self._token)
        self.accounting = AccountingApi(api_client, base_url=endpoints.accounting)
        self.identity = IdentityApi(api_client, base_url=endpoints.api_url)

    def ensure_token(self):
        """Get the access token now, if not held yet (a token call, not an API call)."""
        if self._token is None:
            self._token = self._token_source()

    # -- Identity ---------------------------------------------------------------------
    def connections(self):
        """Organisations this token may reach: [{'id', 'tenantId', 'tenantName', ...}]."""
        return self._call("GET Connections", lambda: self.identity.get_connections(
            _preload_content=False, _return_http_data_only=False, _request_timeout=self.timeout),
            tenant=False)

    def delete_connection(self, connection_id):
        self._call("DELETE Connections", lambda: self.identity.delete_connection(
            connection_id, _preload_content=False, _return_http_data_only=False,
            _request_timeout=self.timeout), tenant=False)

    # -- Accounting -------------------------------------------------------------------
    def organisation(self):
        data = self._call("GET Organisation", lambda: self.accounting.get_organisations(
            self.tenant_id, **self._raw()))
        return (data.get("Organisations") or [{}])[0]

    def save(self, kind_name, items, create_only=False):
        """Create or update records; one WriteResult per item, in order.

        Records Xero refuses come back with their messages; the rest of the batch is saved.
        """
        return list(self.iter_save(kind_name, items, create_only))

    def iter_save(self, kind_name, items, create_only=False):
        """Like ``save``, yielding results batch by batch, so memory stays flat for any
        number of records (``items`` may be a generator)."""
        kind = kinds.get(kind_name)
        name = kind.create if create_only else kind.write
        method = getattr(self.accounting, name)
        operation = "%s %s" % ("PUT" if name == kind.create else "POST", kind.name)
        options = {"unitdp": 4} if kind.unitdp else {}
        for chunk in batch.chunks(items):
            key = batch.idempotency_key(self.tenant_id, operation, chunk)
            body = {kind.name: [item.payload for item in chunk]}
            try:
                data = self._call(operation, lambda: method(
                    self.tenant_id, body, summarize_errors=False, idempotency_key=key,
                    **options, **self._raw()), records=len(chunk))
            except ValidationError as exc:
                # The whole request was refused (e.g. malformed): every record shares the reason.
                yield from (batch.WriteResult(item.ref, False, errors=[str(exc)]) for item in chunk)
                continue
            yield from batch.results(chunk, data.get(kind.name) or [], kind.id_field)

    def iter_records(self, kind_name, modified_since=None, where=None, ids=None,
                     include_archived=None, order=None, page_size=None, first_page=1, **filters):
        """Yield every matching record (a dict), one page in memory at a time, from page
        ``first_page`` on.

        ``filters`` are the endpoint's own, by the SDK's names: for Invoices ``statuses``
        (["AUTHORISED", "PAID"], which Xero recommends over OR in ``where``),
        ``contact_i_ds``, ``invoice_numbers``, ``summary_only``, ``search_term``; for Quotes
        ``contact_id``, ``status``, ``quote_number``, ``date_from``... A filter the endpoint
        does not take is a ValueError (the general ones above are left out silently)."""
        kind = kinds.get(kind_name)
        method = getattr(self.accounting, kind.read)
        unknown = set(filters) - kind.read_params
        if unknown:
            raise ValueError("GET %s takes no %s" % (kind.name, ", ".join(sorted(unknown))))
        params = {"if_modified_since": modified_since, "where": where, "order": order,
                  "include_archived": include_archived}
        params = {k: v for k, v in params.items() if v is not None and k in kind.read_params}
        params.update({k: v for k, v in filters.items() if v is not None})
        if kind.unitdp:
            params["unitdp"] = 4
        if ids is not None:
            ids = list(ids)
            if kind.reads_by_ids:
                # Long ID lists would overflow the URL (and Xero breaks beyond ~52): slices of 50.
                for start in range(0, len(ids), 50):
                    params["i_ds"] = ids[start:start + 50]
                    yield from self._pages(kind, method, params, page_size)
            elif "where" not in kind.read_params:
                # No filter either (BrandingThemes): the whole short list, kept to these IDs.
                wanted = {str(i).lower() for i in ids}
                yield from (record for record in self._pages(kind, method, params, page_size)
                            if str(record.get(kind.id_field)).lower() in wanted)
            else:
                # No IDs parameter on this endpoint: a filter on the id field instead.
                match = guid if kind.guid_ids else equals
                for by_id in any_of(match(kind.id_field, i) for i in ids):
                    if where:
                        by_id = "(%s) AND (%s)" % (where, by_id)
                    yield from self._pages(kind, method, dict(params, where=by_id), page_size)
            return
        yield from self._pages(kind, method, params, page_size, first_page)

    @staticmethod
    def page_size(kind_name, page_size=None):
        """How many records a page of ``kind_name`` holds when ``page_size`` is asked for (Xero's
        own size where the endpoint takes none; None: answered in one piece)."""
        kind = kinds.get(kind_name)
        if not kind.page_size:
            return None
        return min(page_size or kind.page_size, kind.page_size) if kind.sized_pages else kind.page_size

    def _pages(self, kind, method, params, page_size, first_page=1):
        if not kind.page_size:
            data = self._call("GET " + kind.name, lambda: method(self.tenant_id, **params, **self._raw()))
            yield from data.get(kind.name) or []
            return
        size = self.page_size(kind.name, page_size)
        sized = {"page_size": size} if kind.sized_pages else {}
        page = first_page
        while True:
            data = self._call("GET %s page %d" % (kind.name, page), lambda: method(
                self.tenant_id, page=page, **sized, **params, **self._raw()))
            elements = data.get(kind.name) or []
            yield from elements
            if len(elements) < size:
                return
            page += 1

    # -- invoices and payments --------------------------------------------------------
    def email_invoice(self, invoice_id, idempotency_key=None):
        """Have Xero e-mail the invoice to its contact (204; Xero refuses a draft). One e-mail
        per call: the call's own retries share one Idempotency-Key, so an answer lost on the
        way does not send a second one; calling again does."""
        key = idempotency_key or "xe-" + uuid.uuid4().hex
        self._call("POST Invoices Email", lambda: self.accounting.email_invoice(
            self.tenant_id, invoice_id, {}, idempotency_key=key, **self._raw()))

    def online_invoice_url(self, invoice_id):
        """The address where the customer sees the invoice online (Xero refuses a draft)."""
        data = self._call("GET Invoices OnlineInvoice", lambda: self.accounting.get_online_invoice(
            self.tenant_id, invoice_id, **self._raw()))
        return ((data.get("OnlineInvoices") or [{}])[0]).get("OnlineInvoiceUrl")

    def delete_payment(self, payment_id, idempotency_key=None):
        """Delete a payment (Xero's only change to one); its invoice owes again. Returns the
        payment as Xero answers it (Status DELETED)."""
        key = idempotency_key or "xd-" + uuid.uuid4().hex
        data = self._call("POST Payments delete", lambda: self.accounting.delete_payment(
            self.tenant_id, payment_id, {"Status": "DELETED"}, idempotency_key=key, **self._raw()))
        return (data.get("Payments") or [{}])[0]

    # -- one exchange, with quota and retries -----------------------------------------
    def _raw(self):
        return {"_preload_content": False, "_return_http_data_only": False,
                "_request_timeout": self.timeout}

    def _call(self, operation, fn, tenant=True, records=0):
        attempt, renewed = 0, False

        def once():
            nonlocal attempt, renewed
            attempt += 1
            try:
                return self._exchange(operation, fn, tenant, records, attempt)
            except AuthenticationError:
                if renewed:
                    raise
                # The token may have been revoked or renewed elsewhere: ask for a fresh one, once.
                renewed = True
                self._token = self._token_source(stale=self._token)
                return self._exchange(operation, fn, tenant, records, attempt)

        return self.retry.run(once, clock=self.clock)

    def _exchange(self, operation, fn, tenant, records, attempt):
        self.ensure_token()
        lease = self.limiter.acquire(self.tenant_id, self.interactive) if tenant else None
        started = time.monotonic()
        headers = None
        try:
            response, status, headers = fn()
            data = _json(response.data)
            self._report(operation, status, started, headers, attempt=attempt, records=records)
            return data
        except ApiException as exc:
            headers = exc.headers
            error = api_error(exc, operation)
            if isinstance(error, RateLimitError) and tenant:
                self.limiter.block(self.tenant_id, error.retry_after, error.problem)
            self._report(operation, exc.status, started, headers, error, attempt, records)
            raise error from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            # For people, what happened; for support, which call and how (``body``).
            error = TransportError("Xero could not be reached.", body="%s: %s" % (operation, type(exc).__name__))
            self._report(operation, 0, started, None, error, attempt, records)
            raise error from None
        finally:
            if lease:
                self.limiter.release(self.tenant_id, lease, headers)

    def _report(self, operation, status, started, headers, error=None, attempt=1, records=0):
        if self.on_call:
            correlation = headers.get("Xero-Correlation-Id") if headers else None
            self.on_call(CallInfo(operation, status, time.monotonic() - started, correlation,
                                  error, attempt, records))


def _json(raw):
    if not raw:
        return {}
    return json.loads(raw)


def api_error(exc, operation):
    """One place that turns an HTTP error into a typed error with a readable message."""
    status = exc.status
    headers = exc.headers or {}
    correlation = headers.get("Xero-Correlation-Id")
    body = exc.body.decode("utf-8", "replace") if isinstance(exc.body, bytes) else (exc.body or "")
    kw = {"status": status, "correlation_id": correlation, "body": body[:2000]}
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        data = {}
    if status == 429:
        problem = headers.get("X-Rate-Limit-Problem")
        try:
            retry_after = float(headers.get("Retry-After") or 60)
        except ValueError:
            retry_after = 60.0
        return RateLimitError("Xero's %s call limit was reached; retrying after %d s."
                              % (problem or "rate", retry_after), retry_after, problem, **kw)
    if status == 400:
        messages = validation_messages(data) or [data.get("Message") or data.get("Detail")
                                                 or "Xero refused the request."]
        return ValidationError("; ".join(messages), **kw)
    if status == 401:
        return AuthenticationError("Xero refused the access token (%s): reconnect to Xero if "
                                   "this persists." % (data.get("Detail") or "unauthorised"), **kw)
    if status == 403:
        return ForbiddenError("This connection may not %s in this Xero organisation: check the "
                              "granted permissions." % operation, **kw)
    if status == 404:
        return NotFoundError("Xero has no such record (%s)." % operation, **kw)
    if status and status >= 500:
        return ServerError("Xero failed to answer %s (HTTP %s); it will be retried."
                           % (operation, status), **kw)
    return XeroError("Xero answered HTTP %s to %s." % (status, operation), **kw)


def validation_messages(data):
    messages = []
    for element in data.get("Elements") or []:
        for error in element.get("ValidationErrors") or []:
            if error.get("Message") and error["Message"] not in messages:
                messages.append(error["Message"])
    return messages
