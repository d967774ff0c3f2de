"""The Xero organisation a company is connected to: credentials, grant, and the client.

Everything that talks to Xero gets its client from ``_xero_session()``, which wires the
pure layer (``xero/``) to Odoo: endpoints from system parameters, tokens from the
encrypted grant, the quota shared through PostgreSQL, and failed calls into the sync log.
"""
import contextlib
import logging

import psycopg2

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tools import crypto
from ..tools.quota_store import PgQuotaStore
from ..tools.side_cursor import side_env
from ..xero.client import XeroClient
from ..xero.clock import REAL_CLOCK
from ..xero.endpoints import Endpoints
from ..xero import oauth
from ..xero.errors import AuthenticationError, TransportError, XeroError
from ..xero.quota import Limiter, Limits
from ..xero.tokens import RENEW_MARGIN, TokenClient

_logger = logging.getLogger(__name__)

ADMIN = "xero_connector.group_xero_admin"
PARAM = "xero_connector."
CALLBACK_ROUTE = "/xero_connector/oauth/callback"
ACTIVITY_TYPE = "xero_connector.mail_activity_type_xero"


class XeroConnection(models.Model):
    _name = "xero.connection"
    _description = "Xero Connection"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "company_id, id"

    name = fields.Char(required=True, default=lambda self: self.env._("Xero"), tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company,
                                 index=True)
    auth_type = fields.Selection([("custom", "Custom connection"), ("oauth", "Standard OAuth2 app")],
                                 string="Connection type", required=True, default="custom", tracking=True)
    client_id = fields.Char("Client ID", tracking=True)
    client_secret = fields.Char("Client secret", compute="_compute_client_secret",
                                inverse="_inverse_client_secret", groups=ADMIN)
    client_secret_enc = fields.Char(groups=ADMIN, copy=False)
    tenant_id = fields.Char("Tenant ID", readonly=True, copy=False, tracking=True)
    tenant_name = fields.Char("Organisation", readonly=True, copy=False, tracking=True)
    xero_connection_ref = fields.Char("Xero connection ID", readonly=True, copy=False,
                                      help="The id of this app's connection to the organisation (OAuth apps).")
    granted_scopes = fields.Char("Granted scopes", compute="_compute_state")
    callback_url = fields.Char("Redirect URI", compute="_compute_callback_url",
                               help="Register this URL as a redirect URI of your app in Xero's developer portal.")
    state = fields.Selection(
        [("draft", "Not connected"), ("connected", "Connected"), ("expired", "Expired"),
         ("error", "Error")], compute="_compute_state", search="_search_state")
    token_id = fields.Many2one("xero.token", compute="_compute_state", groups=ADMIN)
    unreachable_since = fields.Datetime(
        "Xero unreachable since", readonly=True, copy=False,
        help="Set when calls to Xero got no answer at all; cleared by the next call Xero answers.")
    access_token = fields.Char(compute="_compute_tokens", groups=ADMIN)
    refresh_token = fields.Char(compute="_compute_tokens", groups=ADMIN)
    last_error = fields.Text(compute="_compute_state")
    last_refresh = fields.Datetime("Grant last renewed", compute="_compute_state")

    @api.constrains("active", "company_id")
    def _check_one_per_company(self):
        for connection in self.filtered("active"):
            if self.search_count([("company_id", "=", connection.company_id.id), ("id", "!=", connection.id)]):
                raise ValidationError(self.env._("Company %(company)s already has a Xero connection: edit it "
                                        "or archive it first.", company=connection.company_id.name))

    # -- secrets ----------------------------------------------------------------------
    def _compute_client_secret(self):
        for connection in self:
            connection.client_secret = crypto.decrypt(connection.client_secret_enc)

    def _inverse_client_secret(self):
        for connection in self:
            connection.client_secret_enc = crypto.encrypt(connection.client_secret)

    def _xero_grant_changed(self):
        """The grant was written in a transaction of its own: drop what this one cached."""
        self.env["xero.token"].invalidate_model()
        self.invalidate_model(["state", "token_id", "access_token", "refresh_token", "last_error",
                               "last_refresh", "granted_scopes"])

    def _tokens(self):
        """The grant rows, read without the caller's rights (they are admin-only)."""
        tokens = self.env["xero.token"].sudo().search([("connection_id", "in", self.ids)])
        return {t.connection_id.id: t for t in tokens}

    def _compute_state(self):
        tokens = self._tokens()
        for connection in self:
            token = tokens.get(connection.id)
            connection.token_id = token
            connection.last_error = token.error if token else False
            connection.last_refresh = token.refreshed_at if token else False
            connection.granted_scopes = token.scope if token else False
            if not token or not connection.tenant_id:
                connection.state = "error" if token and token.status == "error" else "draft"
            else:
                connection.state = {"ok": "connected", "expired": "expired", "error": "error"}[token.status]

    def _search_state(self, operator, value):
        if operator not in ("=", "!=", "in", "not in"):
            raise UserError(self.env._("Unsupported search on the connection state."))
        wanted = {value} if isinstance(value, str) else set(value)
        # Every connection: a handful per database (one per company at most).
        matching = self.sudo().with_context(active_test=False).search([]).filtered(  # pylint: disable=no-search-all
            lambda c: c.state in wanted)
        return [("id", "in" if operator in ("=", "in") else "not in", matching.ids)]

    def _compute_tokens(self):
        tokens = self._tokens()
        for connection in self:
            token = tokens.get(connection.id)
            connection.access_token = crypto.decrypt(token.access_token_enc) if token else False
            connection.refresh_token = crypto.decrypt(token.refresh_token_enc) if token else False

    def _compute_callback_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "").rstrip("/")
        for connection in self:
            connection.callback_url = base + CALLBACK_ROUTE

    # -- configuration ----------------------------------------------------------------
    def _xero_endpoints(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        return Endpoints(get(PARAM + "api_url"), get(PARAM + "identity_url"), get(PARAM + "login_url"))

    def _xero_limits(self):
        reserve = self.env["ir.config_parameter"].sudo().get_param(PARAM + "daily_reserve", "500")
        return Limits(daily_reserve=int(reserve))

    def _xero_token_client(self):
        self.ensure_one()
        connection = self.sudo()
        if not connection.client_id or not connection.client_secret:
            raise UserError(self.env._("Enter the Xero client ID and secret of connection %(name)s first.",
                              name=self.display_name))
        return TokenClient(self._xero_endpoints(), connection.client_id, connection.client_secret)

    # -- tokens -----------------------------------------------------------------------
    def _xero_access_token(self, stale=None):
        """A valid access token, renewed under a row lock so concurrent workers make one call.

        ``stale``: a token Xero just refused; it is renewed even if it looks valid.
        The renewed token is committed before it is returned (see tools/side_cursor.py).
        """
        self.ensure_one()
        try:
            return self._xero_access_token_locked(stale)
        finally:
            self._xero_grant_changed()

    def _xero_access_token_locked(self, stale):
        failure = None
        with side_env(self.env, self._name, self.id) as env:
            connection = self.with_env(env).sudo()
            token = connection._xero_lock_token()
            access = crypto.decrypt(token.access_token_enc)
            if token.status != "ok":
                failure = AuthenticationError(token.error or self.env._("Reconnect to Xero."), code=token.status)
            elif access and access != stale and token.expires_at - RENEW_MARGIN > REAL_CLOCK.now():
                return access  # another worker renewed it while we waited for the lock
            else:
                try:
                    # Credentials as the caller sees them (they may be unsaved in a new cursor).
                    new = self._xero_fetch_token(token)
                except AuthenticationError as exc:
                    connection._xero_record_refusal(token, exc)
                    failure = exc
                else:
                    token.write({
                        "access_token_enc": crypto.encrypt(new["access_token"]),
                        "refresh_token_enc": crypto.encrypt(new["refresh_token"]) or token.refresh_token_enc,
                        "expires_at": new["expires_at"],
                        "scope": " ".join(new["scope"]),
                        "refreshed_at": fields.Datetime.now(),
                    })
                    return new["access_token"]
        raise failure

    def _xero_lock_token(self):
        """The grant row, locked for this transaction, read fresh from the database."""
        cr = self.env.cr
        cr.execute("SELECT id FROM xero_token WHERE connection_id = %s FOR UPDATE", (self.id,))
        row = cr.fetchone()
        if not row:
            # First grant: two workers may get here at once; an advisory lock lets one create
            # it and the other then finds it. (Not the connection's row lock: the caller's own
            # transaction may hold that one, and would wait on us forever.)
            cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", ("xero_token:%d" % self.id,))
            cr.execute("SELECT id FROM xero_token WHERE connection_id = %s FOR UPDATE", (self.id,))
            row = cr.fetchone()
        if not row:
            return self.env["xero.token"].create({"connection_id": self.id})
        token = self.env["xero.token"].browse(row[0])
        token.invalidate_recordset()
        return token

    def _xero_fetch_token(self, token):
        """Ask Xero for a new access token: custom connections fetch one (they have no
        refresh token); OAuth apps spend their single-use refresh token for a new pair.

        ``token`` is the locked grant row, read in the renewal's own transaction."""
        if self.auth_type == "oauth":
            refresh_token = crypto.decrypt(token.refresh_token_enc)
            if not refresh_token:
                raise AuthenticationError(self.env._("Connection %(name)s has no Xero authorisation: click Connect.",
                                            name=self.display_name), code="no_grant")
            return self._xero_token_client().refresh(refresh_token, (token.scope or "").split())
        return self._xero_token_client().client_credentials()

    def _xero_store_grant(self, grant):
        """Keep a token pair just obtained from Xero's consent (committed at once)."""
        self.ensure_one()
        with side_env(self.env, self._name, self.id) as env:
            self.with_env(env).sudo()._xero_lock_token().write({
                "access_token_enc": crypto.encrypt(grant["access_token"]),
                "refresh_token_enc": crypto.encrypt(grant["refresh_token"]),
                "expires_at": grant["expires_at"],
                "scope": " ".join(grant["scope"]),
                "refreshed_at": fields.Datetime.now(),
                "status": "ok",
                "error": False,
            })
        self._xero_grant_changed()

    def _xero_record_refusal(self, token, error):
        status = "expired" if error.code == "invalid_grant" else "error"
        token.write({"status": status, "error": str(error), "access_token_enc": False,
                     "refresh_token_enc": False if status == "expired" else token.refresh_token_enc})
        _logger.warning("Xero refused the credentials of connection %s: %s", self.id, error)
        self._xero_notify_admins(self.env._("Reconnect Xero"), str(error))

    def _xero_notify_admins(self, summary, note):
        """A to-do for each Xero administrator: one open per person and connection, whatever
        the failure (a later one updates it), closed by ``_xero_close_admin_todos``."""
        admins = self.env.ref(ADMIN).users.filtered(lambda u: u.active and not u.share)[:5]
        todos = self._xero_admin_todos()
        todos.write({"summary": summary, "note": note})
        for user in admins - todos.user_id:
            self.activity_schedule(ACTIVITY_TYPE, summary=summary, note=note, user_id=user.id)

    def _xero_admin_todos(self):
        activity_type = self.env.ref(ACTIVITY_TYPE, raise_if_not_found=False)
        return self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def _xero_close_admin_todos(self, feedback):
        self._xero_admin_todos().action_feedback(feedback)

    def _xero_forget_tokens(self, revoke=False):
        """Drop the grant; with ``revoke``, tell Xero first, reading the refresh token under
        the grant's lock so it is the live one, not one another worker just rotated away.
        Returns a problem to show, if Xero could not be told."""
        self.ensure_one()
        problem = None
        with side_env(self.env, self._name, self.id) as env:
            token = self.with_env(env).sudo()._xero_lock_token()
            refresh_token = crypto.decrypt(token.refresh_token_enc)
            if revoke and refresh_token:
                try:
                    self._xero_token_client().revoke(refresh_token)
                except XeroError as exc:
                    _logger.warning("Could not revoke the Xero grant of connection %s: %s", self.id, exc)
                    problem = str(exc)
            token.unlink()
        self._xero_grant_changed()
        return problem

    # -- the client -------------------------------------------------------------------
    @contextlib.contextmanager
    def _xero_session(self, interactive=False):
        """A client for this organisation; failed calls are logged when the block ends."""
        self.ensure_one()
        if not self.tenant_id:
            raise UserError(self.env._("Connection %(name)s is not connected to a Xero organisation.",
                              name=self.display_name))
        calls = []
        client = XeroClient(
            self._xero_endpoints(), self.tenant_id, self._xero_access_token,
            limiter=Limiter(PgQuotaStore(self.env), self._xero_limits()),
            interactive=interactive, on_call=calls.append)
        try:
            yield client
        finally:
            self.env["xero.sync.log"]._log_calls(self, calls)
            self._xero_note_reachability(calls)

    def _xero_note_reachability(self, calls):
        """Xero answered (even with a refusal): reachable; only calls that got no answer at all:
        unreachable since the first of them, until a call gets an answer again. Written in a
        short transaction of its own (kept when the caller's rolls back), best effort: it never
        waits for a lock nor hides the caller's own error."""
        if not calls:
            return
        answered = any(not isinstance(call.error, TransportError) for call in calls)
        try:
            known = self.unreachable_since
        except psycopg2.Error:
            return  # the caller's transaction failed: its error is the one to see
        if answered != bool(known):
            return  # nothing changes
        value = None if answered else fields.Datetime.now()
        updated = None  # None: not noted (a lock held elsewhere): the next session notes it
        try:
            with side_env(self.env) as env:
                if not env.registry.in_test_mode():  # (a test's one transaction keeps its own)
                    env.cr.execute("SET LOCAL lock_timeout = '1s'")
                env.cr.execute("UPDATE xero_connection SET unreachable_since = %s WHERE id = %s", (value, self.id))
                updated = env.cr.rowcount
        except psycopg2.Error as exc:
            _logger.info("Xero reachability of connection %s not noted: %s", self.id, exc)
        if updated:
            self.invalidate_recordset(["unreachable_since"])
        elif updated == 0:
            # A connection not committed yet (created in this very transaction): noted in it.
            self.sudo().write({"unreachable_since": value or False})

    # -- buttons ----------------------------------------------------------------------
    def action_connect(self):
        """Custom connection: get a token at once and take the organisation it is bound to.
        OAuth app: send the administrator to Xero's consent page (the callback finishes)."""
        self.ensure_one()
        if self.auth_type == "oauth":
            return self._xero_start_consent()
        self._xero_forget_tokens()
        try:
            tenants = self._xero_tenants(self._xero_access_token())
        except XeroError as exc:
            return self._notify(self.env._("Xero connection failed"), str(exc), "danger")
        if not tenants:
            return self._notify(self.env._("Xero connection failed"),
                                self.env._("This app is not connected to any Xero organisation."), "danger")
        self._xero_set_tenant(tenants[0])
        return self._notify(self.env._("Connected to Xero"), self.env._("Organisation: %s", self.tenant_name),
                            "success")

    def _xero_start_consent(self):
        self._xero_token_client()  # refuses early when the client ID or secret is missing
        verifier = oauth.new_code_verifier()
        key = self.env["xero.oauth.state"]._start(self, verifier)
        url = oauth.authorization_url(self._xero_endpoints(), self.sudo().client_id, self.callback_url,
                                      key, verifier)
        return {"type": "ir.actions.act_url", "url": url, "target": "self"}

    def _xero_tenants(self, access_token):
        """Organisations a token may reach (``/Connections``), organisations only."""
        client = XeroClient(self._xero_endpoints(), None, lambda stale=None: access_token,
                            limiter=Limiter(PgQuotaStore(self.env), self._xero_limits()))
        return [t for t in client.connections() if t.get("tenantType", "ORGANISATION") == "ORGANISATION"]

    def _xero_set_tenant(self, tenant):
        old_tenant_id = self.tenant_id
        self.write({"tenant_id": tenant["tenantId"], "tenant_name": tenant.get("tenantName"),
                    "xero_connection_ref": tenant.get("id")})
        if old_tenant_id and old_tenant_id != self.tenant_id:
            self._xero_tenant_changed(old_tenant_id)
        self._xero_close_admin_todos(self.env._("Reconnected"))

    def _xero_tenant_changed(self, old_tenant_id):
        """The connection now reaches another organisation: what was synced with the old one
        no longer applies. Each synced kind of record resets its own state (overrides)."""
        self.message_post(body=self.env._("This connection now uses Xero organisation %(name)s (%(new)s) instead "
                                 "of %(old)s: records are matched again with the new organisation.",
                                 name=self.tenant_name, new=self.tenant_id, old=old_tenant_id))

    def action_disconnect(self):
        """OAuth app: remove the organisation's connection and revoke the grant at Xero,
        then forget the tokens (a custom connection just forgets its token)."""
        self.ensure_one()
        problem = None
        if self.auth_type == "oauth" and self.state != "draft":
            problem = self._xero_remove_connection()
        problem = self._xero_forget_tokens(revoke=self.auth_type == "oauth") or problem
        # The organisation is kept (shown as "Not connected"): reconnecting to another one
        # must be noticed (_xero_tenant_changed), and sync state belongs to this one.
        self.write({"xero_connection_ref": False})
        if problem:
            return self._notify(self.env._("Disconnected, but Xero was not told"),
                                self.env._("%s Remove the app from Xero's Connected Apps page if it is still listed.",
                                  problem), "warning")
        return self._notify(self.env._("Disconnected from Xero"), self.display_name, "info")

    def _xero_remove_connection(self):
        """Best effort: a disconnect must succeed locally even if Xero cannot be reached."""
        if not (self.xero_connection_ref and self.tenant_id):
            return None
        try:
            with self._xero_session(interactive=True) as client:
                client.delete_connection(self.xero_connection_ref)
        except XeroError as exc:
            _logger.warning("Could not remove the Xero connection of connection %s: %s", self.id, exc)
            return str(exc)
        return None

    def action_test(self):
        self.ensure_one()
        try:
            with self._xero_session(interactive=True) as client:
                organisation = client.organisation()
        except XeroError as exc:
            return self._notify(self.env._("Xero test failed"), str(exc), "danger")
        return self._notify(self.env._("Xero connection works"),
                            self.env._("Organisation: %s", organisation.get("Name")), "success")

    def _notify(self, title, message, kind):
        return {"type": "ir.actions.client", "tag": "display_notification",
                "params": {"title": title, "message": message, "type": kind, "sticky": kind == "danger",
                           "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}
