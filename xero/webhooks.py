"""Xero's webhooks: the signature of a delivery and the events it carries.

Xero signs each delivery with the app's webhook key: ``x-xero-signature`` is the base64 of the
HMAC-SHA256 of the raw body. A delivery is refused (401) unless that signature matches, compared
in constant time. Xero's intent-to-receive check posts probes with no events (and sequence 0,
against the OpenAPI description's minimum of 1): a probe is a delivery like any other, so it is
not validated against the description either. Events carry ids only: what changed is read back.
"""
import base64
import collections
import datetime
import hashlib
import hmac
import json
import re

SIGNATURE_HEADER = "x-xero-signature"
CATEGORIES = ("CONTACT", "INVOICE", "CREDITNOTE")  # the others (SUBSCRIPTION) are not ours

Event = collections.namedtuple("Event", "category type resource_id tenant_id date")


class MalformedDelivery(ValueError):
    """A correctly signed body that is not a delivery Xero would send."""


def signature(body, key):
    """The signature Xero puts on ``body`` (bytes) with ``key``."""
    digest = hmac.new(key.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def is_signed(body, header, key):
    """True when ``header`` is the signature of ``body`` with ``key`` (never without a key)."""
    if not key or not header:
        return False
    return hmac.compare_digest(signature(body, key).encode(), header.strip().encode())


_FRACTION = re.compile(r"(\.\d{1,6})\d*")


def _date(text):
    """``eventDateUtc`` ("2017-06-21T01:15:39.902", sometimes with a Z): naive UTC."""
    if not isinstance(text, str):
        return None
    text = _FRACTION.sub(r"\1", text.strip().rstrip("Z"))
    try:
        return datetime.datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return None


def events(body):
    """The events of a delivery (bytes), ours only (contacts, invoices, credit notes).
    Raises MalformedDelivery when the body is not a delivery."""
    try:
        delivery = json.loads(body or b"{}")
    except ValueError as exc:
        raise MalformedDelivery("not JSON: %s" % exc) from exc
    if not isinstance(delivery, dict) or not isinstance(delivery.get("events", []), list):
        raise MalformedDelivery("no list of events")
    out = []
    for item in delivery.get("events") or []:
        if not isinstance(item, dict):
            raise MalformedDelivery("an event that is not an object")
        category = str(item.get("eventCategory") or "").upper()
        if category not in CATEGORIES:
            continue
        resource_id, tenant_id, when = item.get("resourceId"), item.get("tenantId"), _date(item.get("eventDateUtc"))
        if not resource_id or not tenant_id or not when:
            raise MalformedDelivery("an event without resourceId, tenantId or a readable eventDateUtc")
        out.append(Event(category, str(item.get("eventType") or "UPDATE").upper(), str(resource_id).lower(),
                         str(tenant_id).lower(), when))
    return out
