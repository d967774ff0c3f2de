"""Sales documents on the engine: one group Odoo sends, Xero's facts kept apart, an update that
resends every line it keeps, and what counts as settled."""
from xero.mappers import document

CONTACT = "7b5b4a6e-1d2c-4b0a-9a8e-2f3c4d5e6f70"
LINE = {"description": "House Blend 1 kg", "quantity": 2, "unit_amount": 18.5, "item_code": "COF-1",
        "account_code": "200", "tax_type": "OUTPUT2", "discount_rate": None, "tracking": []}
VALUES = {"contact_id": CONTACT, "date": "2024-05-01", "due_date": "2024-05-31", "reference": "S00042",
          "currency": "NZD", "amounts": "exclusive", "status": "DRAFT", "lines": [LINE]}
XERO = {"InvoiceID": "11111111-1111-4111-8111-111111111111", "InvoiceNumber": "INV-0007", "Status": "AUTHORISED",
        "Contact": {"ContactID": CONTACT}, "DateString": "2024-05-01T00:00:00", "Date": "/Date(1714521600000+0000)/",
        "DueDateString": "2024-05-31T00:00:00", "Reference": "S00042", "CurrencyCode": "NZD",
        "LineAmountTypes": "Exclusive", "SubTotal": 37.0, "TotalTax": 5.55, "Total": 42.55, "AmountDue": 12.55,
        "AmountPaid": 30.0, "AmountCredited": 0.0, "SentToContact": True,
        "LineItems": [{"LineItemID": "l-1", "Description": "House Blend 1 kg", "Quantity": 2.0, "UnitAmount": 18.5,
                       "ItemCode": "COF-1", "AccountCode": "200", "TaxType": "OUTPUT2"}]}


def test_what_odoo_sends_is_one_group_and_status_is_not_in_it_for_invoices():
    hashes = document.INVOICES.group_hashes(VALUES)
    assert set(hashes) == {"document"}
    assert document.INVOICES.group_hashes(dict(VALUES, status="AUTHORISED")) == hashes
    assert document.INVOICES.group_hashes(dict(VALUES, lines=[dict(LINE, quantity=3)])) != hashes


def test_a_quote_s_status_is_content_odoo_sends():
    hashes = document.QUOTES.group_hashes(VALUES)
    assert document.QUOTES.group_hashes(dict(VALUES, status="SENT")) != hashes


def test_a_payment_changes_no_fingerprint_of_the_document():
    before = document.INVOICES.group_hashes(document.INVOICES.from_xero(XERO))
    paid = dict(XERO, AmountDue=0.0, AmountPaid=42.55, Status="PAID")
    assert document.INVOICES.group_hashes(document.INVOICES.from_xero(paid)) == before


def test_read_back_as_the_values_that_would_send_it():
    values = document.INVOICES.from_xero(XERO)
    assert (values["contact_id"], values["date"], values["due_date"], values["reference"]) == (
        CONTACT, "2024-05-01", "2024-05-31", "S00042")
    assert values["lines"][0]["line_item_id"] == "l-1"
    # The same fingerprint as the values that sent it, once Xero numbered it.
    assert document.INVOICES.group_hashes(values) == document.INVOICES.group_hashes(dict(VALUES, number="INV-0007"))


def test_an_update_carries_the_id_and_every_kept_line_s_id():
    current = dict(XERO, LineItems=XERO["LineItems"] + [{"LineItemID": "l-2", "Description": "Gone"}])
    values = document.keep_line_ids(dict(VALUES, xero_id=XERO["InvoiceID"],
                                         lines=[LINE, dict(LINE, description="New")]), current)
    payload = document.INVOICES.to_xero(values, groups={"document"}, create=False)
    assert payload["InvoiceID"] == XERO["InvoiceID"]
    assert "Status" not in payload, "an update leaves the status as Xero has it"
    assert [line.get("LineItemID") for line in payload["LineItems"]] == ["l-1", "l-2"]
    shorter = document.keep_line_ids(dict(VALUES, lines=[LINE]), current)
    assert [line.get("line_item_id") for line in shorter["lines"]] == ["l-1"]  # l-2 left out: Xero deletes it


def test_facts_are_xero_s_own():
    facts = document.facts(XERO)
    assert facts["status"] == "AUTHORISED" and facts["number"] == "INV-0007"
    assert (facts["total"], facts["amount_due"], facts["amount_paid"]) == (42.55, 12.55, 30.0)
    assert facts["due_date"] == "2024-05-31" and facts["fully_paid_date"] is None
    assert facts["sent_to_contact"] is True


def test_settled_by_payments_or_by_credit_notes():
    assert document.is_settled("PAID", 0.0)
    assert document.is_settled("AUTHORISED", 0.0)  # credit notes are not payments: AmountDue says it
    assert not document.is_settled("AUTHORISED", 0.01)
    assert not document.is_settled("DRAFT", None)
    assert not document.is_settled("VOIDED", 10.0)
