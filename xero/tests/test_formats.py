"""Xero's formats read and written in one place: dates, where filters, refusal texts, failure kinds."""
import datetime

from xero import dates, errors, refusals, where


def test_ms_dates_are_utc_whatever_the_offset():
    assert dates.to_datetime("/Date(1700000000000+1300)/") == datetime.datetime(2023, 11, 14, 22, 13, 20)
    assert dates.updated({"UpdatedDateUTC": "/Date(1700000000500)/"}).microsecond == 500000
    assert dates.to_datetime("2023-11-14") is None and dates.updated(None) is None
    assert dates.timestamp(dates.ms_date(1700000000.25)) == 1700000000.25


def test_where_quotes_and_cuts_long_alternatives():
    assert where.equals("Code", 'say "hi"') == 'Code=="say \\"hi\\""'
    assert where.equals_lower("EmailAddress", " A@B.com ") == \
        'EmailAddress!=null AND EmailAddress.ToLower()=="a@b.com"'
    clauses = [where.guid("ItemID", "%036d" % i) for i in range(100)]
    filters = list(where.any_of(clauses, max_length=500))
    assert len(filters) > 1 and all(len(f) <= 500 for f in filters)
    assert sum(f.count("Guid(") for f in filters) == 100
    assert list(where.any_of(["a", "b", "c"], per_filter=2)) == ["(a) OR (b)", "(c)"]


def test_refusals_that_mean_the_record_exists():
    assert refusals.reasons(["The contact number ODOO-7 is already assigned to another contact."]) == \
        {refusals.CONTACT_NUMBER_TAKEN}
    assert refusals.reasons(["The contact name Acme is already assigned to another contact. The contact name "
                             "must be unique across all active contacts."]) == {refusals.CONTACT_NAME_TAKEN}
    assert refusals.reasons(["Price List Item with Code 'X' already exists"]) == {refusals.ITEM_CODE_TAKEN}
    assert refusals.reasons(["Email address must be valid."]) == set()


def test_every_failure_has_one_kind():
    assert errors.category(errors.QuotaExhausted("spent")) == errors.QUOTA
    assert errors.category(errors.AuthenticationError("no")) == errors.AUTH
    assert errors.category(errors.ForbiddenError("no")) == errors.AUTH
    assert errors.category(errors.ValidationError("bad")) == errors.REFUSED
    assert errors.category(errors.NotFoundError("gone")) == errors.REFUSED, "trying again cannot help"
    assert errors.category(errors.XeroError("HTTP 409")) == errors.REFUSED
    for error in (errors.ServerError("503"), errors.TransportError("timeout"), errors.RateLimitError("429")):
        assert errors.category(error) == errors.TRANSIENT
