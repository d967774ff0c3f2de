"""A change Odoo made to a record while a push held its link: queued, never waited for.

The push locks a batch of links for as long as its Xero calls last. A user saving one of those
records must not wait for it, so ``xero.link.mixin._note_record_changes`` writes the links that
are free and inserts a row here for each one another transaction holds. The next push or pull of
the connection applies the rows first (``_apply``), in its own transaction: the link goes pending
with the newer change times, and the rows are deleted. One queue for every object: a row names
its link by model and id. Only sudo reads or writes this model.
"""
from odoo import api, fields, models


class XeroSyncChange(models.Model):
    _name = "xero.sync.change"
    _description = "Xero change waiting for its link"
    _log_access = False

    link_model = fields.Char(required=True, index=True)
    link_id = fields.Many2oneReference(required=True, model_field="link_model", index=True)
    groups = fields.Json(required=True, help="The field groups Odoo changed (a list).")
    changed_at = fields.Datetime(required=True)

    @api.model
    def _queue(self, links, groups, when):
        self.sudo().create([{"link_model": links._name, "link_id": link.id, "groups": sorted(groups),
                             "changed_at": when} for link in links])

    @api.model
    def _forget(self, links):
        if links:
            self.sudo().search([("link_model", "=", links._name), ("link_id", "in", links.ids)]).unlink()

    @api.model
    def _apply(self, connection, link_model):
        """Move the queued changes of ``connection``'s free links of ``link_model`` onto them;
        links another worker holds keep theirs for the next run."""
        Link = self.env[link_model].sudo()
        cr = self.env.cr
        self.flush_model()
        # Rows whose link is gone (a connection removed with its links) are dropped on the way.
        cr.execute("DELETE FROM xero_sync_change c WHERE link_model = %s AND NOT EXISTS "
                   "(SELECT 1 FROM {table} l WHERE l.id = c.link_id)".format(table=Link._table), (link_model,))
        links = Link._lock_free("connection_id = %s AND id IN (SELECT link_id FROM xero_sync_change "
                                "WHERE link_model = %s)", (connection.id, link_model))
        if not links:
            return
        cr.execute("DELETE FROM xero_sync_change WHERE link_model = %s AND link_id IN %s "
                   "RETURNING link_id, groups, changed_at", (link_model, tuple(links.ids)))
        queued = {}
        for link_id, groups, changed_at in cr.fetchall():
            when = fields.Datetime.to_string(changed_at)
            changes = queued.setdefault(link_id, {})
            for group in groups:
                changes[group] = max(changes.get(group, when), when)
        self.invalidate_model()
        for link in Link.browse(list(queued)):
            link.note_change(queued[link.id])
