"""The reconciliation, for every object: a full read that catches what a webhook or the pull's
watermark missed (records changed, archived, deleted or voided in Xero).

A pass reads the object's whole list, whatever the watermark, as the pull reads it (archived
records, the statuses worth reading), and merges each page as the pull does (``merge_page``, or
a mirror's ``keep_page``): what changes in Odoo is logged alike. The links of each page's records
are marked seen (``reconciled_at``). Once the list is read, the linked records it did not show are
read by their ids: those Xero no longer has are the engine's "gone" (``SyncType.follow``: the
link goes to review and the log says so), the others are merged. A mirror has no links: it
names the documents its list leaves out but that may still change (``reconcile_unseen``).

A pass runs in bounded runs (``max_pages``), each page committed with the pass's place on the
sync state (``models/xero_sync_state_reconcile.py``): a run stopped by the quota or by Xero,
or a pass too long for one run, goes on from there. The list is read in Xero id order, so that
a record changed meanwhile keeps its place (by change date it would move to the end and the
others slide a place back, out of reach). Sales documents only matter if Odoo sent them: those
changed since the connection's first link are read (``SyncType.sent_since``). Collections Xero
answers in one piece (Items) are read in one run.
"""
from odoo import fields

from ...xero import kinds
from ...xero.batch import chunks
from ...xero.errors import XeroError
from . import policy, pull

BY_IDS = 50  # records read by id in one request (Xero's ids filter breaks beyond about 52)


def start(sync):
    """Begin a new pass of ``sync``'s object: its list from the first page on."""
    sync.state.write({"reconcile_started_at": sync.now, "reconcile_page": 1})


def reconcile(sync, max_pages):
    """Go on with the pass under way (``start``): at most ``max_pages`` pages of Xero's list, then
    of the records read by id. Returns a ``PullResult``: ``more`` when the pass has work left for
    the next run, ``retry_at`` when the quota or Xero stopped it."""
    result = pull.PullResult()
    result.retry_at = None
    since = None
    if sync.sent_only:
        since = sync.sent_since()
        if not since:
            _finish(sync)  # Odoo sent nothing yet: nothing to compare
            return result
    if not sync.mirror:
        sync.env["xero.sync.change"]._apply(sync.connection, sync.link_model)  # saved while a push held them
    try:
        with sync.connection._xero_session() as client:
            sync.start(client)
            pages = _read_list(sync, client, since, max_pages, result)
            if not sync.state.reconcile_page:
                _read_unseen(sync, client, since, max_pages - pages, result)
            if not result.more:
                _finish(sync)
    except XeroError as exc:
        outcome = policy.handle(sync, exc, operation="reconcile")
        result.stopped, result.retry_at, result.more = outcome.stopped, outcome.retry_at, False
    finally:
        sync.flush_log()
    return result


def _read_list(sync, client, since, max_pages, result):
    """The pages of the object's list from the pass's place on, at most ``max_pages``; returns
    how many were read. The place moves with each page; zero once the list is read."""
    state = sync.state
    options = dict(sync.reconcile_options(), modified_since=since)
    if not kinds.get(sync.kind).page_size:
        if not state.reconcile_page:
            return 0
        for page in chunks(client.iter_records(sync.kind, **options), sync.page_size):
            _take(sync, page, result)
            _save(sync)
        state.reconcile_page = 0
        _save(sync)
        return 1
    options["order"] = "%s ASC" % sync.id_field
    pages = 0
    while state.reconcile_page and pages < max_pages:
        page = pull.read_page(sync, client, state.reconcile_page, **options)
        pages += 1
        _take(sync, page, result)
        state.reconcile_page = state.reconcile_page + 1 if len(page) == sync.page_size else 0
        _save(sync)
    result.more = bool(state.reconcile_page)
    return pages


def _read_unseen(sync, client, since, max_pages, result):
    """The linked records the list did not show since the pass started, read by their ids (a
    request a page). Those already waiting for a person are left to them."""
    xero_ids = sync.reconcile_unseen()
    kind = kinds.get(sync.kind)
    # Without an ids or a where filter Xero answers the whole list: read it once for them all.
    size = BY_IDS if kind.reads_by_ids or "where" in kind.read_params else max(len(xero_ids), 1)
    for batch in chunks(xero_ids, size):
        if max_pages <= 0:
            result.more = True
            return
        max_pages -= 1
        # As the pull reads a record named by its id (a draft invoice the list leaves out is
        # still the order's); documents changed before the first link are none of Odoo's.
        found = list(client.iter_records(sync.kind, ids=batch, modified_since=since, **sync.read_options))
        _take(sync, found, result)
        found_ids = {record[sync.id_field].lower() for record in found}
        gone = [xero_id for xero_id in batch if xero_id.lower() not in found_ids]
        result.done += len(gone)  # settled too: the run counts as work done
        if gone and not sync.mirror:
            for link in sync.links.search([("connection_id", "=", sync.connection.id),
                                           (sync.links._xero_id_field, "in", gone)]):
                sync.follow(link, None)
        _save(sync)


def _take(sync, page, result):
    """Merge one page as the pull does, and mark its records' links seen by this pass."""
    if not page:
        return
    result.done += len(page)
    if sync.mirror:
        sync.keep_page(page)
        return
    pull.merge_page(sync, page)
    links = sync.links
    links.flush_model()
    # One statement for the page; the identifiers are the link model's own.
    sync.env.cr.execute("UPDATE {table} SET reconciled_at = %s WHERE connection_id = %s AND {xero_id} IN %s".format(
        table=links._table, xero_id=links._xero_id_field),
        (sync.now, sync.connection.id, tuple(record[sync.id_field] for record in page)))
    links.invalidate_model(["reconciled_at"])


def _finish(sync):
    sync.state.write({"reconciled_at": fields.Datetime.now(), "reconcile_started_at": False, "reconcile_page": 0})
    _save(sync)


def _save(sync):
    """Keep what the run did so far, with its log rows (kept with it, or done again with it)."""
    sync.flush_log(with_transaction=True)
    sync.commit()
