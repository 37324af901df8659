"""The one exception crmlab raises for bad input (in its own module so that light entry points, such as the
``crmlab`` command's ``--help``, can name it without importing pandas)."""
from __future__ import annotations


class CrmlabInputError(ValueError):
    """Raised when an input cannot give a correct answer. The message says how to fix it."""


__all__ = ["CrmlabInputError"]
