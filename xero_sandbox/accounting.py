"""The Accounting API's routing: which handler answers which method and path.

Each resource lives in its own module with a ``register(router)`` function (``contacts.py``,
``items.py``, ``accounts.py``, ``taxrates.py``, ``currencies.py``, ``trackingcategories.py``,
``brandingthemes.py``, ``organisation.py``, ``invoices.py``, ``quotes.py``, ``payments.py``,
``creditnotes.py``); adding a resource means a new module and one line in
``RESOURCE_MODULES``. Handlers receive an ``ApiContext`` (tenant already authenticated and
rate-limited by the server) and return an ``ApiResponse`` or raise ``ApiError``. Paths match
case-insensitively, as on Xero.
"""
import json
import re

from . import shapes


class ApiError(Exception):
    def __init__(self, status, body, content_type="application/json; charset=utf-8"):
        super().__init__(status)
        self.status = status
        self.body = body
        self.content_type = content_type


class ApiResponse:
    def __init__(self, status, body, content_type="application/json; charset=utf-8"):
        self.status = status
        self.body = body
        self.content_type = content_type

    def encoded(self):
        if isinstance(self.body, (bytes, str)):
            data = self.body
        else:
            data = json.dumps(self.body)
        return data.encode("utf-8") if isinstance(data, str) else data


NOT_FOUND_TEXT = "The resource you're looking for cannot be found"


def not_found():
    return ApiError(404, NOT_FOUND_TEXT, "text/plain; charset=utf-8")


def invalid_json(detail=None):
    """Xero's 400 for a body it cannot read into its objects (not JSON, or a value of the
    wrong type): PostDataInvalidException."""
    message = "JSON for post data was invalid,%s" % detail if detail else "Invalid Json data"
    return ApiError(400, shapes.api_exception(14, "PostDataInvalidException", message))


class ApiContext:
    def __init__(self, method, path, query, headers, body, tenant, clock, provider_name):
        self.method = method
        self.path = path                # relative to /api.xro/2.0
        self.query = query
        self.headers = headers
        self.body = body
        self.tenant = tenant
        self.clock = clock
        self.provider_name = provider_name
        self.params = {}

    def q(self, name, default=None):
        """A query parameter; Xero reads parameter names case-insensitively."""
        low = name.lower()
        for key, values in self.query.items():
            if key.lower() == low and values:
                return values[-1]
        return default

    def q_bool(self, name, default):
        value = self.q(name)
        if value is None:
            return default
        return value.strip().lower() in ("true", "1", "yes")

    def json(self):
        try:
            return json.loads(self.body.decode("utf-8")) if self.body else None
        except (ValueError, UnicodeDecodeError):
            raise invalid_json()

    def envelope(self, key, items, **kw):
        return shapes.envelope(self.clock.now(), key, items, provider=self.provider_name, **kw)


class Route:
    def __init__(self, method, pattern, handler, scopes):
        self.method = method.upper()
        self.pattern = pattern
        self.handler = handler
        self.scopes = tuple(scopes)
        regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern)
        self.regex = re.compile("^" + regex + "/?$", re.IGNORECASE)


class Router:
    def __init__(self):
        self.routes = []

    def add(self, method, pattern, handler, scopes):
        self.routes.append(Route(method, pattern, handler, scopes))

    def match(self, method, path):
        """(route, params), or (None, True) when the path exists under another method."""
        path_known = False
        for route in self.routes:
            m = route.regex.match(path)
            if m:
                if route.method == method.upper():
                    return route, m.groupdict()
                path_known = True
        return None, path_known


def build_router():
    from . import (
        accounts,
        brandingthemes,
        contacts,
        creditnotes,
        currencies,
        invoices,
        items,
        organisation,
        payments,
        quotes,
        taxrates,
        trackingcategories,
    )
    router = Router()
    for module in (organisation, contacts, items, accounts, taxrates, currencies,    # RESOURCE_MODULES
                   trackingcategories, brandingthemes, invoices, quotes, payments, creditnotes):
        module.register(router)
    return router
