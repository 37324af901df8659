"""Sphinx configuration of crmlab's API reference (built from the docstrings).

    sphinx-build -W -b html docs/api build/api     # warnings are errors (tests/test_docs.py); build/ is ignored
"""
import crmlab

project = "crmlab"
author = "crmlab contributors"
copyright = "crmlab contributors, MIT licence"
release = version = crmlab.__version__
language = "en"

extensions = ["sphinx.ext.autodoc", "sphinx.ext.napoleon", "sphinx.ext.viewcode"]
# The docstrings are numpydoc-style (Parameters / Returns / Notes / References); napoleon reads them.
napoleon_google_docstring = False
napoleon_numpy_docstring = True
napoleon_use_rtype = False
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": True}
autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
# Types in docstrings are prose ("list of str", "DataFrame indexed by customer"), not cross-references.
nitpicky = False
exclude_patterns = ["_build"]
html_theme = "alabaster"
html_title = f"crmlab {release} API"
