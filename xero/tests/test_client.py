"""The client against the fake Xero over real HTTP: batching, paging, retries, quota, errors."""
import time
import urllib.parse

import pytest
from connection import make_client

from xero import oauth
from xero.batch import WriteItem
from xero.endpoints import Endpoints
from xero.errors import AuthenticationError, ServerError, TransportError
from xero.mappers import contact
from xero.quota import Limiter, Limits, MemoryStore
from xero.retry import RetryPolicy
from xero.tokens import TokenClient
from xero_sandbox import FakeXero, spec


def items(n, start=0, version="v1", **extra):
    return [WriteItem(("res.partner", i), contact.to_xero(dict(
        {"name": "Customer %05d" % i, "number": "ODOO-%d" % i, "email": "c%d@example.com" % i}, **extra)),
        version) for i in range(start, start + n)]


def assert_valid_against_spec(fake):
    if not spec.spec_available():
        pytest.skip("Xero's OpenAPI description (../shared/xero-openapi) is not beside the repo")
    assert spec.validate_all(fake.requests) > 0


def test_writes_go_in_batches_of_50_and_validate_against_the_spec(fake, clock):
    client = make_client(fake, clock)
    results = client.save("Contacts", items(120))
    assert all(r.ok and r.xero_id for r in results)
    assert [r.ref for r in results] == [("res.partner", i) for i in range(120)]
    writes = [r for r in fake.requests if r.method == "POST" and "Contacts" in r.path]
    assert len(writes) == 3
    assert all(r.query.get("summarizeErrors", [""])[0].lower() == "false" and r.headers.get("Idempotency-Key")
               for r in writes)
    assert len(fake.tenant(fake.tenant_id).contacts) == 120
    assert_valid_against_spec(fake)


def test_partial_failure_maps_each_error_to_its_record(fake, clock):
    client = make_client(fake, clock)
    batch = items(5)
    batch[1] = WriteItem(("res.partner", "bad-email"), contact.to_xero({"name": "Bad", "email": "not an email"}))
    batch[3] = WriteItem(("res.partner", "dup"), contact.to_xero({"name": "Customer 00000"}))
    results = client.save("Contacts", batch, create_only=True)  # PUT: a taken name is refused
    by_ref = {r.ref: r for r in results}
    bad, dup = by_ref[("res.partner", "bad-email")], by_ref[("res.partner", "dup")]
    assert not bad.ok and "Email address must be valid" in bad.errors[0]
    assert not dup.ok and "already assigned to another contact" in dup.errors[0]
    assert [r.ok for r in results] == [True, False, True, False, True]
    assert len(fake.tenant(fake.tenant_id).contacts) == 3


def test_a_write_whose_answer_is_lost_is_retried_without_a_duplicate(fake, clock):
    client = make_client(fake, clock)
    fake.faults.add("lost_response", path="/api.xro/2.0/Contacts", method="POST", times=1)
    results = client.save("Contacts", items(10))
    assert all(r.ok for r in results)
    writes = [r for r in fake.requests if r.method == "POST" and "Contacts" in r.path]
    assert len(writes) == 2, "one lost answer, one retry: urllib3 resent nothing by itself"
    assert writes[0].headers["Idempotency-Key"] == writes[1].headers["Idempotency-Key"]
    assert len(fake.tenant(fake.tenant_id).contacts) == 10
    # the retry got the first answer back: same ContactIDs as what Xero stored
    assert {r.xero_id for r in results} == set(fake.tenant(fake.tenant_id).contacts)


def test_a_dropped_connection_is_retried_once_by_us_only(fake, clock):
    client = make_client(fake, clock)
    fake.faults.add("drop", path="/api.xro/2.0/Contacts", method="POST", times=1)
    assert all(r.ok for r in client.save("Contacts", items(3)))
    assert len([r for r in fake.requests if r.method == "POST" and "Contacts" in r.path]) == 2
    assert len(fake.tenant(fake.tenant_id).contacts) == 3


def test_429_waits_retry_after_then_succeeds(fake, clock):
    client = make_client(fake, clock)
    client.organisation()
    fake.faults.add("429", path="/api.xro/2.0/Organisation", retry_after=30, problem="minute", times=1)
    started = clock.now()
    assert client.organisation()["Name"] == "Demo Company (NZ)"
    assert clock.now() - started >= 30
    assert [r.status for r in fake.requests if "Organisation" in r.path] == [200, 429, 200]


def test_backoff_is_bounded(fake, clock):
    seen = []
    client = make_client(fake, clock, on_call=seen.append, retry=RetryPolicy(attempts=4, initial=2, maximum=10))
    fake.faults.add("503", path="/api.xro/2.0/Organisation", times=10)
    started = clock.now()
    with pytest.raises(ServerError) as err:
        client.organisation()
    assert "HTTP 503" in str(err.value)
    assert len(seen) == 4 and [c.attempt for c in seen] == [1, 2, 3, 4]
    assert clock.now() - started <= 3 * 10 + 5, "no wait longer than the cap"


def test_timeouts_are_retried_then_reported(fake, clock):
    client = make_client(fake, clock, timeout=(1, 1), retry=RetryPolicy(attempts=2, initial=0.1, maximum=0.1))
    fake.faults.add("slow", path="/api.xro/2.0/Organisation", seconds=2.5, times=2)
    with pytest.raises(TransportError) as err:
        client.organisation()
    assert str(err.value) == "Xero could not be reached."
    assert err.value.body == "GET Organisation: ReadTimeoutError", "which call and how, for support"


def test_paging_and_if_modified_since(fake, clock):
    client = make_client(fake, clock)
    client.save("Contacts", items(250))
    fake.reset_requests()
    assert len(list(client.iter_records("Contacts", page_size=100))) == 250
    assert len([r for r in fake.requests if r.method == "GET"]) == 3
    time.sleep(1.1)  # UpdatedDateUTC has a one-second grain in Xero's answers
    mark = clock.utcnow().replace(microsecond=0)
    time.sleep(1.1)
    client.save("Contacts", items(3, start=10, version="v2", tax_number="GST-123"))
    changed = list(client.iter_records("Contacts", modified_since=mark))
    assert sorted(c["ContactNumber"] for c in changed) == ["ODOO-10", "ODOO-11", "ODOO-12"]
    assert_valid_against_spec(fake)


def test_read_by_ids_in_slices(fake, clock):
    client = make_client(fake, clock)
    ids = [r.xero_id for r in client.save("Contacts", items(60))]
    fake.reset_requests()
    found = list(client.iter_records("Contacts", ids=ids))
    assert sorted(c["ContactID"] for c in found) == sorted(ids)
    assert len([r for r in fake.requests if r.method == "GET"]) == 2


def test_validation_error_reads_like_a_sentence(fake, clock):
    client = make_client(fake, clock)
    results = client.save("Contacts", [WriteItem("x", {"Name": ""})])
    assert not results[0].ok
    assert results[0].errors and "Traceback" not in results[0].errors[0]


def test_refused_token_is_renewed_once(fake, clock):
    client = make_client(fake, clock)
    client.organisation()
    client._token = "refused-token"  # the token in hand is no longer accepted
    grants = fake.token_calls_by_grant.get("client_credentials", 0)
    assert client.organisation()["Name"] == "Demo Company (NZ)"
    # the source still held a good token (as when another worker renewed): no new grant
    assert fake.token_calls_by_grant["client_credentials"] == grants
    assert [r.status for r in fake.requests if "Organisation" in r.path][-2:] == [401, 200]


def test_quota_keeps_the_client_under_xero_minute_limit(clock):
    fx = FakeXero(clock=clock, minute_limit=10)
    fx.start()
    try:
        fx.tenant_id = fx.add_tenant("Small")
        fx.add_app("cid", "secret", tenants=[fx.tenant_id], custom=True)
        client = make_client(fx, clock, limiter=Limiter(MemoryStore(), Limits(minute=10), clock))
        for _ in range(25):
            client.organisation()
        assert not [r for r in fx.requests if r.status == 429]
    finally:
        fx.stop()


def test_refresh_tokens_rotate_and_an_old_one_is_refused(clock):
    fx = FakeXero(clock=clock)
    fx.start()
    try:
        tid = fx.add_tenant("OAuth Org")
        fx.add_app("app", "appsecret", tenants=[tid], custom=False)
        endpoints = Endpoints(fx.url, fx.url, fx.url)
        verifier = oauth.new_code_verifier()
        location = fx.follow_consent(oauth.authorization_url(endpoints, "app", "http://127.0.0.1/cb", "xyz", verifier))
        query = urllib.parse.parse_qs(urllib.parse.urlparse(location).query)
        assert query["state"] == ["xyz"]
        first = oauth.exchange_code(endpoints, "app", "appsecret", "http://127.0.0.1/cb", query["code"][0],
                                    verifier, clock=clock)
        tokens = TokenClient(endpoints, "app", "appsecret", clock=clock)
        second = tokens.refresh(first["refresh_token"], first["scope"])
        assert second["refresh_token"] != first["refresh_token"]
        with pytest.raises(AuthenticationError) as err:
            tokens.refresh(first["refresh_token"], first["scope"])
        assert err.value.code == "invalid_grant"
        assert "reconnect" in str(err.value)
        tokens.refresh(second["refresh_token"], first["scope"])  # the newest still works
        with pytest.raises(AuthenticationError):
            oauth.exchange_code(endpoints, "app", "appsecret", "http://127.0.0.1/cb", query["code"][0],
                                verifier, clock=clock)  # a code is single use
    finally:
        fx.stop()


def test_items_are_written_and_read_with_four_decimal_prices(fake, clock):
    client = make_client(fake, clock)
    payload = {"Code": "BEAN-1", "Name": "Beans", "SalesDetails": {"UnitPrice": 12.3456}}
    [created] = client.save("Items", [WriteItem("p1", payload, "v1")], create_only=True)
    assert created.ok and created.xero_id
    put = [r for r in fake.requests if r.method == "PUT"][-1]
    assert put.query.get("unitdp") == ["4"], "every write asks for four decimals"
    [read] = list(client.iter_records("Items"))
    assert read["SalesDetails"]["UnitPrice"] == 12.3456
    assert [r for r in fake.requests if r.method == "GET"][-1].query.get("unitdp") == ["4"], "and every read"
    assert_valid_against_spec(fake)


def test_items_by_ids_are_read_through_a_filter(fake, clock):
    """The Items endpoint has no IDs parameter: the client filters on ItemID instead."""
    client = make_client(fake, clock)
    results = client.save("Items", [WriteItem(i, {"Code": "C-%d" % i, "Name": "Item %d" % i}, "v")
                                    for i in range(5)], create_only=True)
    wanted = [results[1].xero_id, results[3].xero_id]
    found = list(client.iter_records("Items", ids=wanted))
    assert sorted(i["ItemID"] for i in found) == sorted(wanted)
    assert "ItemID==Guid(" in [r for r in fake.requests if r.method == "GET"][-1].query["where"][0]
    assert_valid_against_spec(fake)


def test_the_organisation_settings_are_read_whole_through_the_sdk(fake, clock):
    """Currencies, TrackingCategories, BrandingThemes: no paging, one GET each; the NZ
    organisation's seeds are in xero_sandbox/settings.py."""
    client = make_client(fake, clock)
    assert [(c["Code"], c["Description"]) for c in client.iter_records("Currencies")] == [
        ("AUD", "Australian Dollar"), ("NZD", "New Zealand Dollar"), ("USD", "United States Dollar")]
    assert [c["Code"] for c in client.iter_records("Currencies", where='Code!="NZD"', order="Code DESC")] == [
        "USD", "AUD"]

    def regions(**kw):
        found = [c for c in client.iter_records("TrackingCategories", **kw) if c["Name"] == "Region"]
        return [(o["Name"], o["Status"]) for o in found[0]["Options"]]
    assert regions() == [("North", "ACTIVE"), ("South", "ACTIVE")]
    assert regions(include_archived=True) == [("Central", "ARCHIVED"), ("North", "ACTIVE"), ("South", "ACTIVE")]
    sent = [r.query for r in fake.requests if r.path.endswith("/TrackingCategories")]
    assert "includeArchived" not in sent[0] and sent[1]["includeArchived"][0].lower() == "true"
    assert [c["Name"] for c in client.iter_records("TrackingCategories", where='Name=="Department"')] == ["Department"]

    themes = list(client.iter_records("BrandingThemes", modified_since=clock.utcnow(), where="ignored"))
    assert [(t["Name"], t["SortOrder"], t["Type"]) for t in themes] == [
        ("Standard", 0, "INVOICE"), ("Special Projects", 1, "INVOICE")]
    last = [r for r in fake.requests if r.method == "GET"][-1]
    assert last.query == {} and "If-Modified-Since" not in last.headers, "no parameter the endpoint lacks"
    assert len([r for r in fake.requests if r.method == "GET"]) == 6
    assert_valid_against_spec(fake)


def test_settings_and_tax_rates_by_ids(fake, clock):
    """By IDs: a filter on a GUID (TrackingCategoryID), on a code (a currency's Code, a TaxType),
    or, without any filter (BrandingThemes), the whole list kept to the IDs asked for."""
    client = make_client(fake, clock)
    tenant = fake.tenant(fake.tenant_id)
    region = tenant.tracking_categories.category("Region")["TrackingCategoryID"]
    special = next(t["BrandingThemeID"] for t in tenant.branding_themes.values() if t["Name"] == "Special Projects")
    fake.reset_requests()
    assert [c["Name"] for c in client.iter_records("TrackingCategories", ids=[region])] == ["Region"]
    assert [c["Code"] for c in client.iter_records("Currencies", ids=["USD", "AUD"])] == ["AUD", "USD"]
    assert [r["TaxType"] for r in client.iter_records("TaxRates", ids=["OUTPUT2"])] == ["OUTPUT2"]
    assert [t["Name"] for t in client.iter_records("BrandingThemes", ids=[special.upper()])] == ["Special Projects"]
    wheres = [r.query.get("where", [None])[0] for r in fake.requests if r.method == "GET"]
    assert wheres == [f'(TrackingCategoryID==Guid("{region}"))', '(Code=="USD") OR (Code=="AUD")',
                      '(TaxType=="OUTPUT2")', None]
    assert_valid_against_spec(fake)
