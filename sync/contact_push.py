"""Odoo → Xero: pending partner links, a batch at a time.

A batch is taken with ``FOR NO KEY UPDATE SKIP LOCKED``, so two workers never push the same link
(``NO KEY``: a user's change queued meanwhile on a held link, ``xero.partner.change``, can still
reference it; the run applies earlier queued changes first). In it:
unlinked partners are matched first (``contact_match``); linked ones are read from Xero as they
are now and merged group by group (``contact_merge``), so only what Odoo changed, and won, is
sent. New contacts go by PUT (a name taken by another active contact is refused instead of
silently updating it), known ones by POST with their ContactID, 50 a request.

Where the writes sit: Xero's answers are written on the links in the same transaction, committed
when the batch ends. If that transaction is lost after Xero saved, the next run sends the same
versions again under the same Idempotency-Key and Xero replays its answer (24 h); after that a
PUT of a contact whose ContactNumber (our partner reference) exists is refused, and the run links
that contact instead. Either way no second contact is created.
"""
import hashlib
import json
import logging
from datetime import timedelta

from odoo import fields

from ..xero.batch import WriteItem
from ..xero.errors import AuthenticationError, ForbiddenError, QuotaExhausted, XeroError
from ..xero.mappers import contact as mapper
from . import contact_match, messages
from .contact_merge import ContactRun, xero_time

_logger = logging.getLogger(__name__)

BATCH = 1000
GROUP_OF = {key: group for group, keys in mapper.GROUPS.items() for key in keys}


class PushResult:
    """``done``: links that left pending; ``retry_at``: Xero's quota or availability stopped the
    run until then; ``refused``: Xero refused the connection itself (401/403)."""

    def __init__(self, done=0, remaining=0, retry_at=None, refused=False):
        self.done, self.remaining, self.retry_at, self.refused = done, remaining, retry_at, refused


def _version(payload, token=None):
    """The version of one write: the payload, and for an update the contact's UpdatedDateUTC as
    read just before. A retry of the same attempt (Xero unchanged since) reuses the
    Idempotency-Key; the same payload sent again after Xero changed the contact gets a new one,
    otherwise Xero would replay the earlier answer and write nothing."""
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
    if token:
        text += "\0" + token
    return hashlib.sha1(text.encode()).hexdigest()[:20]


def lock_pending(env, connection, limit):
    env.flush_all()
    env.cr.execute("""SELECT id FROM xero_partner_link
                      WHERE connection_id = %s AND state = 'pending'
                      ORDER BY id LIMIT %s FOR NO KEY UPDATE SKIP LOCKED""", (connection.id, limit))
    return [row[0] for row in env.cr.fetchall()]


def count_pending(env, connection):
    env.flush_all()
    env.cr.execute("SELECT count(*) FROM xero_partner_link WHERE connection_id = %s AND state = 'pending'",
                   (connection.id,))
    return env.cr.fetchone()[0]


def push_pending(connection, limit=BATCH):
    """One batch for one connection (the scheduled action's unit of work)."""
    run = ContactRun(connection)
    run.env["res.partner"]._xero_link_customers(run.connection)
    run.env["xero.partner.change"].sudo()._apply(run.connection)
    ids = lock_pending(run.env, run.connection, limit)
    if not ids:
        return PushResult(0, count_pending(run.env, run.connection))
    links = run.env["xero.partner.link"].browse(ids)
    retry_at = push(run, links)
    run.env.flush_all()
    done = len(links.filtered(lambda link: link.state != "pending"))
    return PushResult(done, count_pending(run.env, run.connection), retry_at, run.refused)


def push_links(links, interactive=True):
    """Push these links now (Resync, the review wizard); links another worker holds are skipped."""
    links = links.sudo()
    run = ContactRun(links.connection_id)
    run.env.flush_all()
    run.env.cr.execute("SELECT id FROM xero_partner_link WHERE id IN %s FOR NO KEY UPDATE SKIP LOCKED",
                       (tuple(links.ids),))
    locked = links.browse([row[0] for row in run.env.cr.fetchall()])
    if locked:
        push(run, locked, interactive=interactive)
    return locked


def push(run, links, interactive=False):
    """Match, merge and send ``links`` (locked by the caller). Returns when to try again if Xero's
    quota or availability stopped the run; what was not sent stays pending."""
    retry_at = None
    run.refused = False
    try:
        with run.connection._xero_session(interactive=interactive) as client:
            _push(run, client, links)
    except QuotaExhausted as exc:
        seconds = exc.retry_after or 3600
        retry_at = fields.Datetime.now() + timedelta(seconds=seconds)
        _logger.info("Xero contacts: quota of connection %s spent, retrying at %s", run.connection.id, retry_at)
    except (AuthenticationError, ForbiddenError) as exc:
        # The connection itself is refused: nothing to do until an administrator reconnects.
        _logger.warning("Xero contacts: connection %s refused: %s", run.connection.id, exc)
        run.refused = True
        message = run.env._("Xero refused connection %(name)s; customers wait to be sent: %(error)s",
                            name=run.connection.display_name, error=exc)
        run.log.append({"direction": "out", "model": "xero.connection", "res_id": run.connection.id,
                        "record_name": run.connection.display_name, "operation": "push contacts",
                        "result": "error", "message": message})
        run.connection._xero_notify_admins(run.env._("Xero refused the contact sync"), message)
    except XeroError as exc:
        retry_at = fields.Datetime.now() + timedelta(minutes=5)
        _logger.warning("Xero contacts: push stopped on connection %s: %s", run.connection.id, exc)
    finally:
        run.flush_log()
    return retry_at


def _push(run, client, links):
    env = run.env
    links = links.filtered(lambda l: l.state == "pending")
    values = run.values(links.partner_id)

    # Archived in Odoo and never in Xero: nothing to create.
    ghosts = links.filtered(lambda l: not l.xero_contact_id and not l.partner_id.active)
    ghosts.write({"state": "not_synced", "error": False})
    links -= ghosts

    unlinked = links.filtered(lambda l: not l.xero_contact_id)
    to_match = unlinked.filtered(lambda l: not l.create_new)
    index = None
    if to_match:
        to_match.match_ids.unlink()  # proposals of an earlier run are made again if still true
        adopted, index = contact_match.match_links(run, client, to_match, values)
        unlinked -= adopted | to_match.filtered("needs_review")

    linked = links.filtered(lambda l: l.xero_contact_id and not l.needs_review)
    push_groups, read = _merge_with_xero(run, client, linked, values)

    creates, updates = [], []
    for link in unlinked:
        _queue(run, link, values[link.partner_id.id], None, creates)
    for link in linked:
        groups = push_groups.get(link.id)
        if groups is None:
            continue  # merged badly or gone: the link already says why
        if not groups:
            link.write({"state": "synced", "error": False, "last_sync": run.now})
            continue
        _queue(run, link, dict(values[link.partner_id.id], xero_id=link.xero_contact_id), groups, updates,
               xero=read.get(link.id))

    by_ref = {item.ref: (link, groups) for link, groups, item in creates + updates}
    for kind, batch, create_only in (("PUT Contacts", creates, True), ("POST Contacts", updates, False)):
        if not batch:
            continue
        for result in client.iter_save("Contacts", [item for _l, _g, item in batch], create_only=create_only):
            link, groups = by_ref[result.ref]
            if result.ok:
                _saved(run, link, values[link.partner_id.id], groups, result, kind)
            else:
                _refused(run, client, link, values[link.partner_id.id], result, index, kind)
    env.flush_all()


def _queue(run, link, values, groups, out, xero=None):
    """Validate and queue one write; ``xero``: for an update, the contact as Xero has it now."""
    found = [p for p in mapper.problems(values)
             if groups is None or GROUP_OF.get(p[0].split(".")[0]) in groups]
    if found:
        text = "\n".join(messages.problem_message(run.env, link.partner_id.display_name, *p) for p in found)
        link.write({"state": "error", "error": text})
        run.log_row(link, "validate", "error", text)
        return
    payload = mapper.to_xero(values, groups=groups, create=groups is None)
    if xero:
        _keep_what_odoo_cannot_hold(run, payload, xero)
    token = (xero or {}).get("UpdatedDateUTC") or ""
    out.append((link, groups, WriteItem(link.id, payload, _version(payload, token))))


def _person_key(person):
    email = mapper.normalise_email(person.get("EmailAddress"))
    name = " ".join(p for p in (person.get("FirstName"), person.get("LastName")) if p).casefold()
    return email, name


def _keep_what_odoo_cannot_hold(run, payload, contact):
    """An update sends a field group whole; what Xero has there and Odoo cannot store would be
    erased: people without a name (the pull creates no partner for them), "include in emails"
    flags (Odoo has no such field), a region or country Odoo could not map."""
    if "ContactPersons" in payload:
        theirs = contact.get("ContactPersons") or []
        ours = payload["ContactPersons"]
        for person in ours:
            email, name = _person_key(person)
            same = next((p for p in theirs if (email and _person_key(p)[0] == email)
                         or (name and _person_key(p)[1] == name)), None)
            if same is not None:
                person["IncludeInEmails"] = bool(same.get("IncludeInEmails"))
        sent = {_person_key(p)[0] for p in ours}
        for person in theirs:
            email = _person_key(person)[0]
            if not (person.get("FirstName") or person.get("LastName")) and email and email not in sent \
                    and len(ours) < mapper.MAX_PERSONS:
                ours.append({"EmailAddress": person["EmailAddress"],
                             "IncludeInEmails": bool(person.get("IncludeInEmails"))})
                sent.add(email)
    if "Addresses" in payload:
        theirs = {a.get("AddressType"): a for a in contact.get("Addresses") or []}
        for address in payload["Addresses"]:
            known = theirs.get(address["AddressType"]) or {}
            country = run.writer.country(known.get("Country")) if known.get("Country") else None
            if not address.get("Country") and known.get("Country") and not country:
                address["Country"] = known["Country"]
            same_country = address.get("Country") == known.get("Country") or (
                country and run.writer.country(address.get("Country")) == country)
            if not address.get("Region") and known.get("Region") and same_country and not (
                    country and run.writer.state(country, known["Region"])):
                address["Region"] = known["Region"]


def _merge_with_xero(run, client, linked, values):
    """Read the linked contacts as Xero has them now and merge; returns ({link id: groups to
    send}, {link id: the contact as read})."""
    if not linked:
        return {}, {}
    contacts = {}
    for contact in client.iter_records("Contacts", ids=linked.mapped("xero_contact_id")):
        contacts[contact["ContactID"].lower()] = contact
    pairs = []
    for link in linked:
        contact = contacts.get(link.xero_contact_id.lower())
        if contact is None:
            message = messages.contact_gone(run.env, link.partner_id.display_name, link.xero_contact_id)
            link.write({"state": "error", "error": message, "xero_contact_id": False, "needs_review": True})
            run.log_row(link, "read", "error", message)
        elif contact.get("MergedToContactID"):
            # Merged in Xero into another contact: follow it and push to that one next run,
            # unless another partner already has it (then the two partners are one customer).
            target = contact["MergedToContactID"]
            if contact_match.linked_elsewhere(run, [target]):
                message = messages.contact_gone(run.env, link.partner_id.display_name, link.xero_contact_id)
                link.write({"state": "error", "error": message, "xero_contact_id": False, "needs_review": True})
                run.log_row(link, "read", "error", message)
            else:
                link.write({"xero_contact_id": target, "xero_hashes": False})
        else:
            pairs.append((link, contact))
    return run.merge(pairs, odoo_values=values), {link.id: contact for link, contact in pairs}


def _saved(run, link, values, groups, result, kind):
    hashes = mapper.group_hashes(values)
    base = dict(link.odoo_hashes or {}) if groups else {}
    for group in groups or mapper.GROUPS:
        base[group] = hashes[group]
    link.write({
        "xero_contact_id": result.xero_id, "state": "synced", "error": False, "needs_review": False,
        "create_new": False, "last_sync": run.now, "odoo_hashes": base,
        "xero_hashes": mapper.group_hashes(mapper.from_xero(result.data)),
        "xero_updated": xero_time(result.data),
    })
    run.log_row(link, kind, "success", xero_id=result.xero_id)


def _refused(run, client, link, values, result, index, kind):
    env = run.env
    name = link.partner_id.display_name
    text = " ".join(result.errors)
    if "contact number" in text.lower() and values.get("number"):
        holder = contact_match.holder_of_number(client, values["number"])
        if holder and holder["ContactID"] not in contact_match.linked_elsewhere(run, [holder["ContactID"]]):
            # Ours already (a lost answer, a restored database): link it and update it next run.
            link.write({"xero_contact_id": holder["ContactID"], "odoo_hashes": False, "xero_hashes": False,
                        "state": "pending", "error": False})
            run.log_row(link, "match number", "success", xero_id=holder["ContactID"])
            return
    if "already assigned to another contact" in text and "name" in text.lower():
        holder = contact_match.holder_of_name(client, values.get("name"))
        if holder:
            candidate = (index or contact_match.ContactIndex()).add(holder)
            contact_match.propose(run, link, [(candidate, ["name_taken"])], values,
                                  messages.name_taken(env, name, holder.get("Name")))
            return
    message = messages.xero_refused(env, name, result.errors)
    link.write({"state": "error", "error": message})
    run.log_row(link, kind, "error", message)
