"""Signatures and events of Xero's webhook deliveries."""
import base64
import hashlib
import hmac
import json

import pytest

from xero import webhooks
from xero_sandbox import webhooks as deliveries

KEY = "Y4bjB3QcJ3RyMV2QKbJhbnTEC5jQo4S8eWGr5I3vYB9JkvPLtNHDsG8+oCRzaOwcCcfrRwDPHsoeXYuqUMfSgA=="
TENANT = "9cd5de1e-7d0e-4c41-8d3e-1f0a7a5e2f20"


def test_signature_is_base64_hmac_sha256_of_the_raw_body():
    body = b'{"events":[],"firstEventSequence":0,"lastEventSequence":0,"entropy":"ABC"}'
    expected = base64.b64encode(hmac.new(KEY.encode(), body, hashlib.sha256).digest()).decode()
    assert webhooks.signature(body, KEY) == expected
    assert webhooks.is_signed(body, expected, KEY)


@pytest.mark.parametrize("header", [None, "", "not-a-signature", webhooks.signature(b"other body", KEY)])
def test_unsigned_or_forged_deliveries_are_refused(header):
    body, _headers = deliveries.delivery([], KEY)
    assert not webhooks.is_signed(body, header, KEY)


def test_no_key_accepts_nothing():
    body, headers = deliveries.delivery([], KEY)
    assert not webhooks.is_signed(body, headers[webhooks.SIGNATURE_HEADER], None)
    assert not webhooks.is_signed(body, headers[webhooks.SIGNATURE_HEADER], "")


def test_a_body_changed_after_signing_is_refused():
    body, headers = deliveries.delivery([deliveries.event(TENANT, "CONTACT", "a" * 36)], KEY)
    tampered = body.replace(b"CONTACT", b"INVOICE")
    assert webhooks.is_signed(body, headers[webhooks.SIGNATURE_HEADER], KEY)
    assert not webhooks.is_signed(tampered, headers[webhooks.SIGNATURE_HEADER], KEY)


def test_events_are_ours_only_with_ids_in_lower_case():
    items = [deliveries.event(TENANT, "CONTACT", "ABC-1"), deliveries.event(TENANT, "INVOICE", "def-2", "CREATE"),
             deliveries.event(TENANT, "SUBSCRIPTION", "sub-3"), deliveries.event(TENANT, "CREDITNOTE", "cn-4")]
    body, _headers = deliveries.delivery(items, KEY)
    events = webhooks.events(body)
    assert [(e.category, e.type, e.resource_id) for e in events] == [
        ("CONTACT", "UPDATE", "abc-1"), ("INVOICE", "CREATE", "def-2"), ("CREDITNOTE", "UPDATE", "cn-4")]
    assert all(e.tenant_id == TENANT and e.date is not None for e in events)


def test_event_dates_as_xero_writes_them():
    body = json.dumps({"events": [{"resourceId": "x", "tenantId": TENANT, "eventCategory": "INVOICE",
                                   "eventType": "UPDATE", "eventDateUtc": "2017-06-21T01:15:39.9021234Z"}]})
    (event,) = webhooks.events(body.encode())
    assert event.date.isoformat() == "2017-06-21T01:15:39.902123"


def test_intent_to_receive_probe_has_no_events():
    body, _headers = deliveries.delivery([], KEY)
    assert json.loads(body)["firstEventSequence"] == 0
    assert webhooks.events(body) == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"events": {}}', b'{"events": [1]}',
                                  b'{"events": [{"eventCategory": "CONTACT", "tenantId": "t"}]}',
                                  b'{"events": [{"eventCategory": "CONTACT", "tenantId": "t", "resourceId": "r"}]}',
                                  b'{"events": [{"eventCategory": "INVOICE", "tenantId": "t", "resourceId": "r",'
                                  b' "eventDateUtc": "yesterday"}]}'])
def test_malformed_deliveries(body):
    with pytest.raises(webhooks.MalformedDelivery):
        webhooks.events(body)
