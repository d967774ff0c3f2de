"""A consent in progress: the OAuth2 ``state`` that ties Xero's answer to who asked.

The state sent to Xero is a random token; only its hash is stored, with the user, the
connection, the database and the PKCE verifier (encrypted). It is single use and expires
after ten minutes, so a forged, replayed or stale callback is refused.
"""
import hashlib
import secrets
from datetime import timedelta

from odoo import api, fields, models

from ..tools import crypto

TTL = timedelta(minutes=10)


class OAuthStateError(Exception):
    """The callback cannot be trusted; the message is for the person in front of the page."""


class XeroOAuthState(models.Model):
    _name = "xero.oauth.state"
    _description = "Xero consent in progress"
    _order = "id desc"

    key_hash = fields.Char(required=True, index=True)
    connection_id = fields.Many2one("xero.connection", required=True, ondelete="cascade")
    company_id = fields.Many2one(related="connection_id.company_id", store=True)
    user_id = fields.Many2one("res.users", required=True, ondelete="cascade")
    db_name = fields.Char(required=True)
    verifier_enc = fields.Char()
    expires_at = fields.Datetime(required=True)
    status = fields.Selection([("pending", "Waiting for Xero"), ("picking", "Choosing the organisation"),
                               ("done", "Done"), ("failed", "Failed")], default="pending", required=True)
    tenants = fields.Json(help="Organisations offered by Xero, while the administrator chooses.")

    @staticmethod
    def _hash(key):
        return hashlib.sha256((key or "").encode()).hexdigest()

    @api.model
    def _start(self, connection, verifier):
        key = secrets.token_urlsafe(32)
        self.sudo().create({
            "key_hash": self._hash(key),
            "connection_id": connection.id,
            "user_id": self.env.uid,
            "db_name": self.env.cr.dbname,
            "verifier_enc": crypto.encrypt(verifier),
            "expires_at": fields.Datetime.now() + TTL,
        })
        return key

    @api.model
    def _take(self, key, status="pending"):
        """The state matching ``key`` for the current user, or OAuthStateError.

        Taking a pending state marks it used at once: a replay finds it used.
        """
        state = self.sudo().search([("key_hash", "=", self._hash(key))], limit=1) if key else self.browse()
        if not state:
            raise OAuthStateError(self.env._("This Xero answer does not match any connection request (unknown state). "
                                    "Start again from Settings → Xero."))
        if state.user_id.id != self.env.uid or state.db_name != self.env.cr.dbname:
            raise OAuthStateError(self.env._("This Xero answer belongs to another user's or database's request."))
        if state.status != status:
            raise OAuthStateError(self.env._("This Xero answer was already used. Start again from Settings → Xero."))
        if state.expires_at < fields.Datetime.now():
            state.status = "failed"
            raise OAuthStateError(self.env._("This connection request expired (after %(minutes)s minutes). "
                                    "Start again from Settings → Xero.", minutes=int(TTL.total_seconds() // 60)))
        if status == "pending":
            state.status = "failed"  # until the exchange succeeds; never usable twice
        return state

    def _verifier(self):
        return crypto.decrypt(self.verifier_enc)

    @api.autovacuum
    def _gc_expired(self):
        self.sudo().search([("expires_at", "<", fields.Datetime.now() - timedelta(days=1))]).unlink()
