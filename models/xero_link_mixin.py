"""One Odoo record in one Xero organisation: which Xero record it is, and where its sync stands.

Every synced object has a link table of its own that inherits this mixin (``xero.partner.link``
for customers, ``xero.product.link`` for products...), so foreign keys, record rules and joins stay
simple; what they share lives here: the state and its changes, the per-group fingerprints of both
sides at the last exchange (see ``xero/merge.py``), the retry bookkeeping, the row locks the
engine takes, and the buttons. The sync itself is ``sync/engine``; each object's particulars are
its ``sync/<object>`` package, found through ``_xero_object``.
"""
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from ..sync.engine import messages, push

STATES = [("not_synced", "Not synced"), ("pending", "Pending"), ("synced", "Synced"), ("error", "Error")]
# A record Xero could not take is tried again 2 minutes later, then 4, 8... at most 6 hours
# apart; after 12 attempts in a row (about a day: a long outage of Xero is waited out) it waits
# for a person.
MAX_ATTEMPTS = 12
BACKOFF = timedelta(minutes=2)
MAX_BACKOFF = timedelta(hours=6)


class XeroLinkMixin(models.AbstractModel):
    _name = "xero.link.mixin"
    _description = "Link between an Odoo record and a Xero record"
    _order = "id desc"

    # Set by each link model:
    _xero_object = None  # the object's name in the engine's registry (sync/engine/registry.py)
    _xero_record_field = None  # the Many2one to the Odoo record, e.g. "partner_id"
    _xero_id_field = None  # the Char holding Xero's id of the record, e.g. "xero_contact_id"

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True, index=True)
    state = fields.Selection(STATES, required=True, default="pending", index=True, copy=False)
    last_sync = fields.Datetime("Last sync", copy=False)
    error = fields.Text(copy=False)
    attempts = fields.Integer("Failed attempts", copy=False,
                              help="Attempts in a row that Xero did not take; reset by a success.")
    next_retry = fields.Datetime("Next automatic retry", copy=False,
                                 help="When a record Xero could not take is tried again by itself. Empty: it waits for "
                                      "a change or a Resync.")
    needs_review = fields.Boolean("Needs review", copy=False, index=True,
                                  help="Xero may already have this record: an administrator decides.")
    create_new = fields.Boolean("Create without matching", copy=False,
                                help="An administrator chose to create a new Xero record for this one.")
    xero_updated = fields.Datetime("Changed in Xero", copy=False, help="Xero's UpdatedDateUTC last seen.")
    last_attempt = fields.Datetime("Last attempt", copy=False,
                                   help="When the sync of this record last failed (refused, unreachable, in review).")
    reconciled_at = fields.Datetime("Reconciled at", copy=False,
                                    help="When the weekly reconciliation last found this record in Xero.")
    # Per field group: when Odoo last changed it, and the fingerprints of both sides at the
    # last exchange (see xero/merge.py).
    odoo_changed = fields.Json(copy=False)
    odoo_hashes = fields.Json(copy=False)
    xero_hashes = fields.Json(copy=False)

    # -- the record and its Xero id ----------------------------------------------------------
    def _record(self):
        return self[self._xero_record_field]

    def _xero_id(self):
        return self[self._xero_id_field]

    @api.depends(lambda self: [self._xero_record_field, "connection_id"])
    def _compute_display_name(self):
        for link in self:
            link.display_name = "%s → %s" % (link._record().display_name or "",
                                             link.connection_id.display_name or "")

    # -- state changes (the only writers of ``state``) ----------------------------------------
    def bind(self, xero_id):
        """Link to an existing Xero record, as if never exchanged: the conflict rule settles each
        field group at the next merge."""
        self.write({self._xero_id_field: xero_id, "odoo_hashes": False, "xero_hashes": False})

    def mark_synced(self, values=None):
        """Both sides agree (``values``: what else the exchange taught, e.g. the new fingerprints)."""
        self.write(dict({"state": "synced", "error": False, "attempts": 0, "next_retry": False,
                         "needs_review": False, "create_new": False, "last_sync": fields.Datetime.now()},
                        **(values or {})))

    def mark_pending(self, values=None):
        """To be sent by the next push (``values``: e.g. fingerprints forgotten)."""
        self.write(dict({"state": "pending", "error": False, "attempts": 0, "next_retry": False,
                         "needs_review": False}, **(values or {})))

    def mark_error(self, message, values=None):
        """Xero refused the record, or Odoo could not take Xero's values: it waits for a fix
        (a change of the record makes it pending again) or a Resync."""
        for link in self:
            link.write(dict({"state": "error", "error": message, "attempts": link.attempts + 1,
                             "next_retry": False, "last_attempt": fields.Datetime.now()}, **(values or {})))

    def mark_review(self, message):
        """Xero may already hold this record: a person decides before anything is created."""
        self.write({"state": "error", "error": message, "needs_review": True, "next_retry": False,
                    "last_attempt": fields.Datetime.now()})

    def mark_retry(self, error):
        """Xero could not take the record now (down, busy: ``error`` says how): tried again by
        itself later, waiting longer each time; after MAX_ATTEMPTS it waits for a person."""
        now = fields.Datetime.now()
        for link in self:
            attempts = link.attempts + 1
            if attempts < MAX_ATTEMPTS:
                retry = now + min(BACKOFF * 2 ** (attempts - 1), MAX_BACKOFF)
                # No time in the stored text: its reader's clock is not known here (the link
                # shows its next retry, in each reader's time zone).
                message = messages.retry(self.env, error)
            else:
                retry, message = False, messages.given_up(self.env, error, attempts)
            link.write({"state": "error", "error": message, "attempts": attempts, "next_retry": retry,
                        "last_attempt": now})

    def note_change(self, times):
        """Odoo changed field groups at these times ({group: "YYYY-MM-DD HH:MM:SS"}): the links go
        pending and keep the newest time of each group (for "newest wins")."""
        for link in self:
            changed = dict(link.odoo_changed or {})
            for group, when in times.items():
                changed[group] = max(changed.get(group, when), when)
            if link.state == "pending":
                link.write({"odoo_changed": changed})
            else:
                # An error, a pending review or a scheduled retry is tried again with the new values.
                link.mark_pending({"odoo_changed": changed})

    def forget_organisation(self):
        """The connection moved to another Xero organisation: matched again (or created) there."""
        self.write({self._xero_id_field: False, "odoo_hashes": False, "xero_hashes": False, "xero_updated": False,
                    "last_sync": False, "error": False, "needs_review": False, "create_new": False,
                    "state": "pending", "attempts": 0, "next_retry": False})

    # -- buttons ------------------------------------------------------------------------------
    def action_resync(self, queue=False):
        """Send the records again: every field group counts as changed in Odoo, and matching runs
        again if a link has no Xero record yet. Small selections are sent at once; big ones (or
        with ``queue``: part of a bigger one) by the scheduled push."""
        if not self.env.user.has_group("xero_connector.group_xero_user"):
            raise AccessError(self.env._("Only Xero users may send records to Xero."))
        self.check_access("read")  # their own companies' links only
        links = self.sudo()
        links._forget_proposals()
        links.mark_pending({"odoo_hashes": False})
        if queue or len(links) > push.INTERACTIVE_LIMIT:
            links._trigger_push()
            return True
        for _connection, group in links.grouped("connection_id").items():
            if group.connection_id.state == "connected":
                push.push_links(group, interactive=True)
        failed = links.filtered(lambda link: link.state == "error")
        if not failed:
            return True
        # Said at once, not only on the record: the person clicked and waits for an answer.
        first = failed[0]
        message = first.error
        if first.next_retry:
            when = fields.Datetime.context_timestamp(first, first.next_retry).strftime("%H:%M")
            message = self.env._("%(error)s Next try at %(when)s.", error=first.error, when=when)
        if len(failed) > 1:
            message = self.env._("%(message)s (and %(count)s more not sent)", message=message, count=len(failed) - 1)
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Not sent to Xero"), "message": message, "type": "warning",
            "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    def action_open_record(self):
        self.ensure_one()
        record = self._record()
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form"}

    def _forget_proposals(self):
        """Drop the match proposals of these links (objects with a review override it)."""

    # -- locks ----------------------------------------------------------------------------------
    def _lock_free(self, where, params, limit=None, order="id"):
        """Ids of links matching the SQL condition ``where`` that no other transaction holds,
        locked for this one. ``NO KEY``: rows that reference a held link (a queued change, a match
        proposal) can still be inserted meanwhile; SKIP LOCKED: never wait for another worker."""
        self.env.flush_all()
        query = "SELECT id FROM %s WHERE %s ORDER BY %s" % (self._table, where, order)
        if limit:
            query += " LIMIT %d" % int(limit)
        self.env.cr.execute(query + " FOR NO KEY UPDATE SKIP LOCKED", params)
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _lock_these(self):
        """Those of these links that no other transaction holds, locked for this one."""
        if not self:
            return self
        return self._lock_free("id IN %s", (tuple(self.ids),))

    def _lock_due(self, connection, limit):
        """A batch of this connection's links due for a push: pending, or failed and due for an
        automatic retry."""
        return self._lock_free(
            "connection_id = %s AND (state = 'pending' OR (state = 'error' AND next_retry <= %s))",
            (connection.id, fields.Datetime.now()), limit)

    def _count_due(self, connection):
        """(links of the connection due for a push now, the next automatic retry to come)."""
        self.env.flush_all()
        self.env.cr.execute("""
            SELECT count(*) FILTER (WHERE state = 'pending' OR next_retry <= %(now)s),
                   min(next_retry) FILTER (WHERE next_retry > %(now)s)
              FROM {table} WHERE connection_id = %(connection)s
               AND (state = 'pending' OR (state = 'error' AND next_retry IS NOT NULL))
        """.format(table=self._table), {"now": fields.Datetime.now(), "connection": connection.id})
        return self.env.cr.fetchone()

    # -- which records sync ---------------------------------------------------------------------
    @api.model
    def _ensure_links(self, records, connections=None):
        """Pending links for these records with ``connections``, by default every connection of a
        company that may use them (a record of no company goes to every organisation). Returns
        the links created."""
        Link = self.sudo()
        if not records:
            return Link
        if connections is None:
            # Every connection: one per company at most.
            connections = self.env["xero.connection"].sudo().search([])  # pylint: disable=no-search-all
        field = self._xero_record_field
        existing = set(Link.search([(field, "in", records.ids), ("connection_id", "in", connections.ids)]).mapped(
            lambda link: (link[field].id, link.connection_id.id)))
        vals = [{field: r.id, "connection_id": c.id, "state": "pending"}
                for r in records for c in connections
                if (r.id, c.id) not in existing and (not r.company_id or r.company_id == c.company_id)]
        links = Link.create(vals) if vals else Link
        if links:
            links._trigger_push()
        return links

    @api.model
    def _links_of(self, records, connection):
        return self.sudo().search([(self._xero_record_field, "in", records.ids), ("connection_id", "=", connection.id)])

    # -- the current company's link of a record (the fields records show) -----------------------
    @api.model
    def _current_links(self, records):
        """{record id: link} of ``records`` with the current company's connection."""
        connection = self.env.company.sudo().xero_connection_id
        if not connection or not records:
            return {}
        links = self._links_of(records, connection)
        return {link[self._xero_record_field].id: link for link in links}

    @api.model
    def _search_current(self, operator, value):
        """The domain on the records whose current company's Xero id matches (for a ``search=``)."""
        links = self.sudo()._search([("company_id", "=", self.env.company.id), (self._xero_id_field, operator, value)])
        return [("id", "in", links.subselect(self._xero_record_field))]

    @api.model
    def _push_now(self, records, connection):
        """Make sure these records exist in ``connection``'s Xero organisation now, because another
        object needs them there (an order's customer and products): they get links whatever the
        scope, and those not in sync are pushed at once, ahead of the queue. Returns {record id:
        link}: synced, or in error saying why, or still pending when another worker is sending
        it at this very moment (the caller waits for it, or tries again)."""
        self._ensure_links(records, connection)
        links = self._links_of(records, connection)
        due = links.filtered(lambda link: link.state != "synced" or not link._xero_id())
        if due:
            due.filtered(lambda link: link.state == "not_synced" or (link.state == "error" and not link.needs_review)) \
                .mark_pending()
            push.push_links(due.filtered(lambda link: link.state == "pending"), interactive=True)
        return {link[self._xero_record_field].id: link for link in links}

    @api.model
    def _xero_ids_linked(self, connection, xero_ids):
        """Those of ``xero_ids`` already linked to a record of this connection."""
        if not xero_ids:
            return set()
        self.flush_model([self._xero_id_field, "connection_id"])
        self.env.cr.execute("SELECT {id} FROM {table} WHERE connection_id = %s AND {id} IN %s".format(
            id=self._xero_id_field, table=self._table), (connection.id, tuple(xero_ids)))
        return {row[0] for row in self.env.cr.fetchall()}

    # -- noticing Odoo's changes --------------------------------------------------------------
    @api.model
    def _note_record_changes(self, record_ids, groups):
        """Odoo changed ``groups`` of these records: their links go pending and remember when (for
        "newest wins"). Values pulled from a connection (the ``xero_pull`` context: its id) mark
        the links with the other connections only; ``xero_pull=True`` marks none. Links a push
        holds (locked for its Xero calls) are not waited for: the change is queued for them
        (``xero.sync.change``) and the next run applies it."""
        pulled = self.env.context.get("xero_pull")
        if not record_ids or not groups or pulled is True:
            return
        self.flush_model([self._xero_record_field, "connection_id"])
        self.env.cr.execute("""
            WITH free AS (SELECT id FROM {table}
                           WHERE {record} IN %(records)s AND connection_id != %(pulled)s
                             FOR NO KEY UPDATE SKIP LOCKED)
            SELECT l.id, free.id IS NOT NULL FROM {table} l LEFT JOIN free ON free.id = l.id
             WHERE l.{record} IN %(records)s AND l.connection_id != %(pulled)s
        """.format(table=self._table, record=self._xero_record_field),
            {"records": tuple(record_ids), "pulled": pulled or 0})
        rows = self.env.cr.fetchall()
        links = self.browse([link_id for link_id, free in rows if free])
        held = self.browse([link_id for link_id, free in rows if not free])
        now = fields.Datetime.to_string(fields.Datetime.now())
        if held:
            self.env["xero.sync.change"]._queue(held, groups, now)
            held._trigger_push()
        if links:
            woke = links.filtered(lambda link: link.state != "pending")
            links.note_change({group: now for group in groups})
            if woke:
                woke._trigger_push()

    def _trigger_push(self, at=None):
        self.env["xero.sync.state"]._trigger("push", at)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_by_administrators(self):
        if any(link._xero_id() for link in self) and not self.env.user.has_group("xero_connector.group_xero_admin"):
            raise UserError(self.env._("Only a Xero administrator may remove a link to a Xero record."))

    def unlink(self):
        self.env["xero.sync.change"].sudo()._forget(self)
        return super().unlink()
