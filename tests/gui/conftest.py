"""GUI fixtures live in gui_support.py (a unique module name: test modules import
helpers from it, and a bare `conftest` import would find another folder's)."""

from gui_support import *  # noqa: F401,F403
