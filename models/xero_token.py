from odoo import fields, models


class XeroToken(models.Model):
    """The grant of one connection: encrypted tokens and whether Xero still accepts them.

    Kept apart from ``xero.connection`` because it is written only in short transactions of
    its own, under a row lock (see ``xero.connection._xero_access_token``): business
    transactions never write it, so they never collide with a renewal done by another worker.
    """

    _name = "xero.token"
    _description = "Xero grant"
    _log_access = False

    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    access_token_enc = fields.Char(copy=False)
    refresh_token_enc = fields.Char(copy=False)
    expires_at = fields.Float(help="When the access token expires (Unix time).")
    scope = fields.Char()
    status = fields.Selection(
        [("ok", "Accepted"), ("expired", "Expired"), ("error", "Refused")], default="ok", required=True)
    error = fields.Text()
    refreshed_at = fields.Datetime()

    _sql_constraints = [("connection_uniq", "unique(connection_id)", "One grant per connection.")]
