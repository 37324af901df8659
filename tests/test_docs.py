"""The API reference (docs/api/) builds from the docstrings with warnings as errors (issue 16).

``sphinx-build -W`` fails on any docstring Sphinx cannot read (a broken numpydoc section, an rST
substitution written by accident such as ``|x|``, a trailing underscore read as a link), so a docstring
that breaks the reference breaks this test. The pages must document every function and class each
public package exports (its ``__all__``).
"""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"lab": ["crmlab", "crmlab.lessons"], "data": ["crmlab.datasets", "crmlab.synth", "crmlab.crm"],
            "classify": ["crmlab.classify"], "satisfaction": ["crmlab.satisfaction"], "loyalty": ["crmlab.loyalty"],
            "operations": ["crmlab.operations", "crmlab.quality", "crmlab.plot"],
            "exercises": ["crmlab.exercises", "crmlab.validation"]}


def test_api_reference_builds_without_warnings(tmp_path):
    pytest.importorskip("sphinx", reason="sphinx is in the test and docs extras: pip install -e '.[docs]'")
    done = subprocess.run([sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
                           str(ROOT / "docs" / "api"), str(tmp_path / "html")],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-5000:]
    for page, modules in PACKAGES.items():
        html = (tmp_path / "html" / f"{page}.html").read_text(encoding="utf-8")
        for module in modules:
            package = importlib.import_module(module)
            # every exported function and class (constants without a docstring are not required)
            exported = [n for n in getattr(package, "__all__", []) if callable(getattr(package, n))]
            missing = [name for name in exported if f'id="{module}.{name}"' not in html
                       and f'.{name}"' not in html]
            assert not missing, f"{page}.html lacks {module}: {missing}"
