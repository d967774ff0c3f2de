"""What the tests of sales documents share: a customer in the fake, bodies in Xero's JSON shape,
and reading answers whether xero-python parsed them or not.

Writes go through xero-python's methods with plain dict bodies, as the connector's client sends
them: the SDK's models always send ``HasAttachments: false`` and other read-only flags, which
Xero's OpenAPI description refuses in a request (``SpecCheck`` would fail, rightly). Answers
are parsed by the SDK's models, so every value the fake answers must be one they accept.
"""
import uuid

from sandbox_client import api

from xero_sandbox import shapes
from xero_sandbox.contacts import new_contact

DAY = "2024-05-01"
DUE = "2024-05-31"


def customer(fx, name="Bob Ltd", email="bob@example.com", tenant_id=None, **fields):
    """A contact stored in the fake (as made in Xero); returns its ContactID."""
    contact_id = str(uuid.uuid4())
    record = dict(new_contact(contact_id), Name=name, UpdatedDateUTC=shapes.ms_date(fx.clock.now()), **fields)
    if email:
        record["EmailAddress"] = email
    fx.tenant(tenant_id or fx.tid).contacts[contact_id] = record
    return contact_id


def _fields(defaults, overrides):
    out = dict(defaults, **overrides)
    return {k: v for k, v in out.items() if v is not None}


def line(**fields):
    """A sales line: 1 x 10.00 on 200 Sales at OUTPUT2 (NZ 15%); None leaves a field out."""
    return _fields({"Description": "Widget", "Quantity": 1, "UnitAmount": 10.0, "AccountCode": "200",
                    "TaxType": "OUTPUT2"}, fields)


def invoice(contact_id, *lines, **fields):
    """An ACCREC invoice of ``lines`` (default: one ``line()``), dated 2024-05-01, due 2024-05-31,
    amounts exclusive; None leaves a field out."""
    return _fields({"Type": "ACCREC", "Contact": {"ContactID": contact_id}, "Date": DAY, "DueDate": DUE,
                    "LineAmountTypes": "Exclusive", "LineItems": list(lines) or [line()]}, fields)


def quote(contact_id, *lines, **fields):
    return _fields({"Contact": {"ContactID": contact_id}, "Date": DAY, "ExpiryDate": DUE,
                    "LineAmountTypes": "EXCLUSIVE", "LineItems": list(lines) or [line()]}, fields)


def send(fx, token, method, path, body=None, **params):
    """A raw request; returns (status, the JSON answer or None)."""
    r = api(fx, method, path, token, fx.tid, body, params=params or None)
    return r.status_code, (r.json() if r.content and r.headers.get("Content-Type", "").startswith("application/json")
                           else None)


def messages(element):
    """The validation messages of an answered element: a dict, or a model xero-python parsed."""
    if isinstance(element, dict):
        errors = element.get("ValidationErrors") or []
        return [e["Message"] for e in errors]
    return [e.message for e in element.validation_errors or []]


def refused(err):
    """The messages of each element of a 400 ValidationException (AccountingBadRequestException)."""
    data = err.value.error_data
    assert data["ErrorNumber"] == 10 and data["Type"] == "ValidationException", data
    return [messages(e) for e in data["Elements"]]
