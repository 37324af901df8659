"""The dependency lists outside pyproject.toml say the same as pyproject.toml.

- environment.yml (conda) = the runtime dependencies + the ``lab`` extra (what ``make lab`` installs);
  no test tools.
- binder/requirements.txt (repo2docker) = the runtime dependencies exactly (repo2docker brings JupyterLab),
  with no editable or local install in it (that would rebuild the image's dependency layer on every edit).
"""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
# conda-forge packages whose name differs from PyPI's.
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_is_runtime_plus_lab():
    expected = dict(_split(r) for r in PROJECT["dependencies"] + PROJECT["optional-dependencies"]["lab"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        # packages conda-forge lacks would come from PyPI in the `pip:` section
        for item in (dep["pip"] if isinstance(dep, dict) else [dep]):
            if item.startswith("-"):
                continue
            name, spec = _split(item)
            if name not in {"python", "pip"}:
                conda[CONDA_NAMES.get(name, name)] = spec
    assert conda == expected
    test_tools = {_split(r)[0] for r in PROJECT["optional-dependencies"]["test"]}
    assert not test_tools & set(conda)


def test_binder_requirements_are_the_runtime_dependencies():
    lines = [line.strip() for line in (ROOT / "binder" / "requirements.txt").read_text().splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    assert not [line for line in lines if line.startswith(("-e", ".", "-r", "git+"))]
    assert dict(_split(line) for line in lines) == dict(_split(r) for r in PROJECT["dependencies"])
