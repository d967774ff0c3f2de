"""Xero → Odoo, for every object: records changed since the watermark, a page at a time, and
records asked for by id (the webhooks' entry).

Each page is matched to links (by Xero's id, then by the object's ``adopt``: records that are
Odoo's own or that a waiting Odoo record already is), merged group by group (``merge``), and
records Odoo does not know yet become Odoo records (``SyncType.create_records``). Outside
tests each page is committed with the watermark (the newest UpdatedDateUTC of the page), so a
run that stops resumes where it was.

The watermark is the cursor: pages are read oldest change first, each as page 1 of the records
changed since the last committed watermark, re-read with a second of overlap because a page may
end among records changed in the same second (re-reading one costs nothing: its fingerprints
match and nothing is written). Asking for page 2, 3... of one fixed query would skip records: one
changed meanwhile moves to the end and the others slide a place back. Only when a whole page is
no newer than the cursor's second is the next page of the same query read. Collections Xero
answers in one piece (Items) are read once and taken a page at a time.
"""
import logging
from datetime import timedelta

from ...xero import dates, errors, kinds
from ...xero.batch import chunks
from ...xero.errors import XeroError
from . import policy
from .merge import merge

_logger = logging.getLogger(__name__)

OVERLAP = timedelta(seconds=1)


class PullResult:
    """``done``: records read; ``more``: pages were left for the next run; ``stopped``: nothing more
    can be done with this connection now; ``retry_at``: when it can go on (quota, Xero down);
    ``refused``: Xero refused the read itself (asking again would be refused alike)."""

    def __init__(self, done=0, more=False, stopped=False, retry_at=None):
        self.done, self.more, self.stopped, self.retry_at = done, more, stopped, retry_at
        self.refused = False


def pull(sync, max_pages=None, on_page=None):
    """Read the records changed since the watermark, at most ``max_pages`` pages (None: all)."""
    if not sync.mirror:
        sync.env["xero.sync.change"]._apply(sync.connection, sync.link_model)  # saved while a push held them
    result = PullResult()
    try:
        with sync.connection._xero_session() as client:
            sync.start(client)
            for number, page in enumerate(_changed_pages(sync, client), 1):
                result.done += len(page)
                if on_page:
                    on_page(result.done)
                if max_pages and number >= max_pages:
                    # Stop before asking for the next page: the next run goes on from the watermark.
                    result.more = len(page) == sync.page_size
                    break
    except XeroError as exc:
        _stopped(result, exc, policy.handle(sync, exc, operation="pull"))
    finally:
        sync.flush_log()
    return result


def _stopped(result, error, outcome):
    result.stopped, result.retry_at = outcome.stopped, outcome.retry_at
    result.refused = errors.category(error) == errors.REFUSED


def _changed_pages(sync, client):
    """Yield each page once it is merged and committed, with the watermark moved past it."""
    state = sync.state
    options = dict(sync.read_options, **sync.pull_options, order="UpdatedDateUTC ASC")
    if not kinds.get(sync.kind).page_size:
        records = client.iter_records(sync.kind, modified_since=_since(state.pulled_at), **options)
        for page in chunks(records, sync.page_size):
            _keep(sync, state, page)
            yield page
        return
    cursor, number = state.pulled_at, 1
    while True:
        # The next page is asked with the new cursor, not by number.
        page = read_page(sync, client, number, modified_since=_since(cursor), **options)
        if not page:
            return
        newest = _keep(sync, state, page)
        yield page
        if len(page) < sync.page_size:
            return
        if newest and (not cursor or newest > cursor):
            cursor, number = newest, 1
        else:
            number += 1  # the whole page is within the cursor's second: read on by number


def read_page(sync, client, number, **options):
    """Page ``number`` of a paged read (``options``: ``iter_records``'), as the engine counts
    pages (``sync.page_size`` records); Xero's may be smaller (Quotes: 100 a page)."""
    xero_pages = max(1, sync.page_size // client.page_size(sync.kind, sync.page_size))
    records = client.iter_records(sync.kind, page_size=sync.page_size, first_page=(number - 1) * xero_pages + 1,
                                  **options)
    page = next(chunks(records, sync.page_size), [])
    records.close()  # only this page is read
    return page


def _since(cursor):
    return cursor - OVERLAP if cursor else None


def _keep(sync, state, page):
    """Merge one page, move the watermark to its newest change, commit. Returns that change."""
    newest = sync.keep_page(page) if sync.mirror else merge_page(sync, page)
    newest = newest.replace(microsecond=0) if newest else None
    if newest and (not state.pulled_at or newest > state.pulled_at):
        state.pulled_at = newest
    sync.flush_log(with_transaction=True)  # what the page did: kept with it, or done again with it
    sync.commit()
    return newest


def pull_ids(sync, xero_ids, also=()):
    """Read these records now, whatever the watermark (a webhook or a removed payment named
    them). ``also``: other objects of the same Xero collection, read alike, that keep the same
    records (an invoice is an order's and the receivables'): one read feeds them all. The policy
    applies as for a scheduled pull. Returns a PullResult (``done``: records read)."""
    syncs = [sync] + list(also)
    for each in syncs:
        if not each.mirror:
            each.env["xero.sync.change"]._apply(each.connection, each.link_model)
    result = PullResult()
    try:
        with sync.connection._xero_session() as client:
            for each in syncs:
                each.start(client)
            records = client.iter_records(sync.kind, ids=list(xero_ids), **sync.read_options)
            for page in chunks(records, sync.page_size):
                for each in syncs:
                    if each.mirror:
                        each.keep_page(page)
                    else:
                        merge_page(each, page)
                    each.flush_log(with_transaction=True)
                sync.commit()
                result.done += len(page)
    except XeroError as exc:
        _stopped(result, exc, policy.handle(sync, exc, operation="pull"))
    finally:
        for each in syncs:
            each.flush_log()
    return result


def merge_page(sync, xero_records):
    """Merge one page of Xero records into Odoo; returns its newest UpdatedDateUTC."""
    times = [t for t in map(dates.updated, xero_records) if t]
    xero_records = sync.turn_page(xero_records)
    links = sync.links.search([("connection_id", "=", sync.connection.id),
                               (sync.links._xero_id_field, "in", [r[sync.id_field] for r in xero_records])])
    by_id = {link._xero_id().lower(): link for link in links}
    pairs, unknown = [], []
    for xero_record in xero_records:
        link = by_id.get(xero_record[sync.id_field].lower())
        if not link:
            unknown.append(xero_record)
        elif not _seen(sync, link, xero_record):
            pairs.append((link, xero_record))
        else:
            # No field of the record changed, but what the link keeps besides may have (stock).
            kept = {k: v for k, v in sync.link_values(xero_record).items() if link[k] != v}
            if kept:
                link.write(kept)
    adopted, unknown = sync.adopt(unknown)
    _merge_pairs(sync, pairs + adopted)
    if unknown:
        sync.create_records(unknown)
    return max(times) if times else None


def _seen(sync, link, xero_record):
    """Already in sync as Xero has it now (a re-read of the overlap, or a record our own push
    just wrote): nothing to merge. Fingerprints, not UpdatedDateUTC, decide: Odoo keeps that time
    to the second only."""
    return (link.state == "synced" and link.xero_hashes
            and link.xero_hashes == sync.xero_hashes(xero_record))


def _merge_pairs(sync, pairs):
    if not pairs:
        return
    before = {link.id: link._record().write_date for link, _x in pairs}
    to_push = merge(sync, pairs)
    for link, xero_record in pairs:
        groups = to_push.get(link.id)
        if groups is None:
            continue  # Odoo refused Xero's values: the link says why
        if groups:
            link.mark_pending()
        elif link.state in ("pending", "not_synced", "synced"):
            link.mark_synced()
        if link._record().write_date != before[link.id]:
            sync.log_row(link, "update", "success", direction="in", xero_id=xero_record[sync.id_field])
    if any(to_push.values()):
        sync.links._trigger_push()
