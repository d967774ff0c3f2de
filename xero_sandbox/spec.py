"""Check requests (and the fake's answers) against Xero's published OpenAPI description.

The files (``xero_accounting.yaml``, ``xero-identity.yaml``) are not shipped with the
project: they are looked up in ``$XERO_OPENAPI_DIR``, else ``<repo>/../shared/xero-openapi``
from the real path of this package. ``spec_available()`` says whether they are there, so
tests can skip cleanly.

    from xero_sandbox.spec import validate_request
    for rec in fx.requests:
        validate_request(rec)          # raises SpecViolation; False if no spec covers it

Speed: the Accounting YAML (~1 MB) is parsed once with libyaml (~0.3 s) and cached; the
spec itself is not re-validated (it is Xero's published file; that check costs seconds);
one request then validates in a few milliseconds.

How requests are mapped and what is (not) relaxed:

- Our single local server stands for api.xero.com: ``/api.xro/2.0/...`` is validated
  against the Accounting spec (server ``https://api.xero.com/api.xro/2.0``), ``/Connections``
  against the Identity spec. Token, revocation and consent endpoints are not described by
  these files: ``validate_request`` returns False for them.
- Xero matches paths case-insensitively, the spec (and openapi-core) does not: the path is
  first rewritten to the spec's spelling (``/contacts`` -> ``/Contacts``). Parameter values
  are kept as sent.
- Headers are case-insensitive on both sides (werkzeug ``Headers``), so ``xero-tenant-id``
  (required by every Accounting path) is checked whatever its spelling.
- The OAuth2 security requirement is not checked here (openapi-core has no OAuth2 provider
  and only warns, which we silence); the fake itself checks tokens and scopes.
- ``/Contacts/{ContactNumber}`` and ``/Contacts/{ContactID}`` share one path shape; openapi-
  core picks one, and both accept a GET, so nothing is lost.
- Relaxed: an ``If-Modified-Since`` ISO date-time without an offset (``2024-01-31T00:00:00``)
  is accepted, read as UTC. The spec says ``format: date-time`` (RFC 3339 wants an offset),
  but Xero's docs use the naive form, Xero reads it as UTC, and xero-python sends exactly
  that for a naive ``datetime``.
- Relaxed in ``validate_response``: ``/Connections`` dates are naive
  (``2019-12-07T18:46:19.5165400``), as Xero sends them and as the spec's own example shows,
  although its schema says ``format: date-time``; they are read as UTC for the check.
- Not relaxed, on purpose: read-only properties (UpdatedDateUTC, Website, Discount ...) in
  a request body fail validation, although Xero ignores them - a client that echoes them back
  is sending data it cannot set. ``If-Modified-Since`` must be ISO 8601 (``format:
  date-time``), as the spec says; the fake itself also reads RFC 1123 dates.
"""
import os
import re
import threading
import warnings
from pathlib import Path

ACCOUNTING_FILE = "xero_accounting.yaml"
IDENTITY_FILE = "xero-identity.yaml"
API_BASE = "/api.xro/2.0"
HOST = "https://api.xero.com"


class SpecViolation(AssertionError):
    """A request or response that does not match Xero's OpenAPI description."""


def openapi_dir():
    env = os.environ.get("XERO_OPENAPI_DIR")
    if env:
        return Path(env)
    repo = Path(__file__).resolve().parents[1]     # <repo>/xero_sandbox/spec.py
    return repo.parent / "shared" / "xero-openapi"


def spec_available():
    folder = openapi_dir()
    if not ((folder / ACCOUNTING_FILE).is_file() and (folder / IDENTITY_FILE).is_file()):
        return False
    try:
        import openapi_core  # noqa: F401
        import yaml  # noqa: F401
    except ImportError:
        return False
    return True


class _Spec:
    """One OpenAPI document, ready to validate, with its path templates for case folding."""

    def __init__(self, path, prefix):
        import yaml
        from openapi_core import Config, OpenAPI
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        with open(path, "rb") as fh:
            data = yaml.load(fh, Loader=loader)
        self.prefix = prefix
        self.openapi = OpenAPI.from_dict(data, config=Config(spec_validator_cls=None))
        templates = []
        for template in data.get("paths", {}):
            segments = template.strip("/").split("/")
            regex = "/".join("[^/]+" if s.startswith("{") else re.escape(s) for s in segments)
            params = sum(1 for s in segments if s.startswith("{"))
            templates.append((params, re.compile("^/" + regex + "/?$", re.IGNORECASE), segments))
        # Literal segments win over parameters: /Contacts/{id}/History before /Contacts/{a}/{b}.
        templates.sort(key=lambda t: t[0])
        self.templates = templates

    def canonical(self, rel_path):
        """The path spelled as in the spec, or None if no template matches."""
        for _, regex, segments in self.templates:
            if regex.match(rel_path):
                sent = rel_path.strip("/").split("/")
                return "/" + "/".join(sent[i] if seg.startswith("{") else seg
                                      for i, seg in enumerate(segments))
        return None


_lock = threading.Lock()
_cache = {}


def _load(name, prefix):
    """Parse a spec file once per process (per folder, should XERO_OPENAPI_DIR change)."""
    path = openapi_dir() / name
    with _lock:
        if path not in _cache:
            _cache[path] = _Spec(path, prefix)
        return _cache[path]


def _spec_for(path):
    """(spec, canonical full path) for a recorded path, or (None, None)."""
    low = path.lower()
    if low.startswith(API_BASE.lower() + "/"):
        spec = _load(ACCOUNTING_FILE, API_BASE)
        canon = spec.canonical(path[len(API_BASE):])
        return spec, (API_BASE + canon) if canon else None
    if low.rstrip("/") == "/connections" or low.startswith("/connections/"):
        spec = _load(IDENTITY_FILE, "")
        return spec, spec.canonical(path)
    return None, None


_NAIVE_IN_JSON = re.compile(rb'("\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)"')
_NAIVE_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$")


def _relax_header(name, value):
    if name.lower() == "if-modified-since" and _NAIVE_ISO.match(value or ""):
        return value + "Z"      # see the module doc: Xero reads a naive date-time as UTC
    return value


class _Request:
    """The request protocol openapi-core reads."""

    def __init__(self, method, path, query, headers, body):
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict
        self.host_url = HOST
        self.path = path
        self.method = method.lower()
        self.body = body or None
        header_list = [(k, _relax_header(k, v)) for k, v in headers.items()]
        self.content_type = (dict((k.lower(), v) for k, v in header_list).get("content-type")
                             or "application/json").lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict([(k, v) for k, vs in query.items() for v in vs]),
            header=Headers(header_list),
            cookie=ImmutableMultiDict(),
            path={},
        )


class _Response:
    def __init__(self, status, headers, data, content_type):
        from werkzeug.datastructures import Headers
        self.status_code = status
        self.headers = Headers(list(headers.items()) if headers else [])
        self.data = data
        self.content_type = (content_type or "application/json").lower()


def _explain(exc):
    parts = [repr(exc)]
    cause = exc.__cause__ or exc.__context__
    while cause is not None and len(parts) < 4:
        errors = getattr(cause, "schema_errors", None)
        parts.append("; ".join(str(getattr(e, "message", e)) for e in errors) if errors else repr(cause))
        cause = cause.__cause__
    return " <- ".join(parts)


def _validation_target(rec):
    spec, canon = _spec_for(rec.path)
    if spec is None:
        return None, None
    if canon is None:
        raise SpecViolation("%s %s: no such path in Xero's OpenAPI description" % (rec.method, rec.path))
    return spec, canon


def validate_request(rec):
    """Validate a ``RecordedRequest``: True if valid, False if no spec covers its path
    (token/consent endpoints); raises ``SpecViolation`` otherwise."""
    spec, canon = _validation_target(rec)
    if spec is None:
        return False
    request = _Request(rec.method, canon, rec.query, rec.headers, rec.body)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # "Unsupported scheme type" for OAuth2
        try:
            spec.openapi.validate_request(request)
        except Exception as exc:
            raise SpecViolation("%s %s: %s" % (rec.method, rec.path, _explain(exc))) from exc
    return True


def validate_response(rec):
    """Validate the answer the fake gave to ``rec`` (a self-check of the fake's shapes)."""
    spec, canon = _validation_target(rec)
    if spec is None or rec.status is None:
        return False
    request = _Request(rec.method, canon, rec.query, rec.headers, rec.body)
    data = rec.response_body
    content_type = "application/json" if data[:1] in (b"{", b"[") else "text/plain"
    if spec.prefix == "":
        data = _NAIVE_IN_JSON.sub(rb'\1Z"', data)    # identity dates: see the module doc
    response = _Response(rec.status, {}, data, content_type)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            spec.openapi.validate_response(request, response)
        except Exception as exc:
            raise SpecViolation("%s %s -> %s: %s" % (rec.method, rec.path, rec.status,
                                                     _explain(exc))) from exc
    return True


def validate_all(requests, responses=False):
    """Validate every request the spec covers; returns how many were checked."""
    checked = 0
    for rec in requests:
        if validate_request(rec):
            checked += 1
            if responses:
                validate_response(rec)
    return checked
