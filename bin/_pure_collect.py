"""pytest plugin of the pure suite (``bin/test pure``): every folder is collected as a plain folder.

The repo root is the addon: a package whose ``__init__.py`` imports Odoo. pytest turns each
folder holding an ``__init__.py`` on the way to a test file into a Package node and imports
that ``__init__.py`` to set it up; its default import mode names ``xero_sandbox/__init__.py``
after every package above it (``<root>.xero_sandbox``), which imports the root first. The
pure tests need no package set-up (their conftest puts the repo root on ``sys.path`` and
they import ``xero`` and ``xero_sandbox`` as top-level packages), so no folder is a Package.

Loaded with ``-p _pure_collect`` and ``bin/`` on PYTHONPATH.
"""
import pytest


@pytest.hookimpl(tryfirst=True)
def pytest_collect_directory(path, parent):
    return pytest.Dir.from_parent(parent, path=path)
