from odoo import fields, models


class XeroQuota(models.Model):
    """Call counters of one Xero organisation, shared by all workers (see tools/quota_store.py)."""

    _name = "xero.quota"
    _description = "Xero call quota"
    _log_access = False

    key = fields.Char(required=True, index=True)
    state = fields.Json()

    _sql_constraints = [("key_uniq", "unique(key)", "One quota row per Xero organisation.")]
