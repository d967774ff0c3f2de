"""Contact mapping, matching and the conflict rule: pure, plus one round trip through the fake."""
import pytest

from xero import merge
from xero.batch import WriteItem
from xero.client import XeroClient
from xero.clock import Clock
from xero.endpoints import Endpoints
from xero.mappers import contact
from xero.matching import ContactIndex
from xero.quota import Limiter, Limits, MemoryStore
from xero.tokens import ClientCredentialsSource, TokenClient
from xero_sandbox import FakeXero, spec

FULL = {
    "number": "ODOO-7", "name": "Wood Corner", "first_name": "Willie", "last_name": "Burke",
    "email": "wood.corner26@example.com", "phone": "+1 555-555-5555", "mobile": "+1 555-0100",
    "tax_number": "US12345671", "currency": "USD", "payment_terms": {"type": "DAYSAFTERBILLDATE", "days": 30},
    "street_address": {"street": "1839 Arbor Way", "city": "Turlock", "state": "California", "zip": "95380",
                       "country": "United States"},
    "postal_address": {"street": "PO Box 12", "city": "Turlock", "country": "United States"},
    "persons": [{"first_name": "Ann", "last_name": "Lee", "email": "ann@example.com", "include_in_emails": True}],
    "archived": False,
}


def test_create_payload_sends_every_filled_field_and_never_the_website():
    payload = contact.to_xero(dict(FULL, website="https://wood.example.com"))
    assert payload["ContactNumber"] == "ODOO-7" and "ContactID" not in payload
    assert payload["PaymentTerms"] == {"Sales": {"Day": 30, "Type": "DAYSAFTERBILLDATE"}}
    assert payload["DefaultCurrency"] == "USD" and payload["TaxNumber"] == "US12345671"
    assert "Website" not in payload and "ContactStatus" not in payload
    assert [a["AddressType"] for a in payload["Addresses"]] == ["STREET", "POBOX"]
    assert payload["ContactPersons"] == [{"FirstName": "Ann", "LastName": "Lee", "EmailAddress": "ann@example.com",
                                          "IncludeInEmails": True}]


def test_update_payload_carries_only_the_groups_asked_and_clears_emptied_fields():
    payload = contact.to_xero(dict(FULL, xero_id="abc", phone=False), groups=["phones"])
    assert set(payload) == {"ContactID", "Phones"}
    assert payload["Phones"][0] == {"PhoneType": "DEFAULT", "PhoneNumber": "", "PhoneAreaCode": "",
                                    "PhoneCountryCode": ""}
    payload = contact.to_xero(dict(FULL, xero_id="abc", archived=True), groups=["status"])
    assert payload == {"ContactID": "abc", "ContactStatus": "ARCHIVED"}


def test_round_trip_keeps_every_group_fingerprint():
    xero_side = contact.to_xero(FULL)
    xero_side.update({"ContactID": "abc", "ContactStatus": "ACTIVE"})
    back = contact.from_xero(xero_side)
    assert contact.group_hashes(back) == contact.group_hashes(dict(FULL, website=None))
    changed = contact.group_hashes(dict(back, phone="+1 555 0199"))
    assert [g for g in changed if changed[g] != contact.group_hashes(back)[g]] == ["phones"]


def test_problems_name_each_field():
    found = contact.problems({"name": "x" * 500, "email": "jürgen@exämple.de",
                              "street_address": {"zip": "9" * 60}, "persons": [{"email": "nope"}]})
    codes = {(f, c) for f, c, _ in found}
    assert codes == {("name", "too_long"), ("email", "invalid_email"), ("street_address.zip", "too_long"),
                     ("persons.0.email", "invalid_email")}
    assert contact.problems({"name": "  "}) == [("name", "required", {})]
    assert contact.problems({"name": "Zoë Åberg 日本"}) == []


@pytest.mark.parametrize("a, b", [("ACME Ltd.", "Acme Limited"), ("Café Noir S.A.", "cafe noir"),
                                  ("Smith & Sons", "smith and sons")])
def test_normalised_names_meet(a, b):
    assert contact.normalise_name(a) == contact.normalise_name(b)


def index_of(*contacts):
    index = ContactIndex()
    for i, c in enumerate(contacts):
        index.add(dict({"ContactID": "id-%d" % i, "ContactStatus": "ACTIVE"}, **c))
    return index


def test_matching_rules_in_order():
    index = index_of({"Name": "Other", "ContactNumber": "ODOO-1"},
                     {"Name": "Acme Limited", "EmailAddress": "AP@acme.com", "TaxNumber": "12-345-678"},
                     {"Name": "Twin A", "TaxNumber": "999"}, {"Name": "Twin B", "TaxNumber": "999"},
                     {"Name": "Gone Ltd", "ContactStatus": "ARCHIVED", "EmailAddress": "gone@x.com"})
    sure = index.match({"number": "ODOO-1", "name": "Acme"})
    assert sure.sure[0].contact_id == "id-0" and sure.sure[1] == "number"
    assert index.match({"number": "ODOO-9", "tax_number": "12345678"}).sure[1] == "tax_number"
    twins = index.match({"tax_number": "999"})
    assert not twins.sure and [c.name for c, _ in twins.doubtful] == ["Twin A", "Twin B"]
    both = index.match({"name": "ACME Ltd", "email": "ap@acme.com"})
    assert not both.sure and both.doubtful[0][1] == ["email", "similar_name"]
    assert index.match({"name": "acme limited"}).doubtful[0][1] == ["same_name"]
    assert not index.match({"name": "Gone", "email": "gone@x.com"}), "archived contacts are not offered"
    assert not index.match({"name": "Nobody", "email": "no@body.com"})


@pytest.mark.parametrize("odoo, xero, rule, times, expected", [
    ("b", "b", "newest", (None, None), merge.NOTHING),
    ("o2", "b", "xero", (None, None), merge.PUSH),
    ("b", "x2", "odoo", (None, None), merge.PULL),
    ("o2", "x2", "odoo", (1, 2), merge.PUSH),
    ("o2", "x2", "xero", (2, 1), merge.PULL),
    ("o2", "x2", "newest", (2, 1), merge.PUSH),
    ("o2", "x2", "newest", (1, 2), merge.PULL),
])
def test_conflict_rule(odoo, xero, rule, times, expected):
    assert merge.resolve(odoo, xero, "b", "b", rule, *times) == expected


def test_first_link_fills_gaps_then_follows_the_rule():
    first = dict(base_odoo=None, base_xero=None, empty="e")
    assert merge.resolve("o", "e", rule="xero", **first) == merge.PUSH
    assert merge.resolve("e", "x", rule="odoo", **first) == merge.PULL
    assert merge.resolve("e", "e", **first) == merge.NOTHING
    assert merge.resolve("o", "x", rule="newest", odoo_changed=2, xero_changed=1, **first) == merge.PUSH
    assert merge.resolve("o", "x", rule="xero", **first) == merge.PULL


def test_payloads_are_valid_for_xero_and_read_back_the_same():
    clock = Clock(50.0)
    with FakeXero(clock=clock) as fx:
        tenant = fx.add_tenant("Demo")
        fx.add_app("cid", "secret", tenants=[tenant], custom=True)
        endpoints = Endpoints(fx.url, fx.url, fx.url)
        client = XeroClient(endpoints, tenant, ClientCredentialsSource(TokenClient(endpoints, "cid", "secret",
                                                                                     clock=clock)),
                            limiter=Limiter(MemoryStore(), Limits(), clock), clock=clock)
        [created] = client.save("Contacts", [WriteItem("p7", contact.to_xero(FULL))], create_only=True)
        assert created.ok, created.errors
        emptied = dict(FULL, xero_id=created.xero_id, phone="", street_address=None, archived=True)
        [updated] = client.save("Contacts", [WriteItem("p7", contact.to_xero(emptied))])
        assert updated.ok, updated.errors
        [read] = list(client.iter_records("Contacts", ids=[created.xero_id]))
        assert contact.group_hashes(contact.from_xero(read)) == contact.group_hashes(
            dict(emptied, website=None))
        if spec.spec_available():
            assert spec.validate_all(fx.requests) > 0
