"""Possible duplicate contacts: the normal forms, the grouping, and a read of the fake's contacts."""
from connection import make_client
from xero import duplicates
from xero.batch import WriteItem


def contact(contact_id, name, email=None, tax=None, status="ACTIVE"):
    return {"ContactID": contact_id, "Name": name, "EmailAddress": email, "TaxNumber": tax, "ContactStatus": status}


def test_keys_are_normal_forms_and_empty_ones_are_left_out():
    assert duplicates.keys(contact("1", "ACME Ltd.", " Orders@Acme.example ", "12-345 678")) == {
        "name": "acme", "email": "orders@acme.example", "tax_number": "12345678"}
    assert duplicates.keys(contact("2", "Solo")) == {"name": "solo"}
    assert duplicates.keys({}) == {}


def test_names_equal_once_normalised_are_one_group():
    groups = duplicates.find([contact("1", "Acme Limited"), contact("2", "ACME Ltd."), contact("3", "Other Co")])
    assert [(g.contacts, g.reasons) for g in groups] == [([("1", "Acme Limited"), ("2", "ACME Ltd.")], ["name"])]


def test_a_shared_email_or_tax_number_groups_contacts_of_different_names():
    groups = duplicates.find([
        contact("1", "Kiwi Traders", email="accounts@kiwi.example"),
        contact("2", "K. Traders NZ", email="ACCOUNTS@kiwi.example"),
        contact("3", "Pohutukawa Florists", tax="123-456-789"),
        contact("4", "P Florist", tax="123 456 789"),
        contact("5", "Alone", email="alone@example.com", tax="999"),
    ])
    found = {tuple(c[0] for c in g.contacts): g.reasons for g in groups}
    assert found == {("2", "1"): ["email"], ("4", "3"): ["tax_number"]}


def test_groups_chain_through_any_shared_key_and_list_every_reason():
    groups = duplicates.find([
        contact("1", "Alpha", email="a@example.com"),
        contact("2", "Beta", email="a@example.com", tax="77"),
        contact("3", "Gamma", tax="77"),
        contact("4", "Delta"),
    ])
    assert len(groups) == 1
    assert [c[0] for c in groups[0].contacts] == ["1", "2", "3"]
    assert groups[0].reasons == ["email", "tax_number"]


def test_archived_contacts_are_not_duplicates():
    groups = duplicates.find([contact("1", "Acme"), contact("2", "Acme Ltd", status="ARCHIVED")])
    assert groups == []


def test_no_contacts_or_all_distinct_give_no_group():
    assert duplicates.find([]) == []
    distinct = [contact(str(i), "Customer %d" % i, "c%d@example.com" % i, str(i)) for i in range(500)]
    assert duplicates.find(distinct) == []


def test_largest_groups_come_first():
    groups = duplicates.find([contact("1", "Zed"), contact("2", "Zed Ltd"), contact("3", "Zed Limited"),
                              contact("4", "Able"), contact("5", "Able Inc")])
    assert [len(g.contacts) for g in groups] == [3, 2]


def test_the_fake_s_summary_pages_carry_what_the_grouping_needs(fake, clock):
    """Xero's summary read (no addresses, phones...) keeps name, e-mail and tax number."""
    tenant = fake.tenant(fake.tenant_id)
    client = make_client(fake, clock)
    payloads = [{"Name": "Harbour Cafe Ltd", "EmailAddress": "hello@harbour.example"},
                {"Name": "Harbour Cafe", "TaxNumber": "55-66"},
                {"Name": "Lone Shop", "TaxNumber": "5566"}]
    results = client.save("Contacts", [WriteItem(i, p, str(i)) for i, p in enumerate(payloads)], create_only=True)
    assert all(r.ok for r in results), [r.errors for r in results]
    read = list(client.iter_records("Contacts", summary_only=True, page_size=1000))
    assert len(read) == len(tenant.contacts) == 3
    [group] = duplicates.find(read)
    assert sorted(name for _id, name in group.contacts) == ["Harbour Cafe", "Harbour Cafe Ltd", "Lone Shop"]
    assert group.reasons == ["name", "tax_number"]
