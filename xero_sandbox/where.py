"""The ``where`` query parameter: a small parser for the subset of Xero's (.NET-like) filter
language that clients use.

Supported: ``Field == "x"`` (also ``!=  >  <  >=  <=``), string / number / ``true`` / ``false``
/ ``null`` / ``Guid("...")`` / ``DateTime(2024, 1, 31[, h, m, s])`` literals, dotted fields
(``Addresses.City`` is not needed yet, ``BrandingTheme.Name`` works), the string methods
``Contains`` ``StartsWith`` ``EndsWith`` ``ToLower`` ``ToUpper``, and ``AND`` / ``&&``, ``OR`` /
``||``, ``NOT`` / ``!`` with parentheses. Field names match case-insensitively; string
comparisons are case-sensitive (use ``ToLower()``) - the cautious reading of Xero's docs,
since a client relying on case-insensitive ``==`` would break on the real API if it is not.
A clause that does not parse raises ``WhereError`` (Xero: 400 QueryParseException).
"""
import datetime
import re

from .shapes import is_guid, parse_ms_date


class WhereError(ValueError):
    pass


_TOKEN = re.compile(r"""
    \s*(?:
      (?P<str>"(?:[^"\\]|\\.)*")
    | (?P<num>-?\d+(?:\.\d+)?)
    | (?P<op>==|!=|>=|<=|&&|\|\||[<>!(),.])
    | (?P<id>[A-Za-z_][A-Za-z0-9_]*)
    )""", re.VERBOSE)

_METHODS = {
    "contains": lambda v, a: isinstance(v, str) and a in v,
    "startswith": lambda v, a: isinstance(v, str) and v.startswith(a),
    "endswith": lambda v, a: isinstance(v, str) and v.endswith(a),
}
_COMPARE = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">": lambda a, b: a is not None and b is not None and a > b,
    "<": lambda a, b: a is not None and b is not None and a < b,
    ">=": lambda a, b: a is not None and b is not None and a >= b,
    "<=": lambda a, b: a is not None and b is not None and a <= b,
}


class _Date(float):
    """A DateTime(...) literal, as a UTC timestamp, so ms-dates compare against it."""


def _tokens(text):
    pos, out = 0, []
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise WhereError("Unexpected character at position %d in where clause" % pos)
        pos = m.end()
        kind = m.lastgroup
        out.append((kind, m.group(kind)))
    return out


def _lookup(record, path):
    value = record
    for part in path:
        if not isinstance(value, dict):
            return None
        low = part.lower()
        value = next((v for k, v in value.items() if k.lower() == low), None)
    return value


def _coerce(value, other):
    """Make a stored value comparable with a literal (ms-dates vs DateTime, bool/int)."""
    if isinstance(other, _Date) and isinstance(value, str):
        ts = parse_ms_date(value)
        return ts if ts is not None else value
    if isinstance(other, str) and isinstance(value, str):
        return value
    if isinstance(other, (int, float)) and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    return value


class _Parser:
    def __init__(self, text):
        self.toks = _tokens(text)
        self.i = 0

    def peek(self, value=None):
        if self.i >= len(self.toks):
            return None
        tok = self.toks[self.i]
        if value is None:
            return tok
        return tok if tok[1].upper() == value.upper() and tok[0] in ("op", "id") else None

    def take(self, value=None):
        tok = self.peek(value)
        if tok is None:
            want = value or "a token"
            raise WhereError("Expected %s in where clause" % want)
        self.i += 1
        return tok

    def parse(self):
        if not self.toks:
            raise WhereError("Empty where clause")
        node = self.expr()
        if self.i != len(self.toks):
            raise WhereError("Unexpected %r in where clause" % self.toks[self.i][1])
        return node

    def expr(self):
        left = self.conj()
        while self.peek("OR") or self.peek("||"):
            self.i += 1
            right = self.conj()
            left = (lambda a, b: lambda rec: a(rec) or b(rec))(left, right)
        return left

    def conj(self):
        left = self.unary()
        while self.peek("AND") or self.peek("&&"):
            self.i += 1
            right = self.unary()
            left = (lambda a, b: lambda rec: a(rec) and b(rec))(left, right)
        return left

    def unary(self):
        if self.peek("!") or self.peek("NOT"):
            self.i += 1
            inner = self.unary()
            return lambda rec: not inner(rec)
        if self.peek("("):
            self.i += 1
            inner = self.expr()
            self.take(")")
            return inner
        left = self.operand()
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] in _COMPARE:
            self.i += 1
            right = self.operand()
            cmp = _COMPARE[tok[1]]

            def compare(rec, left=left, right=right, cmp=cmp):
                a, b = left(rec), right(rec)
                return cmp(_coerce(a, b), _coerce(b, a))
            return compare
        return lambda rec: bool(left(rec))

    def literal_args(self):
        self.take("(")
        args = []
        while not self.peek(")"):
            kind, raw = self.take()
            if kind == "str":
                args.append(_unquote(raw))
            elif kind == "num":
                args.append(float(raw) if "." in raw else int(raw))
            else:
                raise WhereError("Unexpected %r in argument list" % raw)
            if not self.peek(")"):
                self.take(",")
        self.take(")")
        return args

    def operand(self):
        kind, raw = self.take()
        if kind == "str":
            value = _unquote(raw)
            return lambda rec: value
        if kind == "num":
            value = float(raw) if "." in raw else int(raw)
            return lambda rec: value
        if kind != "id":
            raise WhereError("Unexpected %r in where clause" % raw)
        word = raw.lower()
        if word in ("true", "false"):
            value = word == "true"
            return lambda rec: value
        if word == "null":
            return lambda rec: None
        if word == "guid":
            args = self.literal_args()
            if len(args) != 1 or not isinstance(args[0], str):
                raise WhereError("Guid(...) takes one quoted value")
            value = args[0].lower()
            return lambda rec: value
        if word == "datetime":
            args = self.literal_args()
            try:
                value = _Date(datetime.datetime(*args, tzinfo=datetime.timezone.utc).timestamp())
            except (TypeError, ValueError) as exc:
                raise WhereError("Invalid DateTime literal: %s" % exc)
            return lambda rec: value
        path = [raw]
        transforms = []
        while self.peek("."):
            self.i += 1
            kind, name = self.take()
            if kind != "id":
                raise WhereError("Expected a field or method name after '.'")
            if self.peek("("):
                method = name.lower()
                args = self.literal_args()
                if method in ("tolower", "toupper") and not args:
                    transforms.append(str.lower if method == "tolower" else str.upper)
                elif method in _METHODS and len(args) == 1 and isinstance(args[0], str):
                    transforms.append((_METHODS[method], args[0]))
                else:
                    raise WhereError("Unsupported method %s in where clause" % name)
            else:
                path.append(name)

        def value_of(rec, path=path, transforms=transforms):
            value = _lookup(rec, path)
            if is_guid(value):
                value = value.lower()
            for t in transforms:
                if isinstance(t, tuple):
                    value = t[0](value, t[1])
                elif isinstance(value, str):
                    value = t(value)
            return value
        return value_of


def _unquote(raw):
    return re.sub(r"\\(.)", r"\1", raw[1:-1])


def compile_where(text):
    """A predicate ``record -> bool`` for a where clause; raises WhereError."""
    return _Parser(text).parse()
