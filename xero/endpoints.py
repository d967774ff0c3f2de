"""Where Xero lives. Three base URLs, so a sandbox or a proxy can stand in for each host."""

DEFAULT_API_URL = "https://api.xero.com"
DEFAULT_IDENTITY_URL = "https://identity.xero.com"
DEFAULT_LOGIN_URL = "https://login.xero.com"


class Endpoints:
    def __init__(self, api_url=None, identity_url=None, login_url=None):
        self.api_url = (api_url or DEFAULT_API_URL).rstrip("/")
        self.identity_url = (identity_url or DEFAULT_IDENTITY_URL).rstrip("/")
        self.login_url = (login_url or DEFAULT_LOGIN_URL).rstrip("/")

    @property
    def accounting(self):
        return self.api_url + "/api.xro/2.0"

    @property
    def token(self):
        return self.identity_url + "/connect/token"

    @property
    def revocation(self):
        return self.identity_url + "/connect/revocation"

    @property
    def authorize(self):
        return self.login_url + "/identity/connect/authorize"

    def __repr__(self):
        return "Endpoints(%r, %r, %r)" % (self.api_url, self.identity_url, self.login_url)
