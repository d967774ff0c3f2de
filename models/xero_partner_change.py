"""A change Odoo made to a customer while a push held its link: queued, never waited for.

The push locks a batch of links for as long as its Xero calls last. A user saving one of those
customers must not wait for it, so ``res.partner._xero_mark_pending`` writes the links that are
free and inserts a row here for each one another transaction holds. The next push or pull of the
connection applies the rows first (``_apply``), in its own transaction: the link goes pending
with the newer change times, and the rows are deleted. Only sudo reads or writes this model.
"""
from odoo import api, fields, models


class XeroPartnerChange(models.Model):
    _name = "xero.partner.change"
    _description = "Xero contact change waiting for its link"
    _log_access = False

    link_id = fields.Many2one("xero.partner.link", required=True, ondelete="cascade", index=True)
    groups = fields.Json(required=True, help="The field groups Odoo changed (a list).")
    changed_at = fields.Datetime(required=True)

    @api.model
    def _apply(self, connection):
        """Move the queued changes of ``connection``'s free links onto them; links another worker
        holds keep theirs for the next run."""
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("""SELECT id FROM xero_partner_link
                       WHERE connection_id = %s AND id IN (SELECT link_id FROM xero_partner_change)
                       FOR NO KEY UPDATE SKIP LOCKED""", (connection.id,))
        link_ids = [row[0] for row in cr.fetchall()]
        if not link_ids:
            return
        cr.execute("DELETE FROM xero_partner_change WHERE link_id IN %s RETURNING link_id, groups, changed_at",
                   (tuple(link_ids),))
        queued = {}
        for link_id, groups, changed_at in cr.fetchall():
            when = fields.Datetime.to_string(changed_at)
            changes = queued.setdefault(link_id, {})
            for group in groups:
                changes[group] = max(changes.get(group, when), when)
        self.invalidate_model()
        for link in self.env["xero.partner.link"].sudo().browse(list(queued)):
            link._note_odoo_change(queued[link.id])
