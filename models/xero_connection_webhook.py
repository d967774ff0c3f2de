"""A connection's webhook: the unguessable address Xero posts to, and the key that signs it.

Xero signs each delivery with the webhook key of the app (HMAC-SHA256 of the raw body): the
key is a secret like the client secret, kept encrypted (``tools/crypto.py``) and readable by
Xero administrators only. The address carries a random token per connection rather than the
connection's database id, so nobody can guess where to post.
"""
# Small files with one role each: this one extends models that others extend too, on purpose.
# pylint: disable=consider-merging-classes-inherited
import secrets

from odoo import api, fields, models

from ..tools import crypto
from .xero_connection import ADMIN

WEBHOOK_ROUTE = "/xero_connector/webhook/"


def new_token():
    return secrets.token_urlsafe(24)


class XeroConnection(models.Model):
    _inherit = "xero.connection"

    webhook_key = fields.Char(
        "Webhook key", compute="_compute_webhook_key", inverse="_inverse_webhook_key", groups=ADMIN,
        help="The webhooks key Xero shows for your app (developer portal, Webhooks): Xero signs every delivery "
             "with it, and deliveries not signed with it are refused.")
    webhook_key_enc = fields.Char(groups=ADMIN, copy=False)
    # Set on create (and by the 18.0.1.5.0 migration): a column default would give every
    # existing connection the same one.
    webhook_token = fields.Char(groups=ADMIN, copy=False, index=True, readonly=True)
    webhook_url = fields.Char(
        "Webhook delivery URL", compute="_compute_webhook_url", groups=ADMIN,
        help="Enter this address as the delivery URL of your app's webhook in Xero's developer portal.")
    webhook_last_event_at = fields.Datetime(
        "Last webhook delivery", readonly=True, copy=False,
        help="When Xero last delivered changes through the webhook (its checks of the address not counted).")

    _sql_constraints = [("webhook_token_uniq", "unique(webhook_token)", "Each connection has its own webhook address.")]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            vals.setdefault("webhook_token", new_token())
        return super().create(vals_list)

    def _compute_webhook_key(self):
        for connection in self:
            connection.webhook_key = crypto.decrypt(connection.webhook_key_enc)

    def _inverse_webhook_key(self):
        for connection in self:
            connection.webhook_key_enc = crypto.encrypt((connection.webhook_key or "").strip())

    @api.depends("webhook_token")
    def _compute_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for connection in self:
            token = connection.sudo().webhook_token
            connection.webhook_url = base + WEBHOOK_ROUTE + token if token else False
