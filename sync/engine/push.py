"""Odoo → Xero, for every object: due links, a batch at a time.

A batch is taken with ``FOR NO KEY UPDATE SKIP LOCKED`` (``xero.link.mixin._lock_due``), so two
workers never push the same record. In it: links to no Xero record yet are matched first (the
object's ``match``); linked ones are read from Xero as they are now and merged group by group
(``merge``), so only what Odoo changed, and won, is sent. New records go by PUT (a create never
silently updates another record), known ones by POST with their id, 50 a request, through
``XeroClient.iter_save``; each answer is mapped back to its link. A failure follows one policy
(``policy``); a record Xero refuses is an error on that record, and the rest of the batch goes on.

Where the writes sit: Xero's answers are written on the links in the same transaction, committed
when the batch ends. If that transaction is lost after Xero saved, the next run sends the same
versions again under the same Idempotency-Key and Xero replays its answer (24 h); after that a
create of a record that exists is refused and the object's ``recover`` links it instead. Either
way no second record is created in Xero.
"""
import hashlib
import json

from ...xero import dates
from ...xero.batch import WriteItem
from ...xero.errors import XeroError
from . import attempts, messages, policy, registry
from .merge import merge

INTERACTIVE_LIMIT = 50  # records one click sends at once; more are left to the scheduled push



class PushResult:
    """``done``: links that left the queue; ``remaining``: due now; ``retry_at``: when the run can
    go on (quota, Xero down, the next automatic retry); ``stopped``: nothing more can be done with
    this connection now."""

    def __init__(self, done=0, remaining=0, retry_at=None, stopped=False):
        self.done, self.remaining, self.retry_at, self.stopped = done, remaining, retry_at, stopped


def version(payload, token=None):
    """The version of one write: the payload, and for an update the record's UpdatedDateUTC as
    read just before. A retry of the same attempt (Xero unchanged since) reuses the
    Idempotency-Key; the same payload sent again after Xero changed the record gets a new one,
    otherwise Xero would replay the earlier answer and write nothing."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    if token:
        text += "\0" + token
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def push_pending(sync, limit=None):
    """One batch of ``sync``'s object for its connection (the scheduled action's unit of work)."""
    limit = limit or sync.push_batch
    state = sync.state
    if not state.linked_at:
        sync.link_existing()
        state.linked_at = sync.now
        sync.commit()  # apart from the batch: a collision here costs no Xero call
    sync.env["xero.sync.change"]._apply(sync.connection, sync.link_model)
    links = sync.links._lock_due(sync.connection, limit)
    outcome = push(sync, links) if links else policy.Outcome()
    sync.env.flush_all()
    done = len(links.filtered(lambda link: link.state != "pending" and not link.next_retry))
    remaining, next_retry = sync.links._count_due(sync.connection)
    retry_at = min(t for t in (outcome.retry_at, next_retry) if t) if outcome.retry_at or next_retry else None
    sync.commit()  # each batch is kept as soon as Xero has it: a later object's failure undoes nothing
    return PushResult(done, remaining, retry_at, outcome.stopped)


def push_links(links, interactive=True):
    """Push these links now (Resync, a review, a record another object needs); links another
    worker holds are skipped. Returns the links pushed."""
    links = links.sudo()._lock_these()
    for connection, group in links.grouped("connection_id").items():
        push(registry.get(group._xero_object)(connection), group, interactive=interactive)
    return links


def push(sync, links, interactive=False):
    """Match, merge and send ``links`` (locked by the caller). Returns the policy's outcome when
    Xero or the quota stopped the run; what was not sent stays due."""
    outcome = policy.Outcome()
    try:
        with sync.connection._xero_session(interactive=interactive) as client:
            _push(sync, client, links)
    except XeroError as exc:
        unsettled = links.filtered(lambda link: link.state == "pending" or (link.state == "error" and link.next_retry))
        outcome = policy.handle(sync, exc, unsettled, operation="push")
    finally:
        sync.flush_log()
    return outcome


def _push(sync, client, links):
    sync.start(client)
    records = links.mapped(links._xero_record_field)
    sync.before_push(records)
    values = sync.values(records)

    # Archived in Odoo and never in Xero: nothing to create.
    ghosts = links.filtered(lambda link: not link._xero_id() and not sync.is_active(link._record()))
    ghosts.write({"state": "not_synced", "error": False, "next_retry": False})
    links -= ghosts

    unlinked = links.filtered(lambda link: not link._xero_id())
    to_match = unlinked.filtered(lambda link: not link.create_new)
    if to_match:
        adopted = sync.match(client, to_match, values)
        unlinked -= adopted | to_match.filtered("needs_review")

    linked = links.filtered(lambda link: link._xero_id() and not link.needs_review)
    push_groups, current = _merge_with_xero(sync, client, linked, values)

    creates, updates = [], []
    for link in unlinked:
        _queue(sync, link, values[link._record().id], None, creates)
    for link in linked:
        groups = push_groups.get(link.id)
        if groups is None:
            continue  # merged badly or gone: the link already says why
        if not groups:
            link.mark_synced()
            continue
        _queue(sync, link, dict(values[link._record().id], xero_id=link._xero_id()), groups, updates,
               current.get(link.id))

    by_ref = {item.ref: (link, groups) for link, groups, item in creates + updates}
    for operation, batch, create_only in (("create", creates, True), ("update", updates, False)):
        if not batch:
            continue
        if create_only and sync.unsure_creates:
            attempts.note(sync, sync.records.browse([link._record().id for link, _g, _i in batch]))
        for result in client.iter_save(sync.kind, [item for _l, _g, item in batch], create_only=create_only):
            link, groups = by_ref[result.ref]
            if result.ok:
                _saved(sync, link, values[link._record().id], groups, result, operation)
            else:
                _refused(sync, client, link, values[link._record().id], result, operation)
    if creates and sync.unsure_creates:
        # Created (or refused: nothing was created): their outcome is known, with the links.
        attempts.clear(sync, sync.records.browse([link._record().id for link, _g, _i in creates]))
    sync.env.flush_all()


def _queue(sync, link, values, groups, out, current=None):
    """Check and queue one write; ``current``: for an update, the record as Xero has it now."""
    record = link._record()
    if sync.waits(record):
        return  # what it needs in Xero is on its way (quota, another worker): stays pending
    found = [p for p in sync.mapper.problems(values)
             if groups is None or sync.group_of.get(p[0].split(".")[0]) in groups]
    texts = [messages.problem(sync.env, record.display_name, sync.field_label(field), code, params)
             for field, code, params in found] + sync.check(record)
    if texts:
        text = "\n".join(texts)
        link.mark_error(text)
        sync.log_row(link, "check", "error", text)
        return
    payload = sync.payload(link, values, groups, current)
    token = (current or {}).get("UpdatedDateUTC") or ""
    out.append((link, groups, WriteItem(link.id, payload, version(payload, token))))


def _merge_with_xero(sync, client, linked, values):
    """Read the linked records as Xero has them now and merge; returns ({link id: groups to
    send}, {link id: the Xero record as read})."""
    if not linked:
        return {}, {}
    found = {}
    for xero_record in client.iter_records(sync.kind, ids=[link._xero_id() for link in linked], **sync.read_options):
        found[xero_record[sync.id_field].lower()] = xero_record
    pairs = []
    for link in linked:
        xero_record = sync.follow(link, found.get(link._xero_id().lower()))
        if xero_record is not None:
            pairs.append((link, xero_record))
    return merge(sync, pairs, odoo_values=values), {link.id: xero_record for link, xero_record in pairs}


def _saved(sync, link, values, groups, result, operation):
    mapper = sync.mapper
    hashes = mapper.group_hashes(values)
    base = dict(link.odoo_hashes or {}) if groups else {}
    for group in groups or mapper.GROUPS:
        base[group] = hashes[group]
    link.mark_synced(dict(sync.link_values(result.data), **{
        link._xero_id_field: result.xero_id, "odoo_hashes": base,
        "xero_hashes": mapper.group_hashes(mapper.from_xero(result.data)),
        "xero_updated": dates.updated(result.data)}))
    sync.log_row(link, operation, "success", xero_id=result.xero_id)


def _refused(sync, client, link, values, result, operation):
    if sync.recover(client, link, values, result):
        return
    message = sync.refusal_message(link._record(), result.errors)
    link.mark_error(message)
    sync.log_row(link, operation, "error", message)
