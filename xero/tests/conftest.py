"""Pure suite: make ``import xero`` work without importing the addon (whose __init__ needs Odoo)."""
import pathlib
import sys

ROOT = str(pathlib.Path(__file__).resolve().parents[2])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)
