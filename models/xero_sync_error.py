"""The error log: every record of every synced object whose sync failed, in one list.

Not a table of its own: a read-only SQL view over the link tables of the engine's objects (mirrors
have no links with a state), one row per link in error. The links stay the truth (the engine
writes their state, retries and reasons); this view only gathers them, so it can never disagree
with them. Resync goes to the links' own ``action_resync``.
"""
from odoo import api, fields, models, tools
from odoo.tools import SQL

from ..sync.engine import push, registry

# What the view shows of each link; a write to one of these fields is flushed before the view
# is read (``_depends``).
LINK_FIELDS = ["connection_id", "company_id", "state", "error", "attempts", "next_retry", "last_attempt",
               "needs_review"]
# A row's id is its link's id * ID_FACTOR + the object's position in the registry: unique across
# the link tables, and the same for as long as the link stays in error (and the objects known
# to the engine stay the same).
ID_FACTOR = 10


def _synced_types():
    """The objects with links of their own (not mirrors), dependency order first."""
    return [sync_type for sync_type in registry.ordered() if not sync_type.mirror]


def _object_index(sync_type):
    return registry.ordered().index(sync_type)


class XeroSyncError(models.Model):
    _name = "xero.sync.error"
    _description = "Xero sync error"
    _auto = False
    _order = "last_attempt desc nulls last, id desc"
    _depends = {sync_type.link_model: LINK_FIELDS for sync_type in _synced_types()}

    object = fields.Selection(lambda self: [(t.name, t.label) for t in _synced_types()], readonly=True)
    record = fields.Reference("_record_models", readonly=True)
    # What the lists show of the record: its name read with the rights of the sync, so that an
    # administrator sees what failed even in an application they have no rights to.
    record_name = fields.Char("Record name", compute="_compute_record_name")
    link_id = fields.Integer("Xero link", readonly=True)
    connection_id = fields.Many2one("xero.connection", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    error = fields.Text("Reason", readonly=True)
    last_attempt = fields.Datetime("Last attempt", readonly=True)
    attempts = fields.Integer("Failed attempts", readonly=True,
                              help="Attempts in a row that Xero did not take; a Resync or a change starts again.")
    next_retry = fields.Datetime("Next automatic retry", readonly=True,
                                 help="Empty: the record waits for a fix in Odoo or a Resync.")
    needs_review = fields.Boolean(readonly=True, help="Xero may already have this record: an administrator decides.")
    status = fields.Selection([("waiting", "Needs a fix"), ("retrying", "Retrying"),
                               ("review", "In review")], readonly=True)

    @api.model
    def _record_models(self):
        names = dict.fromkeys(sync_type.record_model for sync_type in _synced_types())
        return [(name, self.env[name]._description) for name in names if name in self.env]

    def init(self):
        """(Re)built at every install and update, after the link tables (their models load first)."""
        types = _synced_types()
        assert len(registry.ordered()) <= ID_FACTOR, "more objects than the row ids leave room for"
        selects = []
        for sync_type in types:
            links = self.env[sync_type.link_model]
            selects.append(SQL(
                """SELECT l.id * %(factor)s + %(index)s AS id, %(object)s::varchar AS object, l.id AS link_id,
                          %(model)s || l.%(record)s AS record, l.connection_id, l.company_id, l.error,
                          l.last_attempt, l.attempts, l.next_retry, coalesce(l.needs_review, false) AS needs_review,
                          CASE WHEN l.needs_review THEN 'review'
                               WHEN l.next_retry IS NOT NULL THEN 'retrying'
                               ELSE 'waiting' END::varchar AS status
                     FROM %(table)s l
                    WHERE l.state = 'error'""",
                factor=ID_FACTOR, index=_object_index(sync_type), object=sync_type.name,
                model=sync_type.record_model + ",", record=SQL.identifier(links._xero_record_field),
                table=SQL.identifier(links._table)))
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("CREATE VIEW %s AS (%s)", SQL.identifier(self._table),
                                SQL(" UNION ALL ").join(selects)))

    @api.depends("record")
    def _compute_record_name(self):
        for row in self:
            row.record_name = row.record.sudo().display_name if row.record else False

    @api.depends("record_name")
    def _compute_display_name(self):
        for row in self:
            row.display_name = row.record_name

    # -- what the rows are ---------------------------------------------------------------------
    def _links(self):
        """{object name: its links} of these rows, as the current user."""
        by_object = {}
        for row in self:
            by_object.setdefault(row.object, []).append(row.link_id)
        return {name: self.env[registry.get(name).link_model].browse(ids) for name, ids in by_object.items()}

    @api.model
    def _xero_error_counts(self, connection):
        """{object name: records of ``connection`` whose sync failed}, objects with any."""
        groups = self.sudo()._read_group([("connection_id", "=", connection.id)], ["object"], ["__count"])
        return {name: count for name, count in groups if count}

    @api.model
    def _xero_error_count_for_user(self):
        """Records in error in the companies the current user works in now (as the list shows them)."""
        return self.sudo().search_count([("company_id", "in", self.env.companies.ids)])

    # -- buttons -------------------------------------------------------------------------------
    def action_resync(self):
        """Send these records again, each through its object's own Resync (a few at once, many
        by the scheduled push), and say what came of it."""
        by_object = self._links()
        # What records reference goes first (customers before their orders); one click sends
        # at most what one click may, whatever the objects: more go to the scheduled push.
        links = [by_object[sync_type.name] for sync_type in registry.ordered() if sync_type.name in by_object]
        queue = len(self) > push.INTERACTIVE_LIMIT
        for group in links:
            group.action_resync(queue=queue)
        sent = queued = 0
        failed = []
        for group in links:
            for link in group.sudo():
                if link.state == "synced":
                    sent += 1
                elif link.state == "error":
                    failed.append(link)
                else:
                    queued += 1
        return self._resync_notification(sent, queued, failed)

    def _resync_notification(self, sent, queued, failed):
        parts = []
        if sent:
            parts.append(self.env._("%(count)s sent to Xero.", count=sent))
        if queued:
            parts.append(self.env._("%(count)s on their way: the background sync sends them in the next minutes.",
                                    count=queued))
        if len(failed) > 1:
            parts.append(self.env._("%(count)s still not sent: %(reason)s", count=len(failed),
                                    reason=failed[0].error))
        elif failed:
            parts.append(self.env._("Still not sent: %(reason)s", reason=failed[0].error))
        if not parts:
            parts.append(self.env._("Nothing to send: these records are no longer in error."))
        return {"type": "ir.actions.client", "tag": "display_notification", "params": {
            "title": self.env._("Not all sent to Xero") if failed else self.env._("Resync"),
            "message": " ".join(parts), "type": "warning" if failed else "success",
            "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    def action_open_record(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": self.record._name, "res_id": self.record.id,
                "view_mode": "form"}

    def action_open_link(self):
        """The record's Xero link: its Xero id, its history, its match proposals."""
        self.ensure_one()
        link = self._links()[self.object]
        return {"type": "ir.actions.act_window", "res_model": link._name, "res_id": link.id, "view_mode": "form"}
