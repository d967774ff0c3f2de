"""Encryption of secrets at rest (client secret, access and refresh tokens).

The Fernet key never lives in the database, so a dump alone reveals no token. It comes
from the server option ``xero_connector_key`` when set (several servers sharing one
database must share it); otherwise it is generated once into ``<data_dir>/xero_connector.key``
with mode 0600.
"""
import base64
import contextlib
import functools
import hashlib
import logging
import os
import tempfile

from cryptography.fernet import Fernet, InvalidToken

from odoo.tools import config

_logger = logging.getLogger(__name__)
_warned = []  # the undecryptable-secret error is logged once per process

KEY_OPTION = "xero_connector_key"
KEY_FILE = "xero_connector.key"


def key_location():
    """Where the key lives, in words for the settings page."""
    if config.get(KEY_OPTION):
        return "server option %s" % KEY_OPTION
    return _key_path()


def _key_path():
    return os.path.join(config["data_dir"], KEY_FILE)


@functools.lru_cache(maxsize=4)
def _fernet(option_value, path):
    if option_value:
        return Fernet(_normalise(option_value))
    if not os.path.exists(path):
        os.makedirs(os.path.dirname(path), mode=0o700, exist_ok=True)
        # Written whole under a temporary name, then linked into place: another worker sees
        # either no key file or a complete one, and the first link wins.
        fd, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".xero_connector.key.")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(Fernet.generate_key())
            os.chmod(temporary, 0o600)
            with contextlib.suppress(FileExistsError):  # another worker created it first: use theirs
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    with open(path, "rb") as handle:
        return Fernet(handle.read().strip())


def _normalise(value):
    """Accept a Fernet key, or any passphrase of 32+ characters (hashed to a key)."""
    value = value.strip().encode()
    try:
        decoded = base64.urlsafe_b64decode(value)
    except ValueError:
        decoded = b""  # not base64: a passphrase
    if len(decoded) == 32:
        return value
    return base64.urlsafe_b64encode(hashlib.sha256(value).digest())


def fernet():
    return _fernet(config.get(KEY_OPTION) or "", _key_path())


def encrypt(text):
    if not text:
        return False
    return fernet().encrypt(text.encode()).decode()


def decrypt(token):
    if not token:
        return False
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        # The key changed (new server, lost key file, servers not sharing
        # xero_connector_key): the secret must be entered again. Say so loudly, once.
        if not _warned:
            _warned.append(True)
            _logger.error("Xero connector: a stored secret cannot be decrypted with the key at %s. "
                          "Servers sharing this database must share the server option %s; "
                          "otherwise enter the client secret again and reconnect.", key_location(), KEY_OPTION)
        return False
