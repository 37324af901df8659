"""environment.yml (conda/Binder) and pyproject.toml must list the same dependencies."""
import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
# conda-forge packages whose name differs from PyPI's.
CONDA_NAMES = {"matplotlib-base": "matplotlib"}


def _split(requirement: str) -> tuple[str, str]:
    name, spec = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement).groups()
    return name.lower().replace("_", "-"), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pip_deps = project["dependencies"] + project["optional-dependencies"]["test"] + \
        project["optional-dependencies"]["browser"]
    expected = dict(_split(r) for r in pip_deps)
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = {}
    for dep in env["dependencies"]:
        # packages conda-forge lacks come from PyPI in the `pip:` section
        for item in (dep["pip"] if isinstance(dep, dict) else [dep]):
            name, spec = _split(item)
            if name not in {"python", "pip", "-e"}:
                conda[CONDA_NAMES.get(name, name)] = spec
    assert conda == expected
