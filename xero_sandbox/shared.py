"""What the fake takes from the ``xero`` package: the clock, Xero's date format, and its webhook
signature.

A fake and a client on clocks with the same epoch and scale agree on token expiry, rate
windows and UpdatedDateUTC, so the fake runs on the client's own clock class; and Xero's
``/Date(ms+zzzz)/`` is written and read by one implementation (``xero/dates.py``). The fake is
imported two ways and finds ``xero`` beside it either way: inside Odoo as
``odoo.addons.xero_connector.xero_sandbox`` (the relative import), elsewhere as a top-level
package with the repo root on ``sys.path`` (pure tests, benchmarks, ``python -m xero_sandbox``),
where a relative import beyond the top level raises ImportError.
"""
try:
    from ..xero import dates, webhooks
    from ..xero.clock import Clock
except ImportError:
    from xero import dates, webhooks
    from xero.clock import Clock

__all__ = ["Clock", "dates", "webhooks"]
