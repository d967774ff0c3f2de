"""The fake Xero (``xero_sandbox``), exercised over real HTTP, mostly through xero-python:
identity, contacts, idempotency, rate limits, faults, the OpenAPI check, running as a program.
Fixtures (``clock``, ``fx``, ``sdk``): conftest.py.
"""
import base64
import datetime
import hashlib
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import urllib3
from sandbox_client import Sdk, api, token_for
from xero_python.accounting import Contact, Contacts
from xero_python.exceptions import (AccountingBadRequestException, ApiException,
                                    RateLimitException)

from xero.clock import Clock
from xero_sandbox import FakeXero
from xero_sandbox import rules, spec
from xero_sandbox.where import WhereError, compile_where


def contacts(*names, **extra):
    return Contacts(contacts=[Contact(name=n, **extra) for n in names])


def verifier_pair():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def consent(fx, client_id="std", redirect="http://localhost/cb", scope="openid offline_access accounting.contacts",
            challenge=None, state="st4te"):
    params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect,
              "scope": scope, "state": state}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    r = requests.get(fx.authorize_url, params=params, allow_redirects=False)
    return r


def code_from(response):
    assert response.status_code == 302, response.text
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    return {k: v[0] for k, v in query.items()}


def exchange(fx, code, verifier=None, redirect="http://localhost/cb", client_id="std", secret="ssecret"):
    data = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect}
    if verifier:
        data["code_verifier"] = verifier
    return requests.post(fx.token_url, data=data, auth=(client_id, secret))


@pytest.fixture
def std(fx):
    """A standard (authorization code) app that may reach two organisations."""
    fx.tid2 = fx.add_tenant("Second Org Ltd", base_currency="AUD")
    fx.add_app("std", "ssecret", tenants=[fx.tid, fx.tid2], custom=False)
    return fx


# -- identity ------------------------------------------------------------------------------

def test_client_credentials_through_the_sdk_and_organisation(fx, sdk):
    token = sdk.store["token"]
    assert token["expires_in"] == 1800 and token["token_type"] == "Bearer"
    assert "refresh_token" not in token and token["scope"]
    org = sdk.accounting.get_organisations(fx.tid).organisations[0]
    assert org.organisation_id == fx.tid and org.name == "Demo Company (NZ)"
    assert org.short_code == "!abc" and org.base_currency.value == "NZD"
    assert fx.token_calls == 1 and fx.token_calls_by_grant["client_credentials"] == 1
    assert fx.tenant(fx.tid).organisation["Name"] == "Demo Company (NZ)"


def test_client_credentials_refusals_and_basic_auth(fx, std):
    r = requests.post(fx.token_url, data={"grant_type": "client_credentials",
                                          "client_id": "cid", "client_secret": "wrong"})
    assert r.status_code == 400 and r.json() == {"error": "invalid_client"}
    r = requests.post(fx.token_url, data={"grant_type": "client_credentials"}, auth=("cid", "csecret"))
    assert r.status_code == 200 and "refresh_token" not in r.json()
    r = requests.post(fx.token_url, data={"grant_type": "client_credentials"}, auth=("std", "ssecret"))
    assert r.status_code == 400 and r.json()["error"] == "unauthorized_client"
    r = requests.post(fx.token_url, data={"grant_type": "password"}, auth=("cid", "csecret"))
    assert r.json()["error"] == "unsupported_grant_type"


def test_api_refuses_missing_unknown_expired_tokens_and_unconnected_tenants(fx, clock):
    token = token_for(fx)
    r = api(fx, "GET", "/Organisation", "nope", fx.tid)
    assert r.status_code == 401 and "WWW-Authenticate" in r.headers
    body = r.json()
    assert body["Title"] == "Unauthorized" and body["Status"] == 401
    assert body["Detail"] == "AuthenticationUnsuccessful" and "Type" in body
    r = requests.get(fx.api_url + "/Organisation", headers={"xero-tenant-id": fx.tid})
    assert r.status_code == 401
    other = fx.add_tenant("Not Connected Ltd")
    assert api(fx, "GET", "/Organisation", token, other).status_code == 403
    assert api(fx, "GET", "/Organisation", token, "").status_code == 403
    assert api(fx, "GET", "/Organisation", token, fx.tid).status_code == 200
    clock.advance(1801)
    r = api(fx, "GET", "/Organisation", token, fx.tid)
    assert r.status_code == 401 and r.json()["Detail"].startswith("TokenExpired")


def test_consent_redirects_with_code_and_state_and_pkce_is_checked(std):
    fx = std
    verifier, challenge = verifier_pair()
    got = code_from(consent(fx, challenge=challenge))
    assert got["state"] == "st4te" and got["code"]
    bad = exchange(fx, got["code"], verifier="x" * 50)
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_grant"
    got = code_from(consent(fx, challenge=challenge))
    ok = exchange(fx, got["code"], verifier=verifier)
    assert ok.status_code == 200, ok.text
    token = ok.json()
    assert set(token) <= {"access_token", "refresh_token", "expires_in", "token_type", "scope", "id_token"}
    assert token["refresh_token"] and token["expires_in"] == 1800
    assert "offline_access" in token["scope"]
    again = exchange(fx, got["code"], verifier=verifier)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    # The consented organisations are now reachable.
    assert api(fx, "GET", "/Contacts", token["access_token"], fx.tid2).status_code == 200


def test_consent_code_rules_redirect_uri_expiry_deny_unknown_client(std, clock):
    fx = std
    got = code_from(consent(fx))
    assert exchange(fx, got["code"], redirect="http://localhost/other").json()["error"] == "invalid_grant"
    got = code_from(consent(fx))
    clock.advance(301)
    assert exchange(fx, got["code"]).json()["error"] == "invalid_grant"
    fx.consent_decision = "deny"
    refused = code_from(consent(fx))
    assert refused == {"error": "access_denied", "state": "st4te"}
    fx.consent_decision = "allow"
    assert consent(fx, client_id="who").status_code == 400
    # Without offline_access Xero issues no refresh token.
    got = code_from(consent(fx, scope="accounting.contacts"))
    token = exchange(fx, got["code"]).json()
    assert "refresh_token" not in token and token["access_token"]


def test_authlib_pkce_flow_with_basic_client_auth(std):
    from authlib.integrations.requests_client import OAuth2Session
    fx = std
    session = OAuth2Session("std", "ssecret", scope="offline_access accounting.contacts",
                            redirect_uri="http://localhost/cb", code_challenge_method="S256")
    verifier = secrets.token_urlsafe(48)
    url, state = session.create_authorization_url(fx.authorize_url, code_verifier=verifier)
    location = requests.get(url, allow_redirects=False).headers["Location"]
    token = session.fetch_token(fx.token_url, authorization_response=location,
                                code_verifier=verifier)
    assert token["refresh_token"] and token["access_token"]
    assert fx.requests[-1].headers["Authorization"].startswith("Basic ")


def _standard_token(fx):
    got = code_from(consent(fx))
    return exchange(fx, got["code"]).json()


def test_refresh_tokens_rotate_and_are_single_use(std):
    fx = std
    first = _standard_token(fx)
    s = Sdk(fx, "std", "ssecret")
    second = s.tokens.refresh_token(first["refresh_token"], first["scope"].split())
    assert second["refresh_token"] != first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    reuse = requests.post(fx.token_url, data={"grant_type": "refresh_token",
                                              "refresh_token": first["refresh_token"],
                                              "client_id": "std", "client_secret": "ssecret"})
    assert reuse.status_code == 400 and reuse.json() == {"error": "invalid_grant"}
    third = s.tokens.refresh_token(second["refresh_token"], [])
    assert third["access_token"]
    assert fx.token_calls_by_grant["refresh_token"] == 3
    assert fx.token_calls_by_grant["authorization_code"] == 1
    fx.refresh_grace = 60                      # opt-in: Xero's grace period for a lost answer
    assert s.tokens.refresh_token(second["refresh_token"], [])["access_token"]


def test_sdk_refreshes_an_expired_token_by_itself(std, clock):
    fx = std
    first = _standard_token(fx)
    s = Sdk(fx, "std", "ssecret", token=dict(first, scope=first["scope"].split(),
                                             expires_at=time.time() - 1))
    s.accounting.get_contacts(fx.tid)
    assert s.store["token"]["refresh_token"] != first["refresh_token"]
    assert fx.token_calls_by_grant["refresh_token"] == 1


def test_revocation_kills_tokens_and_connections(std):
    fx = std
    token = _standard_token(fx)
    s = Sdk(fx, "std", "ssecret")
    assert s.tokens.revoke_token(token["refresh_token"]) == 200
    r = requests.post(fx.token_url, data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
                      auth=("std", "ssecret"))
    assert r.json()["error"] == "invalid_grant"
    assert api(fx, "GET", "/Contacts", token["access_token"], fx.tid).status_code == 401
    assert fx.identity.apps["std"].connections == {}


def test_connections_list_filter_and_delete(std):
    fx = std
    fx.consent_tenants = [fx.tid2]
    token = _standard_token(fx)
    s = Sdk(fx, "std", "ssecret", token=dict(token, scope=token["scope"].split()))
    conns = s.identity.get_connections()
    assert [(c.tenant_id, c.tenant_name, c.tenant_type) for c in conns] == [
        (fx.tid2, "Second Org Ltd", "ORGANISATION")]
    assert conns[0].created_date_utc.tzinfo is not None
    assert api(fx, "GET", "/Contacts", token["access_token"], fx.tid).status_code == 403
    assert s.identity.get_connections(auth_event_id=str(conns[0].auth_event_id))
    s.identity.delete_connection(conns[0].id)
    assert fx.requests[-1].status == 204
    assert s.identity.get_connections() == []
    assert api(fx, "GET", "/Contacts", token["access_token"], fx.tid2).status_code == 403
    with pytest.raises(ApiException) as err:
        s.identity.delete_connection(conns[0].id)
    assert err.value.status == 404


# -- contacts ------------------------------------------------------------------------------

def test_create_update_archive_and_name_reuse(fx, sdk):
    acc = sdk.accounting
    created = acc.create_contacts(fx.tid, contacts("Alice Ltd", email_address="a@alice.co")).contacts[0]
    assert created.contact_status == "ACTIVE" and created.updated_date_utc.tzinfo is not None
    cid = created.contact_id
    stored = fx.tenant(fx.tid).contacts[str(cid)]
    assert stored["Name"] == "Alice Ltd" and stored["UpdatedDateUTC"].startswith("/Date(")

    updated = acc.update_contact(fx.tid, cid, contacts("Alice Limited")).contacts[0]
    assert updated.name == "Alice Limited" and updated.email_address == "a@alice.co"   # merged
    by_name = acc.update_or_create_contacts(fx.tid, contacts("alice limited", first_name="Al")).contacts[0]
    assert by_name.contact_id == cid and by_name.first_name == "Al"                     # POST matched by Name
    assert len(fx.tenant(fx.tid).contacts) == 1

    archived = acc.update_contact(fx.tid, cid, Contacts(contacts=[Contact(contact_status="ARCHIVED")])).contacts[0]
    assert archived.contact_status == "ARCHIVED"
    assert acc.get_contacts(fx.tid).contacts == []
    assert [c.contact_id for c in acc.get_contacts(fx.tid, include_archived=True).contacts] == [cid]
    again = acc.create_contacts(fx.tid, contacts("Alice Limited")).contacts[0]          # name freed
    assert again.contact_id != cid
    assert len(fx.tenant(fx.tid).contacts) == 2


def test_duplicate_active_name_is_refused_all_or_nothing(fx, sdk):
    acc = sdk.accounting
    acc.create_contacts(fx.tid, contacts("Bravo"))
    with pytest.raises(AccountingBadRequestException) as err:
        acc.create_contacts(fx.tid, contacts("Charlie", " BRAVO "))
    data = err.value.error_data
    assert data["ErrorNumber"] == 10 and data["Type"] == "ValidationException"
    assert data["Message"] == "A validation exception occurred"
    assert [e["ValidationErrors"][0]["Message"] for e in data["Elements"]] == [
        "The contact name BRAVO is already assigned to another contact. "
        "The contact name must be unique across all active contacts."]
    names = sorted(c["Name"] for c in fx.tenant(fx.tid).contacts.values())
    assert names == ["Bravo"]          # Charlie was not saved either


def test_summarize_errors_false_answers_each_element(fx, sdk):
    acc = sdk.accounting
    batch = Contacts(contacts=[
        Contact(name="Good One", email_address="good@one.com"),
        Contact(name="Bad Mail", email_address="not an address"),
        Contact(first_name="No Name"),
        Contact(name="good one"),                          # same batch: POST matches by name
        Contact(name="Good Two", contact_number="C-2"),
    ])
    answer = acc.update_or_create_contacts(fx.tid, batch, summarize_errors=False)
    by = [(c.status_attribute_string, [e.message for e in c.validation_errors or []]) for c in answer.contacts]
    assert [s for s, _ in by] == ["OK", "ERROR", "ERROR", "OK", "OK"]
    assert by[1][1] == ["Email address must be valid."]
    assert by[2][1] == ["The contact name must be specified."]
    assert answer.contacts[1].has_validation_errors is True
    assert answer.contacts[3].contact_id == answer.contacts[0].contact_id
    assert sorted(c["Name"] for c in fx.tenant(fx.tid).contacts.values()) == ["Good Two", "good one"]
    with pytest.raises(AccountingBadRequestException) as err:
        acc.create_contacts(fx.tid, Contacts(contacts=[Contact(name="Other", contact_number="C-2")]))
    assert "The contact number C-2 is already assigned" in err.value.reason


def test_field_lengths_and_types_are_checked(fx, sdk):
    # Raw JSON: xero-python's models refuse over-long values before sending anything.
    token = sdk.store["token"]["access_token"]
    body = {"Contacts": [
        {"Name": "x" * 256},
        {"Name": "Long Number", "ContactNumber": "N" * 51},
        {"Name": "Long First", "FirstName": "f" * 256, "EmailAddress": "e" * 250 + "@x.com"},
        {"Name": "Bad Phone", "Phones": [{"PhoneType": "PAGER", "PhoneAreaCode": "1" * 11}]},
        {"Name": "Bad Address", "Addresses": [{"AddressType": "STREET", "PostalCode": "9" * 51}]},
        {"Name": "Bad Status", "ContactStatus": "GDPRREQUEST"},
        {"Name": "Fine", "EmailAddress": ""},
    ]}
    r = api(fx, "POST", "/Contacts", token, fx.tid, body, params={"summarizeErrors": "false"})
    assert r.status_code == 200
    got = [(c["StatusAttributeString"], [e["Message"] for e in c.get("ValidationErrors", [])])
           for c in r.json()["Contacts"]]
    assert [s for s, _ in got] == ["ERROR"] * 6 + ["OK"]
    assert got[0][1] == ["Name must not be more than 255 characters long."]
    assert got[1][1] == ["ContactNumber must not be more than 50 characters long."]
    assert len(got[2][1]) == 2 and len(got[3][1]) == 2 and len(got[4][1]) == 1
    assert [c["Name"] for c in fx.tenant(fx.tid).contacts.values()] == ["Fine"]


def test_put_with_duplicate_in_same_batch_fails_with_summarize_false(fx, sdk):
    answer = sdk.accounting.create_contacts(fx.tid, contacts("Dup", "dup"), summarize_errors=False)
    assert [c.status_attribute_string for c in answer.contacts] == ["OK", "ERROR"]


def test_get_by_id_by_number_case_insensitive_paths_and_404(fx, sdk):
    created = sdk.accounting.create_contacts(fx.tid, contacts("Delta", contact_number="D-1")).contacts[0]
    token = sdk.store["token"]["access_token"]
    r = api(fx, "GET", "/contacts/%s" % str(created.contact_id).upper(), token, fx.tid)
    assert r.status_code == 200 and r.json()["Contacts"][0]["Name"] == "Delta"
    r = requests.get(fx.url + "/API.XRO/2.0/CONTACTS/D-1",
                     headers={"Authorization": "Bearer " + token, "Xero-Tenant-Id": fx.tid})
    assert r.status_code == 200 and r.json()["Contacts"][0]["ContactNumber"] == "D-1"
    assert api(fx, "GET", "/Contacts/00000000-0000-0000-0000-000000000000", token, fx.tid).status_code == 404
    r = api(fx, "POST", "/Contacts/00000000-0000-0000-0000-000000000000", token, fx.tid,
            {"Contacts": [{"Name": "Ghost"}]})
    assert r.status_code == 404
    assert api(fx, "GET", "/Nothing", token, fx.tid).status_code == 404
    answer = api(fx, "PUT", "/Contacts", token, fx.tid, body=None, headers={"Content-Type": "application/json"})
    assert answer.status_code in (200, 400)
    r = requests.put(fx.api_url + "/Contacts", data=b"{not json",
                     headers={"Authorization": "Bearer " + token, "xero-tenant-id": fx.tid})
    assert r.status_code == 400 and r.json()["Type"] == "PostDataInvalidException"


def test_paging_and_page_size(fx, sdk):
    names = ["Contact %03d" % i for i in range(250)]
    sdk.accounting.create_contacts(fx.tid, contacts(*names))
    pages = [sdk.accounting.get_contacts(fx.tid, page=p) for p in (1, 2, 3, 4)]
    assert [len(p.contacts) for p in pages] == [100, 100, 50, 0]
    assert pages[0].pagination.page_count == 3 and pages[0].pagination.item_count == 250
    assert pages[2].pagination.page == 3 and pages[2].pagination.page_size == 100
    assert [c.name for p in pages for c in p.contacts] == names
    big = sdk.accounting.get_contacts(fx.tid, page=1, page_size=1000)
    assert len(big.contacts) == 250 and big.pagination.page_size == 1000
    assert len(sdk.accounting.get_contacts(fx.tid, page=2, page_size=40).contacts) == 40
    assert sdk.accounting.get_contacts(fx.tid).pagination is None     # no page: everything


def test_if_modified_since_ids_where_search_order_summary(fx, sdk, clock):
    acc = sdk.accounting
    old = acc.create_contacts(fx.tid, contacts("Echo", contact_number="E-1", email_address="echo@x.io")).contacts[0]
    clock.advance(60)
    since = clock.utcnow()
    clock.advance(1)
    new = acc.create_contacts(fx.tid, contacts("Foxtrot", email_address="fox@x.io")).contacts[0]
    gone = acc.create_contacts(fx.tid, contacts("Golf")).contacts[0]
    acc.update_contact(fx.tid, gone.contact_id, Contacts(contacts=[Contact(contact_status="ARCHIVED")]))

    assert [c.name for c in acc.get_contacts(fx.tid, if_modified_since=since).contacts] == ["Foxtrot"]
    token = sdk.store["token"]["access_token"]
    rfc1123 = since.strftime("%a, %d %b %Y %H:%M:%S GMT")
    r = api(fx, "GET", "/Contacts", token, fx.tid, headers={"If-Modified-Since": rfc1123})
    assert [c["Name"] for c in r.json()["Contacts"]] == ["Foxtrot"]

    ids = acc.get_contacts(fx.tid, i_ds=[old.contact_id, gone.contact_id]).contacts
    assert sorted(c.name for c in ids) == ["Echo", "Golf"]                    # archived by ID too
    where = lambda w: [c.name for c in acc.get_contacts(fx.tid, where=w).contacts]
    assert where('Name=="Echo"') == ["Echo"]
    assert where('ContactNumber=="E-1"') == ["Echo"]
    assert where('EmailAddress=="fox@x.io"') == ["Foxtrot"]
    assert where('ContactStatus=="ACTIVE" AND Name.StartsWith("F")') == ["Foxtrot"]
    assert where('ContactStatus=="ACTIVE" && (Name=="Echo" || Name=="Foxtrot")') == ["Echo", "Foxtrot"]
    assert [c.name for c in acc.get_contacts(fx.tid, where='ContactStatus=="ARCHIVED"',
                                             include_archived=True).contacts] == ["Golf"]
    with pytest.raises(AccountingBadRequestException) as err:
        acc.get_contacts(fx.tid, where='Name=="unterminated')
    assert err.value.error_data["Type"] == "QueryParseException"
    assert [c.name for c in acc.get_contacts(fx.tid, search_term="FOX").contacts] == ["Foxtrot"]
    assert [c.name for c in acc.get_contacts(fx.tid, order="Name DESC").contacts] == ["Foxtrot", "Echo"]
    summary = acc.get_contacts(fx.tid, summary_only=True).contacts[0]
    assert summary.addresses is None and summary.name == "Echo"
    assert new.contact_id


def test_where_parser_units():
    rec = {"Name": "Acme", "ContactStatus": "ACTIVE", "ContactID": "AB0C6A20-0000-0000-0000-000000000001",
           "UpdatedDateUTC": "/Date(1704067200000+0000)/", "IsSupplier": False}
    assert compile_where('name == "Acme"')(rec)
    assert compile_where('Name.ToLower()=="acme" and not IsSupplier')(rec)
    assert compile_where('ContactID==Guid("ab0c6a20-0000-0000-0000-000000000001")')(rec)
    assert compile_where("UpdatedDateUTC >= DateTime(2024, 1, 1)")(rec)
    assert not compile_where("UpdatedDateUTC > DateTime(2024, 1, 2)")(rec)
    assert compile_where('Name != null AND Name.Contains("cm")')(rec)
    for bad in ('Name ==', '(Name=="x"', 'Name.Frobnicate("x")', ''):
        with pytest.raises(WhereError):
            compile_where(bad)


# -- idempotency ---------------------------------------------------------------------------

def test_idempotency_key_replays_and_refuses_a_different_body(fx, sdk):
    token = sdk.store["token"]["access_token"]
    body = {"Contacts": [{"Name": "Hotel"}]}
    first = api(fx, "PUT", "/Contacts", token, fx.tid, body, {"Idempotency-Key": "key-1"})
    second = api(fx, "PUT", "/Contacts", token, fx.tid, body, {"Idempotency-Key": "key-1"})
    assert first.status_code == second.status_code == 200
    assert first.content == second.content            # same answer, byte for byte
    assert len(fx.tenant(fx.tid).contacts) == 1
    other = api(fx, "PUT", "/Contacts", token, fx.tid, {"Contacts": [{"Name": "India"}]},
                {"Idempotency-Key": "key-1"})
    assert other.status_code == 400 and "Idempotency-Key" in other.json()["Detail"]
    # A refused (400) answer is replayed too; a new key runs again.
    dup = api(fx, "PUT", "/Contacts", token, fx.tid, body, {"Idempotency-Key": "key-2"})
    assert dup.status_code == 400
    assert api(fx, "PUT", "/Contacts", token, fx.tid, body, {"Idempotency-Key": "key-2"}).content == dup.content
    assert api(fx, "PUT", "/Contacts", token, fx.tid, body, {"Idempotency-Key": "k" * 129}).status_code == 400


def test_lost_response_then_retry_with_same_key_does_not_duplicate(fx, sdk):
    fx.faults.add("lost_response", path="/Contacts", method="PUT")
    with pytest.raises(urllib3.exceptions.HTTPError):
        sdk.accounting.create_contacts(fx.tid, contacts("Juliet"), idempotency_key="retry-1")
    assert fx.requests[-1].status == 200 and fx.requests[-1].fault == "lost_response"
    assert len(fx.tenant(fx.tid).contacts) == 1        # the write landed
    again = sdk.accounting.create_contacts(fx.tid, contacts("Juliet"), idempotency_key="retry-1")
    assert again.contacts[0].name == "Juliet"
    assert len(fx.tenant(fx.tid).contacts) == 1


# -- rate limits ---------------------------------------------------------------------------

def _limited(clock, **limits):
    fake = FakeXero(clock=clock, **limits)
    fake.start()
    fake.tid = fake.add_tenant("Limited Ltd")
    fake.tid2 = fake.add_tenant("Limited Two Ltd")
    fake.add_app("cid", "csecret", tenants=[fake.tid, fake.tid2], custom=True)
    return fake


def test_minute_limit_retry_after_is_accurate_and_refusals_do_not_count(clock):
    fx = _limited(clock, minute_limit=3)
    try:
        token = token_for(fx)
        statuses = []
        for _ in range(3):
            r = api(fx, "GET", "/Organisation", token, fx.tid)
            statuses.append(r.status_code)
            clock.advance(10)
        assert statuses == [200, 200, 200] and r.headers["X-MinLimit-Remaining"] == "0"
        r = api(fx, "GET", "/Organisation", token, fx.tid)       # t0 + 30 s
        assert r.status_code == 429 and r.headers["X-Rate-Limit-Problem"] == "minute"
        assert r.headers["Retry-After"] == "30"
        for _ in range(5):                                       # refused calls do not count
            assert api(fx, "GET", "/Organisation", token, fx.tid).status_code == 429
        clock.advance(30)
        r = api(fx, "GET", "/Organisation", token, fx.tid)
        assert r.status_code == 200 and r.headers["X-MinLimit-Remaining"] == "0"
        assert api(fx, "GET", "/Organisation", token, fx.tid2).status_code == 200   # per tenant
        s = Sdk(fx)
        s.client_credentials()
        with pytest.raises(RateLimitException) as err:
            s.accounting.get_organisations(fx.tid)
        assert err.value.rate_limit == "minute"
    finally:
        fx.stop()


def test_day_limit(clock):
    fx = _limited(clock, day_limit=2)
    try:
        token = token_for(fx)
        assert api(fx, "GET", "/Organisation", token, fx.tid).status_code == 200
        clock.advance(3600)
        token = token_for(fx)                                    # the first one expired
        r = api(fx, "GET", "/Organisation", token, fx.tid)
        assert r.status_code == 200 and r.headers["X-DayLimit-Remaining"] == "0"
        clock.advance(120)
        r = api(fx, "GET", "/Organisation", token, fx.tid)
        assert r.status_code == 429 and r.headers["X-Rate-Limit-Problem"] == "day"
        assert int(r.headers["Retry-After"]) == 86400 - 3600 - 120
        assert api(fx, "GET", "/Organisation", token, fx.tid2).status_code == 200   # per tenant
        clock.advance(86400 - 3600 - 120)
        token = token_for(fx)
        assert api(fx, "GET", "/Organisation", token, fx.tid).status_code == 200
    finally:
        fx.stop()


def test_app_minute_limit_spans_tenants(clock):
    fx = _limited(clock, app_minute_limit=3)
    try:
        token = token_for(fx)
        for tenant in (fx.tid, fx.tid2, fx.tid):
            r = api(fx, "GET", "/Organisation", token, tenant)
            assert r.status_code == 200
            clock.advance(5)
        assert r.headers["X-AppMinLimit-Remaining"] == "0" and r.headers["X-MinLimit-Remaining"] == "58"
        r = api(fx, "GET", "/Organisation", token, fx.tid2)      # t0 + 15 s
        assert r.status_code == 429 and r.headers["X-Rate-Limit-Problem"] == "appminute"
        assert r.headers["Retry-After"] == "45"
        fx.add_app("other", "osecret", tenants=[fx.tid2], custom=True)
        assert api(fx, "GET", "/Organisation", token_for(fx, "other", "osecret"), fx.tid2).status_code == 200
    finally:
        fx.stop()


def test_concurrent_limit_with_latency():
    clock = Clock(scale=10)
    fx = FakeXero(clock=clock, concurrent_limit=2, latency=3.0)       # 0.3 s real per call
    fx.start()
    try:
        tid = fx.add_tenant("Busy Ltd")
        fx.add_app("cid", "csecret", tenants=[tid], custom=True)
        token = token_for(fx)
        barrier = threading.Barrier(4)
        results = []

        def call():
            barrier.wait()
            r = api(fx, "GET", "/Organisation", token, tid)
            results.append((r.status_code, r.headers.get("X-Rate-Limit-Problem"), r.headers.get("Retry-After")))
        threads = [threading.Thread(target=call) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(results) == [(200, None, None)] * 2 + [(429, "concurrent", "1")] * 2
        assert api(fx, "GET", "/Organisation", token, tid).status_code == 200
    finally:
        fx.stop()


def test_identity_is_not_rate_limited(clock):
    fx = _limited(clock, minute_limit=1)
    try:
        for _ in range(3):
            token = token_for(fx)
        assert api(fx, "GET", "/Organisation", token, fx.tid).status_code == 200
        assert api(fx, "GET", "/Organisation", token, fx.tid).status_code == 429
        assert requests.get(fx.url + "/connections", headers={"Authorization": "Bearer " + token}).status_code == 200
    finally:
        fx.stop()


# -- faults --------------------------------------------------------------------------------

def test_status_faults_match_path_method_and_times(fx, sdk):
    fx.faults.add("503", path="/Contacts", method="GET", times=2)
    fx.faults.add("500", path="/Organisation")
    for expected in (503, 503):
        with pytest.raises(ApiException) as err:
            sdk.accounting.get_contacts(fx.tid)
        assert err.value.status == expected
    assert sdk.accounting.get_contacts(fx.tid).contacts == []
    sdk.accounting.create_contacts(fx.tid, contacts("Kilo"))          # PUT not matched
    with pytest.raises(ApiException) as err:
        sdk.accounting.get_organisations(fx.tid)
    assert err.value.status == 500
    assert sdk.accounting.get_organisations(fx.tid).organisations
    fx.faults.add("429", retry_after=7, problem="day")
    with pytest.raises(RateLimitException) as err:
        sdk.accounting.get_organisations(fx.tid)
    assert err.value.rate_limit == "day" and err.value.headers["Retry-After"] == "7"
    fx.faults.add("500", times=5)
    fx.faults.clear()
    assert sdk.accounting.get_organisations(fx.tid).organisations
    assert fx.calls("/Contacts", "GET") == 3 and fx.calls("/api.xro/2.0/contacts") == 4
    fx.reset_requests()
    assert fx.requests == [] and fx.calls() == 0


def test_drop_writes_nothing_and_slow_times_out(fx, sdk):
    fx.faults.add("drop", method="PUT")
    with pytest.raises(urllib3.exceptions.HTTPError):
        sdk.accounting.create_contacts(fx.tid, contacts("Lima"))
    assert fx.requests[-1].status is None and fx.requests[-1].fault == "drop"
    assert fx.tenant(fx.tid).contacts == {}
    fx.faults.add("slow", seconds=0.6)
    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        sdk.accounting.get_contacts(fx.tid, _request_timeout=(2, 0.2))
    # A client that times out on a slow write has not stopped it: the write lands.
    fx.faults.add("slow", seconds=0.3, method="PUT")
    with pytest.raises(urllib3.exceptions.ReadTimeoutError):
        sdk.accounting.create_contacts(fx.tid, contacts("Lima"), _request_timeout=(2, 0.1))
    deadline = time.monotonic() + 2
    while not fx.tenant(fx.tid).contacts and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [c["Name"] for c in fx.tenant(fx.tid).contacts.values()] == ["Lima"]
    started = time.monotonic()
    fx.faults.add("slow", seconds=0.2)
    assert len(sdk.accounting.get_contacts(fx.tid).contacts) == 1
    assert time.monotonic() - started >= 0.2


def test_faults_can_target_the_token_endpoint(fx):
    fx.faults.add("503", path="/connect/token")
    r = requests.post(fx.token_url, data={"grant_type": "client_credentials"}, auth=("cid", "csecret"))
    assert r.status_code == 503
    assert token_for(fx)
    with pytest.raises(ValueError):
        fx.faults.add("explode")


def test_every_api_answer_carries_limit_headers_and_correlation_id(fx, sdk):
    token = sdk.store["token"]["access_token"]
    for r in (api(fx, "GET", "/Organisation", token, fx.tid),
              api(fx, "GET", "/Contacts/00000000-0000-0000-0000-000000000000", token, fx.tid),
              api(fx, "GET", "/Organisation", "bad", fx.tid)):
        for header in ("X-MinLimit-Remaining", "X-DayLimit-Remaining", "X-AppMinLimit-Remaining",
                       "Xero-Correlation-Id"):
            assert header in r.headers, (r.status_code, header)
    _, status, headers = sdk.accounting.get_organisations(fx.tid, _return_http_data_only=False)
    assert status == 200 and int(headers["X-MinLimit-Remaining"]) == 57


# -- the OpenAPI description -----------------------------------------------------------------

needs_spec = pytest.mark.skipif(not spec.spec_available(),
                                reason="Xero's OpenAPI files (../shared/xero-openapi) absent")


@needs_spec
def test_sdk_requests_and_fake_answers_match_the_openapi_description(fx, sdk):
    acc = sdk.accounting
    acc.get_organisations(fx.tid)
    made = acc.create_contacts(fx.tid, Contacts(contacts=[Contact(
        name="Mike", email_address="m@x.io", contact_number="M-1",
        first_name="M", last_name="Ike")]), idempotency_key="spec-1").contacts[0]
    acc.update_or_create_contacts(fx.tid, contacts("November", "Mike"), summarize_errors=False)
    with pytest.raises(AccountingBadRequestException):
        acc.create_contacts(fx.tid, contacts("Mike"))
    acc.update_contact(fx.tid, made.contact_id, contacts("Mike Two"))
    acc.get_contact(fx.tid, made.contact_id)
    acc.get_contact_by_contact_number(fx.tid, "M-1")
    acc.get_contacts(fx.tid, if_modified_since=datetime.datetime(2020, 1, 1), where='Name=="Mike Two"',
                     order="Name ASC", i_ds=[made.contact_id], page=1, include_archived=True,
                     summary_only=False, search_term="Mi", page_size=10)
    acc.get_contacts(fx.tid, if_modified_since=datetime.datetime(2020, 1, 1, tzinfo=datetime.timezone.utc))
    conns = sdk.identity.get_connections()
    sdk.identity.delete_connection(conns[0].id)
    assert spec.validate_all(fx.requests, responses=True) == 11
    assert spec.validate_request(fx.requests[0]) is False          # the token call: no spec


@needs_spec
def test_spec_catches_bad_requests_and_is_fast(fx):
    token = token_for(fx)
    api(fx, "GET", "/contacts", token, fx.tid, params={"IDs": "not-a-uuid"})
    requests.get(fx.api_url + "/Contacts", headers={"Authorization": "Bearer " + token})
    api(fx, "PUT", "/Contacts", token, fx.tid, {"Contacts": [{"Name": "Oscar", "UpdatedDateUTC": "/Date(0)/"}]})
    api(fx, "GET", "/NoSuchThing", token, fx.tid)
    for rec in fx.requests[1:]:
        with pytest.raises(spec.SpecViolation):
            spec.validate_request(rec)
    api(fx, "GET", "/CONTACTS", token, fx.tid)
    good = fx.requests[-1]
    started = time.perf_counter()
    for _ in range(50):
        assert spec.validate_request(good)
    assert time.perf_counter() - started < 1.0


@needs_spec
def test_rules_field_lengths_match_the_spec():
    import yaml
    with open(spec.openapi_dir() / spec.ACCOUNTING_FILE, "rb") as fh:
        schemas = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))["components"]["schemas"]
    for schema, table in (("Contact", rules.CONTACT_MAX), ("Address", rules.ADDRESS_MAX),
                          ("Phone", rules.PHONE_MAX)):
        from_spec = {k: v["maxLength"] for k, v in schemas[schema]["properties"].items() if "maxLength" in v}
        assert from_spec == table, schema
    assert tuple(schemas["Phone"]["properties"]["PhoneType"]["enum"]) == rules.PHONE_TYPES
    assert tuple(schemas["Address"]["properties"]["AddressType"]["enum"]) == rules.ADDRESS_TYPES


def test_spec_dir_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("XERO_OPENAPI_DIR", str(tmp_path))
    assert spec.openapi_dir() == tmp_path and not spec.spec_available()
    monkeypatch.delenv("XERO_OPENAPI_DIR")
    repo = Path(spec.__file__).resolve().parents[1]
    assert spec.openapi_dir() == repo.parent / "shared" / "xero-openapi"


def test_stop_closes_kept_alive_connections(clock):
    fake = FakeXero(clock=clock)
    fake.start()
    tid = fake.add_tenant("Closing Ltd")
    fake.add_app("cid", "csecret", tenants=[tid], custom=True)
    session = requests.Session()
    assert session.post(fake.token_url, data={"grant_type": "client_credentials"},
                        auth=("cid", "csecret")).status_code == 200
    fake.stop()
    with pytest.raises(requests.ConnectionError):
        session.post(fake.token_url, data={"grant_type": "client_credentials"}, auth=("cid", "csecret"))


# -- as a program --------------------------------------------------------------------------

def test_runs_as_a_program():
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen(
        [sys.executable, "-m", "xero_sandbox", "--port", "0", "--time-scale", "10",
         "--epoch", "1700000000.0", "--tenant", "Demo Company", "--client-id", "ID",
         "--client-secret", "SECRET", "--custom"],
        cwd=str(repo), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = proc.stdout.readline().strip()
        fields = dict(part.split("=", 1) for part in line.split())
        assert fields["FAKE_XERO_URL"].startswith("http://127.0.0.1:")
        base, tenant = fields["FAKE_XERO_URL"], fields["TENANT_ID"]
        r = requests.post(base + "/connect/token", data={"grant_type": "client_credentials"}, auth=("ID", "SECRET"))
        token = r.json()["access_token"]
        r = requests.get(base + "/api.xro/2.0/Organisation",
                         headers={"Authorization": "Bearer " + token, "xero-tenant-id": tenant})
        assert r.json()["Organisations"][0]["Name"] == "Demo Company"
        # Same epoch and scale as the client: the fake's clock runs 10x from 1700000000.
        now = Clock(10, 1700000000.0).now()
        stamp = int(r.json()["DateTimeUTC"][6:-2]) / 1000.0
        assert abs(stamp - now) < 5
    finally:
        proc.terminate()
        proc.wait(timeout=5)
