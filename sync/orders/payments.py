"""Payments back: the scheduled read of what Xero changed on the orders' documents, and on the
receivables mirror (``sync/receivables``).

Xero has no payment webhook, and whether removing a payment always touches its invoice's
UpdatedDateUTC is not documented: so besides the invoices changed since the watermark (the
engine's pull, which brings status, amounts due and paid, dates of payment onto the links), the
payments removed since the last read are listed too, and their invoices read again by id (in the
mirror too). Then the past-due orders get their follow-up activity (``notify.plan_overdue``).
"""
from datetime import timedelta

from odoo import fields

from ...xero import dates
from ...xero.errors import XeroError
from ..engine import policy, pull, registry
from . import notify

OVERLAP = timedelta(seconds=1)


ORDERS = ("quotes", "invoices")
MIRRORS = ("receivable_invoices", "receivable_credit_notes")


def pull_documents(connection, max_pages):
    """One run for one connection: the orders' quotes and invoices, the payments removed, the
    overdue follow-ups, then the receivables mirror. A mirror left with pages by the run before
    (a first read of years of history) goes on first, alone. Returns (records read, more pages
    left, stopped)."""
    syncs = {name: registry.get(name)(connection) for name in ORDERS + MIRRORS}
    syncs = {name: sync for name, sync in syncs.items() if not sync.state.paused}
    orders = [syncs[name] for name in ORDERS if name in syncs and _start_watermark(syncs[name])]
    done, more, stopped = _pull_each(orders, max_pages)
    if stopped:
        return done, more, True
    if "invoices" in syncs:
        done += pull_removed_payments(syncs["invoices"], syncs.get("receivable_invoices"))
        notify.plan_overdue(connection)
    mirrors = [syncs[name] for name in MIRRORS if name in syncs]
    read, left, stopped = _pull_each([sync for sync in mirrors if sync.state.pull_more] or mirrors, max_pages,
                                     keep_left=True)
    return done + read, more + left, stopped


def _pull_each(syncs, max_pages, keep_left=False):
    """The engine's pull of each of ``syncs`` in turn; (read, more pages left, stopped)."""
    done = more = 0
    for sync in syncs:
        result = pull.pull(sync, max_pages=max_pages)
        if keep_left:
            sync.state.pull_more = result.more
        done += result.done
        more += result.more
        if result.stopped:
            return done, more, True
    return done, more, False


def _start_watermark(sync):
    """Only documents Odoo sent are read back: nothing to read before the first one, and the
    organisation's history before it is not read (its other invoices are not orders)."""
    if sync.state.pulled_at:
        return True
    start = sync.sent_since()
    if not start:
        return False
    sync.state.pulled_at = start
    return True


def pull_removed_payments(sync, mirror=None):
    """Invoices whose payment was removed in Xero since the last read, read again. The first
    run only starts the watermark: every invoice is read by the invoices' own first pull."""
    state = sync.state
    since = state.payments_pulled_at
    if not since:
        state.payments_pulled_at = fields.Datetime.now()
        return 0
    invoice_ids, newest = set(), since
    try:
        with sync.connection._xero_session() as client:
            for payment in client.iter_records("Payments", modified_since=since - OVERLAP,
                                               where='Status=="DELETED"', page_size=1000):
                invoice_id = (payment.get("Invoice") or {}).get("InvoiceID")
                if invoice_id:
                    invoice_ids.add(invoice_id)
                newest = max(newest, dates.updated(payment) or newest)
    except XeroError as exc:
        policy.handle(sync, exc, operation="pull")
        sync.flush_log()
        return 0
    read = 0
    if mirror and invoice_ids:
        # The receivables mirror has them too, orders' or not (whether Xero touches an invoice
        # whose payment is removed is not documented: read them again by id): one read for both.
        read = pull.pull_ids(sync, list(invoice_ids), also=[mirror]).done
    elif invoice_ids:
        linked = sync.links._xero_ids_linked(sync.connection, invoice_ids)
        read = pull.pull_ids(sync, linked).done if linked else 0
    state.payments_pulled_at = newest.replace(microsecond=0)
    return read
