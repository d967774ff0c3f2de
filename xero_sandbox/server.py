"""HTTP: one local server plays Xero's three hosts.

- ``/api.xro/2.0/...``             api.xero.com, Accounting API (``api.py``)
- ``/Connections[/{id}]``          api.xero.com, Identity API
- ``/connect/token``, ``/connect/revocation``   identity.xero.com
- ``/identity/connect/authorize``  login.xero.com, the consent page (auto-approves)

and one page of its own, which is no part of Xero: ``/sandbox/`` (``page.py``: invoices with a
*Record payment* button, contacts and items), answered first, neither recorded nor faulted.

Paths are matched case-insensitively, as Xero does. Every request to Xero's hosts is recorded
before anything else, then injected faults apply, then the request is answered.
"""
import base64
import re
import socket
import threading
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit

from . import page, shapes
from .api import API_BASE, Reply, handle_api, json_reply
from .identity import OAuthError
from .recording import CIHeaders, RecordedRequest

_CONNECTION = re.compile(r"^/connections/([^/]+)/?$", re.IGNORECASE)


def _form(rec):
    pairs = parse_qs(rec.body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[-1] for k, v in pairs.items()}


def _basic(rec):
    """(client_id, secret) from ``Authorization: Basic``, None if absent."""
    header = rec.headers.get("Authorization") or ""
    if not header.lower().startswith("basic "):
        return None
    try:
        raw = base64.b64decode(header[6:].strip()).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return ("", "")
    client_id, _, secret = raw.partition(":")
    return unquote(client_id), unquote(secret)


def _identity_json(status, body):
    return json_reply(status, body, {"Cache-Control": "no-store", "Pragma": "no-cache"})


def _connections(fx, rec, method, low):
    try:
        token = fx.identity.bearer(rec.headers.get("Authorization"))
    except OAuthError as err:
        return json_reply(401, shapes.problem(401, "Unauthorized", err.error),
                          {"WWW-Authenticate": 'Bearer error="invalid_token"'})
    if method == "GET" and low.rstrip("/") == "/connections":
        event = (rec.query.get("authEventId") or [None])[0]
        items = [{
            "id": c.id,
            "authEventId": c.auth_event_id,
            "tenantId": c.tenant_id,
            "tenantType": "ORGANISATION",
            "tenantName": c.tenant_name,
            "createdDateUtc": shapes.iso_utc(c.created),
            "updatedDateUtc": shapes.iso_utc(c.updated),
        } for c in fx.identity.connections(token) if event is None or c.auth_event_id == event]
        return json_reply(200, items)
    m = _CONNECTION.match(low)
    if method == "DELETE" and m:
        if fx.identity.delete_connection(token, m.group(1)):
            return Reply(204, b"", "")
        return Reply(404, b"", "")
    return Reply(405, "Method not allowed", "text/plain; charset=utf-8")


def dispatch(fx, rec):
    """The Reply for a recorded request (faults already handled)."""
    method, low = rec.method, rec.path.lower()
    if low.startswith(API_BASE.lower() + "/"):
        return handle_api(fx, rec, rec.path[len(API_BASE):])
    if low.rstrip("/") in ("/connect/token", "/identity/connect/token") and method == "POST":
        status, body = fx.identity.token(_form(rec), _basic(rec))
        return _identity_json(status, body)
    if low.rstrip("/") in ("/connect/revocation", "/identity/connect/revocation") and method == "POST":
        status, body = fx.identity.revoke(_form(rec), _basic(rec))
        return _identity_json(status, body)
    if low.rstrip("/") in ("/identity/connect/authorize", "/connect/authorize") and method == "GET":
        outcome = fx.identity.authorize(rec.query)
        if outcome[0] == "redirect":
            return Reply(302, b"", "text/html", {"Location": outcome[1]})
        _, status, text = outcome
        return Reply(status, "<html><body><h1>Error</h1><p>%s</p></body></html>" % text,
                     "text/html; charset=utf-8")
    if low.rstrip("/") == "/connections" or _CONNECTION.match(low):
        return _connections(fx, rec, method, low)
    return Reply(404, "Not found", "text/plain; charset=utf-8")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeXero/1.0"

    def setup(self):
        super().setup()
        # Headers and body leave in two writes: with Nagle's algorithm on, the body waits
        # for the client's delayed ACK of the headers, ~40 ms per answer on a kept-alive
        # connection - a stall real Xero does not have, which throttled every benchmark.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format, *args):     # quiet: tests read fx.requests instead
        pass

    def do_GET(self):
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    def _serve(self):
        fx = self.server.fake
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if page.serves(unquote(split.path)):
            return self._send(None, self._page(fx, unquote(split.path), split.query, body))
        rec = RecordedRequest(self.command.upper(), unquote(split.path),
                              parse_qs(split.query, keep_blank_values=True),
                              CIHeaders(self.headers.items()), body, fx.clock.now())
        fx.log.add(rec)

        fault = fx.faults.take(rec.method, rec.path)
        if fault is not None:
            rec.fault = fault.kind
            if fault.kind == "drop":
                return self._hang_up()
            if fault.kind in ("500", "503"):
                reply = Reply(int(fault.kind), "Injected fault %s" % fault.kind,
                              "text/plain; charset=utf-8")
                return self._send(rec, reply)
            if fault.kind == "429":
                retry_after = int(fault.options.get("retry_after", 1))
                problem = fault.options.get("problem", "minute")
                reply = json_reply(429, shapes.problem(429, "Too Many Requests", "Injected"),
                                   {"Retry-After": str(retry_after), "X-Rate-Limit-Problem": problem})
                return self._send(rec, reply)
            if fault.kind == "slow":
                time.sleep(float(fault.options.get("seconds", 1.0)))

        try:
            reply = dispatch(fx, rec)
        except Exception:
            # A bug in the fake: say so loudly rather than look like a Xero answer.
            reply = Reply(500, "fake Xero internal error\n" + traceback.format_exc(),
                          "text/plain; charset=utf-8")
        if fault is not None and fault.kind == "lost_response":
            rec.status = reply.status
            rec.response_body = reply.body
            return self._hang_up()
        self._send(rec, reply)

    def _page(self, fx, path, query, body):
        try:
            return page.answer(fx, self.command.upper(), path, parse_qs(query, keep_blank_values=True),
                               CIHeaders(self.headers.items()), body)
        except Exception:
            return Reply(500, "fake Xero internal error\n" + traceback.format_exc(), "text/plain; charset=utf-8")

    def _send(self, rec, reply):
        if rec is not None:
            rec.status = reply.status
            rec.response_body = reply.body
        try:
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD" and reply.body:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (e.g. its timeout during a "slow" fault): the request was
            # processed all the same, as on a real server.
            self.close_connection = True

    def _hang_up(self):
        """Close the connection without a byte of answer."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, address, fake):
        self.fake = fake
        self._open = set()
        self._open_lock = threading.Lock()
        super().__init__(address, Handler)

    # Open (keep-alive) connections are tracked so that stop() really stops: otherwise a
    # client's pooled connection would still be answered by its handler thread.
    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self):
        with self._open_lock:
            open_now = list(self._open)
        for sock in open_now:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(fake, host="127.0.0.1", port=0):
    server = Server((host, port), fake)
    # A short poll interval so stop() (shutdown) returns quickly: tests start many fakes.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="fake-xero", daemon=True)
    thread.start()
    return server, thread
