"""Changes Xero's webhooks announced: stored as they arrive, read back by a scheduled action.

One row per event: which record (category and Xero id), what happened, when Xero says it did.
The same event delivered twice (Xero retries a delivery it thinks failed) is kept once: the
unique key below, and the insert that skips what it already has. Rows handled more than
``KEEP_DAYS`` ago are removed by the same scheduled action.
"""
from datetime import timedelta

from psycopg2.extras import execute_values

from odoo import api, fields, models

from ..sync.engine import webhooks

KEEP_DAYS = 30
CATEGORIES = [("CONTACT", "Contact"), ("INVOICE", "Invoice"), ("CREDITNOTE", "Credit note")]


class XeroWebhookEvent(models.Model):
    _name = "xero.webhook.event"
    _description = "Change announced by Xero"
    _order = "id desc"
    _rec_name = "resource_id"
    _log_access = False  # written by one statement per delivery: received_at says when

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    category = fields.Selection(CATEGORIES, required=True)
    event_type = fields.Selection([("CREATE", "Created"), ("UPDATE", "Changed")], "Change", required=True)
    resource_id = fields.Char("Xero ID", required=True)
    event_date = fields.Datetime("Changed in Xero at", required=True)
    received_at = fields.Datetime("Received at", required=True)
    state = fields.Selection([("new", "To read"), ("done", "Read")], required=True, default="new", index=True)
    done_at = fields.Datetime("Read at")

    _sql_constraints = [("event_uniq", "unique(connection_id, category, resource_id, event_type, event_date)",
                         "Xero's events are kept once.")]

    @api.model
    def _receive(self, connection_id, company_id, events):
        """Store the events of one delivery (``xero/webhooks.Event``) for this connection; those
        already stored are skipped. Returns how many are new."""
        if not events:
            return 0
        now = fields.Datetime.now()
        rows = [(connection_id, company_id, e.category, e.type if e.type in ("CREATE", "UPDATE") else "UPDATE",
                 e.resource_id, e.date, now, "new") for e in events]
        inserted = execute_values(self.env.cr, """
            INSERT INTO xero_webhook_event (connection_id, company_id, category, event_type, resource_id,
                                            event_date, received_at, state)
            VALUES %s ON CONFLICT DO NOTHING RETURNING id""", rows, fetch=True)
        return len(inserted)

    @api.model
    def _trigger(self, at=None):
        cron = self.env.ref("xero_connector.ir_cron_xero_webhooks", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger(at)

    @api.model
    def _cron_process(self):
        """Read the records the pending events named, for every connected connection; called
        again at once while events remain, and when the quota or Xero allow it otherwise."""
        done = left = 0
        retry_at = None
        for connection in self.env["xero.sync.state"]._connected():
            handled, pending, stopped_until = webhooks.process(connection)
            done += handled
            left += pending
            if stopped_until:
                retry_at = min(retry_at or stopped_until, stopped_until)
        self.env.cr.execute("DELETE FROM xero_webhook_event WHERE state = 'done' AND done_at < %s",
                            (fields.Datetime.now() - timedelta(days=KEEP_DAYS),))
        self.env["ir.cron"]._notify_progress(done=done, remaining=left if done else 0)
        if left and done:
            self._trigger()
        if retry_at:
            self._trigger(retry_at)
        return done
