"""Creates whose outcome may be unknown: see ``sync/engine/attempts.py``."""
from odoo import fields, models


class XeroSyncAttempt(models.Model):
    _name = "xero.sync.attempt"
    _description = "Xero create in flight"
    _log_access = False

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    object = fields.Char(required=True)
    res_id = fields.Integer("Record", required=True)
    sent_at = fields.Datetime(required=True)

    _sql_constraints = [("attempt_uniq", "unique(connection_id, object, res_id)", "One attempt per record.")]
