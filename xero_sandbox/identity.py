"""Xero's identity service: apps, consent, tokens and connections.

Follows Xero's OAuth 2.0 docs where a client can tell the difference:

- custom connections (``custom=True``) use ``client_credentials`` only; the token covers the
  tenants the connection was set up for and comes without a refresh token;
- standard apps use ``authorization_code`` (PKCE S256 checked when a challenge was sent, the
  redirect_uri must match, codes are single use and live 5 minutes) and ``refresh_token``;
  a refresh token is issued only when ``offline_access`` was requested, as Xero does;
- refresh tokens rotate and are single use: a used one is dead (``invalid_grant``);
- access tokens live 1800 s of clock time; revocation kills the grant's tokens and, as on
  Xero, removes the connections the user had authorised for the app.

Xero keeps connections per user and app; the fake has one implicit user per app, so an
app's connections are its user's connections. All times come from the shared clock.
"""
import base64
import collections
import datetime
import hashlib
import secrets
import threading
import uuid
from urllib.parse import urlencode

ACCESS_TOKEN_SECONDS = 1800
CODE_SECONDS = 300
REFRESH_TOKEN_SECONDS = 60 * 86400
DEFAULT_SCOPES = "accounting.transactions accounting.contacts accounting.settings"


class OAuthError(Exception):
    def __init__(self, error, description=None, status=400):
        super().__init__(error)
        self.error = error
        self.description = description
        self.status = status

    def body(self):
        body = {"error": self.error}
        if self.description:
            body["error_description"] = self.description
        return body


class Connection:
    def __init__(self, tenant, auth_event_id, now):
        self.id = str(uuid.uuid4())
        self.tenant_id = tenant.tenant_id
        self.tenant_name = tenant.name
        self.auth_event_id = auth_event_id
        self.created = now
        self.updated = now


class App:
    def __init__(self, client_id, client_secret, tenants, custom, name, scopes, redirect_uris):
        self.client_id = client_id
        self.client_secret = client_secret
        self.tenants = list(tenants or [])
        self.custom = custom
        self.name = name
        self.scopes = scopes
        self.redirect_uris = list(redirect_uris) if redirect_uris else None
        self.connections = collections.OrderedDict()    # connection id -> Connection

    def connection_for(self, tenant_id):
        return next((c for c in self.connections.values() if c.tenant_id == tenant_id), None)


class AccessToken:
    def __init__(self, value, app, family, scope, expires_at):
        self.value = value
        self.app = app
        self.family = family        # the grant it came from (None for client_credentials)
        self.scope = scope
        self.expires_at = expires_at
        self.revoked = False

    @property
    def scopes(self):
        return set(self.scope.split())


class Grant:
    """One user consent and the refresh-token chain it starts."""

    def __init__(self, app, scope, public):
        self.app = app
        self.scope = scope
        self.public = public        # PKCE without a secret: refreshes need no secret either
        self.revoked = False
        self.access_tokens = []


class RefreshToken:
    def __init__(self, value, grant, expires_at):
        self.value = value
        self.grant = grant
        self.expires_at = expires_at
        self.used_at = None         # clock time of its (single) use


class AuthCode:
    def __init__(self, app, redirect_uri, scope, challenge, tenant_ids, expires_at):
        self.app = app
        self.redirect_uri = redirect_uri
        self.scope = scope
        self.challenge = challenge
        self.tenant_ids = tenant_ids
        self.expires_at = expires_at
        self.used = False


def s256(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class Identity:
    def __init__(self, clock, store):
        self.clock = clock
        self.store = store
        self.apps = {}
        self.access_tokens = {}
        self.refresh_tokens = {}
        self.codes = {}
        self.consent_decision = "allow"     # "deny": the user clicks Cancel
        self.consent_tenants = None         # None: every tenant the app may reach
        self.refresh_grace = 0.0            # clock seconds a rotated refresh token still works
        self.token_calls = 0
        self.token_calls_by_grant = collections.Counter()
        self._lock = threading.RLock()

    # -- setup ---------------------------------------------------------------------------
    def add_app(self, client_id, client_secret, tenants=None, custom=True, name="Fake App",
                scopes=DEFAULT_SCOPES, redirect_uris=None):
        with self._lock:
            app = App(client_id, client_secret, tenants, custom, name, scopes, redirect_uris)
            self.apps[client_id] = app
            if custom:
                # A custom connection is bound to its organisation(s) from the start.
                self._connect(app, app.tenants, str(uuid.uuid4()))
            return app

    def _connect(self, app, tenant_ids, auth_event_id):
        now = self.clock.now()
        for tid in tenant_ids:
            tenant = self.store.get(tid)
            if tenant is None:
                raise KeyError("unknown tenant %s" % tid)
            existing = app.connection_for(tid)
            if existing:
                existing.updated = now
                existing.auth_event_id = auth_event_id
            else:
                conn = Connection(tenant, auth_event_id, now)
                app.connections[conn.id] = conn

    # -- consent -------------------------------------------------------------------------
    def authorize(self, params):
        """Consent page: returns ("redirect", url) or ("page", status, text)."""
        get = lambda k: (params.get(k) or [None])[0]
        client_id, redirect_uri, state = get("client_id"), get("redirect_uri"), get("state")
        app = self.apps.get(client_id)
        if app is None:
            return ("page", 400, "unauthorized_client: unknown client_id")
        if not redirect_uri or (app.redirect_uris is not None and redirect_uri not in app.redirect_uris):
            return ("page", 400, "invalid_request: redirect_uri not registered for this app")

        def back(**values):
            if state is not None:
                values["state"] = state
            sep = "&" if "?" in redirect_uri else "?"
            return ("redirect", redirect_uri + sep + urlencode(values))

        if get("response_type") != "code":
            return back(error="unsupported_response_type")
        if app.custom:
            return back(error="unauthorized_client")
        scope = get("scope")
        if not scope:
            return back(error="invalid_scope")
        challenge, method = get("code_challenge"), get("code_challenge_method")
        if challenge and (method or "plain") != "S256":
            return back(error="invalid_request", error_description="code_challenge_method must be S256")
        if self.consent_decision == "deny":
            return back(error="access_denied")
        tenant_ids = list(self.consent_tenants if self.consent_tenants is not None
                          else (app.tenants or list(self.store.tenants)))
        code = secrets.token_urlsafe(32)
        with self._lock:
            self.codes[code] = AuthCode(app, redirect_uri, scope, challenge, tenant_ids,
                                        self.clock.now() + CODE_SECONDS)
        return back(code=code)

    # -- token endpoint ------------------------------------------------------------------
    def _client(self, form, basic):
        """(app, secret_given) from HTTP Basic or the form fields; raises invalid_client."""
        client_id, secret = basic if basic else (form.get("client_id"), form.get("client_secret"))
        app = self.apps.get(client_id)
        if app is None:
            raise OAuthError("invalid_client")
        if secret is not None and not secrets.compare_digest(secret, app.client_secret):
            raise OAuthError("invalid_client")
        return app, secret is not None

    def token(self, form, basic=None):
        """The /connect/token answer as (status, json body)."""
        grant_type = form.get("grant_type")
        with self._lock:
            self.token_calls += 1
            self.token_calls_by_grant[grant_type or ""] += 1
            try:
                app, has_secret = self._client(form, basic)
                if grant_type == "client_credentials":
                    return 200, self._client_credentials(app, has_secret, form)
                if grant_type == "authorization_code":
                    return 200, self._authorization_code(app, has_secret, form)
                if grant_type == "refresh_token":
                    return 200, self._refresh(app, has_secret, form)
                raise OAuthError("unsupported_grant_type")
            except OAuthError as err:
                return err.status, err.body()

    def _issue(self, app, scope, grant):
        now = self.clock.now()
        value = secrets.token_urlsafe(40)
        token = AccessToken(value, app, grant, scope, now + ACCESS_TOKEN_SECONDS)
        self.access_tokens[value] = token
        body = {"access_token": value, "expires_in": ACCESS_TOKEN_SECONDS,
                "token_type": "Bearer", "scope": scope}
        if grant is not None:
            grant.access_tokens.append(token)
            if "offline_access" in scope.split():
                refresh = RefreshToken(secrets.token_urlsafe(40), grant, now + REFRESH_TOKEN_SECONDS)
                self.refresh_tokens[refresh.value] = refresh
                body["refresh_token"] = refresh.value
        return body

    def _client_credentials(self, app, has_secret, form):
        if not has_secret:
            raise OAuthError("invalid_client")
        if not app.custom:
            raise OAuthError("unauthorized_client")
        scope = app.scopes
        wanted = form.get("scope")
        if wanted:
            if not set(wanted.split()) <= set(app.scopes.split()):
                raise OAuthError("invalid_scope")
            scope = wanted
        return self._issue(app, scope, None)

    def _authorization_code(self, app, has_secret, form):
        if app.custom:
            raise OAuthError("unauthorized_client")
        code = self.codes.get(form.get("code") or "")
        if code is None or code.app is not app or code.used or code.expires_at <= self.clock.now():
            raise OAuthError("invalid_grant")
        code.used = True       # single use, even when the exchange below fails
        if form.get("redirect_uri") != code.redirect_uri:
            raise OAuthError("invalid_grant", "redirect_uri mismatch")
        verifier = form.get("code_verifier")
        if code.challenge:
            if not verifier or s256(verifier) != code.challenge:
                raise OAuthError("invalid_grant", "code_verifier does not match code_challenge")
        elif not has_secret:
            raise OAuthError("invalid_client")
        grant = Grant(app, code.scope, public=not has_secret)
        self._connect(app, code.tenant_ids, str(uuid.uuid4()))
        return self._issue(app, code.scope, grant)

    def _refresh(self, app, has_secret, form):
        refresh = self.refresh_tokens.get(form.get("refresh_token") or "")
        now = self.clock.now()
        if refresh is None or refresh.grant.app is not app or refresh.grant.revoked \
                or refresh.expires_at <= now:
            raise OAuthError("invalid_grant")
        if refresh.used_at is not None and now > refresh.used_at + self.refresh_grace:
            raise OAuthError("invalid_grant")
        if not has_secret and not refresh.grant.public:
            raise OAuthError("invalid_client")
        if refresh.used_at is None:
            refresh.used_at = now               # rotation: this one is spent
        return self._issue(app, refresh.grant.scope, refresh.grant)

    def revoke(self, form, basic=None):
        with self._lock:
            try:
                app, has_secret = self._client(form, basic)
            except OAuthError as err:
                return err.status, err.body()
            refresh = self.refresh_tokens.get(form.get("token") or "")
            if refresh is not None and refresh.grant.app is app:
                grant = refresh.grant
                grant.revoked = True
                for token in grant.access_tokens:
                    token.revoked = True
                app.connections.clear()
            return 200, {}

    # -- resource checks -----------------------------------------------------------------
    def bearer(self, authorization):
        """The AccessToken for an Authorization header, or raise OAuthError(detail, status 401)."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise OAuthError("AuthenticationUnsuccessful", status=401)
        token = self.access_tokens.get(authorization[7:].strip())
        if token is None or token.revoked:
            raise OAuthError("AuthenticationUnsuccessful", status=401)
        if token.expires_at <= self.clock.now():
            at = datetime.datetime.fromtimestamp(token.expires_at, datetime.timezone.utc)
            raise OAuthError("TokenExpired: token expired at %s" % at.strftime("%m/%d/%Y %H:%M:%S"),
                             status=401)
        return token

    def connections(self, token):
        return list(token.app.connections.values())

    def delete_connection(self, token, connection_id):
        with self._lock:
            conns = token.app.connections
            for cid in list(conns):
                if cid.lower() == (connection_id or "").lower():
                    del conns[cid]
                    return True
            return False
