from datetime import timedelta

from odoo import api, fields, models

from ..sync.engine import messages, registry
from ..tools import bulk
from ..tools.side_cursor import side_env


class XeroSyncLog(models.Model):
    """One row per record moved between Odoo and Xero and per failed call.

    Rows are written in batches (one INSERT per sync run, not one per record) and, for
    failures, in a transaction of their own so a rolled-back sync still leaves its trace.
    Never holds a token: messages come from the typed errors of ``xero/errors.py``.
    """

    _name = "xero.sync.log"
    _description = "Xero Sync Log"
    _order = "id desc"
    _rec_name = "operation"

    connection_id = fields.Many2one("xero.connection", ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", index=True, default=lambda self: self.env.company)
    direction = fields.Selection([("out", "Odoo → Xero"), ("in", "Xero → Odoo")], default="out")
    model = fields.Char("Odoo model")
    res_id = fields.Integer("Odoo record ID")
    record_name = fields.Char("Odoo record")
    xero_id = fields.Char("Xero ID", index="btree_not_null")
    operation = fields.Char("Technical operation", required=True)
    action = fields.Char("What", compute="_compute_action",
                         help="What happened, in words: created in Xero, read from Xero...")
    record_ref = fields.Reference("_record_models", string="Record", compute="_compute_record_ref")
    result = fields.Selection([("success", "Success"), ("error", "Error"), ("skipped", "Skipped")],
                              required=True, default="success", index=True)
    http_status = fields.Integer("HTTP status")
    message = fields.Text()
    duration = fields.Float("Duration (s)", digits=(12, 3))
    correlation_id = fields.Char("Xero correlation ID")

    @api.model
    def _record_models(self):
        """What a row may be about: the synced records and the connection."""
        names = list(dict.fromkeys([sync_type.record_model for sync_type in registry.ordered()] + ["xero.connection"]))
        return [(name, self.env[name]._description) for name in names if name in self.env]

    @api.depends("operation", "direction")
    def _compute_action(self):
        for row in self:
            row.action = messages.operation_label(self.env, row.operation, row.direction)

    @api.depends("model", "res_id")
    def _compute_record_ref(self):
        for row in self:
            known = row.model in dict(self._record_models()) and row.res_id \
                and self.env[row.model].browse(row.res_id).exists()
            row.record_ref = "%s,%s" % (row.model, row.res_id) if known else False

    def _log_calls(self, connection, calls):
        """Record the failed calls of a session (successful ones are logged per record)."""
        # One row per action that failed at least once: the client's retries of one call (its
        # attempts 1, 2...) are counted in it; an action Xero answered in the end is no error.
        actions, running = [], {}
        for call in calls:
            action = running.get(call.operation)
            if action is None or call.attempt == 1:
                action = running[call.operation] = {"operation": call.operation, "failed": [], "answered": False}
                actions.append(action)
            if call.error is None:
                action["answered"] = True
                del running[call.operation]
            else:
                action["failed"].append(call)
        rows = []
        for action in actions:
            failed = action["failed"]
            if not failed:
                continue
            last = failed[-1]
            if action["answered"]:
                message = self.env._("Xero answered after %(count)s failed attempts (%(error)s).",
                                     count=len(failed), error=last.error)
            elif len(failed) > 1:
                message = self.env._("%(error)s (%(count)s attempts)", error=last.error, count=len(failed))
            else:
                message = str(last.error)
            rows.append({"operation": action["operation"], "result": "success" if action["answered"] else "error",
                         "http_status": last.status or 0, "message": message,
                         "duration": sum(call.duration or 0.0 for call in failed),
                         "correlation_id": last.correlation_id})
        if rows:
            self._write_rows(connection, rows)

    def _log_records(self, connection, rows, with_transaction=False):
        """Record moved or refused records: dicts with model, res_id, xero_id, operation, result...
        ``with_transaction``: the rows tell what the current transaction did, and are kept or lost
        with it (a page of the pull, committed right after); by default they are kept whatever
        becomes of it."""
        if rows:
            self._write_rows(connection, rows, with_transaction)

    def _write_rows(self, connection, rows, with_transaction=False):
        for row in rows:
            row.setdefault("connection_id", connection.id)
            row.setdefault("company_id", connection.company_id.id)
        if with_transaction:
            bulk.insert(self.sudo(), rows)
            return
        with side_env(self.env, "xero.connection", connection.id) as env:
            bulk.insert(env["xero.sync.log"].sudo(), rows)

    @api.model
    def _cron_purge(self):
        days = int(self.env["ir.config_parameter"].sudo().get_param("xero_connector.log_retention_days", 90))
        if days > 0:
            # Plain SQL: the log has no dependent data, and an ORM unlink of a year of rows
            # would load them all first.
            limit = fields.Datetime.now() - timedelta(days=days)
            self.env.cr.execute("DELETE FROM xero_sync_log WHERE create_date < %s", (limit,))
            self.invalidate_model()

    def action_open_record(self):
        self.ensure_one()
        if not self.model or not self.res_id or self.model not in self.env:
            return False
        return {"type": "ir.actions.act_window", "res_model": self.model, "res_id": self.res_id,
                "view_mode": "form", "name": self.record_name or self.env._("Record")}
