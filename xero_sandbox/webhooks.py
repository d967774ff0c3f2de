"""Webhook deliveries as Xero sends them (for tests and benchmarks): signed events of changes.

Xero posts ``{events, firstEventSequence, lastEventSequence, entropy}`` to the app's delivery
URL with the ``x-xero-signature`` header; its intent-to-receive check posts the same shape with
no events and sequence 0.
"""
import datetime
import json
import secrets
import threading
import urllib.error
import urllib.request

from .shared import webhooks

BASE_URL = "https://api.xero.com/api.xro/2.0/"
COLLECTIONS = {"CONTACT": "Contacts", "INVOICE": "Invoices", "CREDITNOTE": "CreditNotes"}


def event(tenant_id, category, resource_id, event_type="UPDATE", when=None):
    when = when or datetime.datetime.now(datetime.timezone.utc)
    return {"resourceUrl": BASE_URL + COLLECTIONS.get(category, category.title()) + "/" + resource_id,
            "resourceId": resource_id, "eventDateUtc": when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3],
            "eventType": event_type, "eventCategory": category, "tenantId": tenant_id,
            "tenantType": "ORGANISATION"}


def delivery(events, key, sequence=1, signed_with=None):
    """(body, headers) of a delivery of ``events`` signed with ``key`` (``signed_with``: another
    key, as a forger would; None for ``key``). No events: an intent-to-receive probe."""
    body = json.dumps({"events": events, "firstEventSequence": sequence if events else 0,
                       "lastEventSequence": sequence + len(events) - 1 if events else 0,
                       "entropy": secrets.token_hex(10).upper()}).encode()
    headers = {"Content-Type": "application/json",
               webhooks.SIGNATURE_HEADER: webhooks.signature(body, signed_with or key)}
    return body, headers


# -- a webhook subscription, as Xero keeps one for an app --------------------------------------
STORES = (("CONTACT", "contacts"), ("INVOICE", "invoices"), ("CREDITNOTE", "credit_notes"))


class Subscription:
    """The fake's webhook: once the delivery URL passed Xero's intent-to-receive check (a
    correctly signed probe answered 200, a badly signed one 401), every change of a contact,
    invoice or credit note of the fake's organisations is posted there, signed, a second or so
    after it happened (Xero groups events too). Changes are found by their UpdatedDateUTC, so
    those made through the API, the sandbox page or the fake's own helpers all count."""

    def __init__(self, fx, url, key, interval=1.0):
        self.fx, self.url, self.key, self.interval = fx, url, key, interval
        self.delivered = 0
        self._seen = self._stamps()
        self._stop = threading.Event()
        self._thread = None

    def check(self):
        """Xero's intent-to-receive check; returns a problem in words, or None."""
        for signed_with, expected in ((None, 200), ("not-the-key", 401)):
            body, headers = delivery([], self.key, signed_with=signed_with)
            status = self._post(body, headers)
            if status != expected:
                return "the delivery URL answered %s to a %s probe instead of %s" % (
                    status, "correctly signed" if expected == 200 else "badly signed", expected)
        return None

    def start(self):
        self._thread = threading.Thread(target=self._run, name="fake-xero-webhook", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=5)

    def _stamps(self):
        return {(tenant.tenant_id, category, record_id): record.get("UpdatedDateUTC")
                for tenant in list(self.fx.store.tenants.values()) for category, name in STORES
                for record_id, record in list(getattr(tenant, name).items())}

    def _run(self):
        sequence = 1
        while not self._stop.wait(self.interval):
            stamps = self._stamps()
            changed = [key for key, stamp in stamps.items() if self._seen.get(key) != stamp]
            for start in range(0, len(changed), 50):
                batch = changed[start:start + 50]
                items = [event(tenant_id, category, record_id, "UPDATE" if key in self._seen else "CREATE")
                         for key in batch for tenant_id, category, record_id in [key]]
                body, headers = delivery(items, self.key, sequence=sequence)
                if self._post(body, headers) != 200:
                    break  # not delivered: these changes are posted again next time
                sequence += len(items)
                self.delivered += len(items)
                self._seen.update((key, stamps[key]) for key in batch)

    def _post(self, body, headers):
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as answer:
                return answer.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None
