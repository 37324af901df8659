"""crmlab outside the repository (issue 16): the wheel, a fresh environment, an empty folder.

The property under test is the issue's own "done when": in an empty folder, ``pip install <wheel>``
→ ``crmlab lessons course`` → the lessons run there. The wheel is built from this checkout with
``python -m build --wheel`` and installed with ``--no-deps`` into a fresh venv (no system site
packages); the project venv's site-packages is appended through a ``.pth`` so the dependencies need
not be downloaded again (the installed crmlab — the wheel's — comes first on ``sys.path``; a test
checks that). A real install with dependencies was timed by hand: see docs/hub/README.md.
"""
from __future__ import annotations

import ast
import json
import os
import re
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~;\[ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


# ---------------------------------------------------------------- runtime dependencies = imports

def _imported_top_level_modules() -> tuple[set[str], set[str]]:
    """(modules crmlab needs, modules it imports only inside ``try: ... except ImportError``)."""
    needed, optional = set(), set()
    for path in (ROOT / "crmlab").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        guarded = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                    isinstance(h.type, ast.Name) and h.type.id in {"ImportError", "ModuleNotFoundError"}
                    for h in node.handlers):
                guarded |= {id(n) for stmt in node.body for n in ast.walk(stmt)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = {node.module.split(".")[0]}
            else:
                continue
            (optional if id(node) in guarded else needed).update(names)
    outside = set(sys.stdlib_module_names) | {"crmlab", "__future__"}
    return needed - outside, optional - outside - needed


def test_runtime_dependencies_are_what_the_package_imports():
    # Property: every third-party module crmlab imports comes from a declared runtime dependency, and
    # every runtime dependency is imported somewhere (faker, nbval and jupyterlab are not: extras).
    owners = metadata.packages_distributions()
    needed, optional = _imported_top_level_modules()
    imported = {_name(owners[module][0]) for module in needed}
    declared = {_name(r) for r in PROJECT["dependencies"]}
    extras = PROJECT["optional-dependencies"]
    assert imported - declared == set(), "imported but not declared in [project] dependencies"
    assert declared - imported - {_name(owners[m][0]) for m in optional if m in owners} == set(), \
        "declared at run time but never imported (belongs in an extra)"
    # An optional import (inside try/except ImportError) is declared somewhere: at run time or in an extra.
    anywhere = declared | {_name(r) for reqs in extras.values() for r in reqs}
    assert {_name(owners[m][0]) if m in owners else m for m in optional} <= anywhere
    assert "faker" in {_name(r) for r in extras["maintainer"]}
    assert "nbval" in {_name(r) for r in extras["test"]}
    assert {_name(r) for r in extras["lab"]} == {"jupyterlab"}


def test_classifiers_urls_and_licence():
    assert any(c.startswith("Programming Language :: Python :: 3.11") for c in PROJECT["classifiers"])
    assert "Framework :: Jupyter :: JupyterLab" in PROJECT["classifiers"]
    assert {"Homepage", "Source", "Issues"} <= set(PROJECT["urls"])
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


# ---------------------------------------------------------------- crmlab lessons, in place

def test_lessons_update_untouched_copies_and_refuse_edited_ones(tmp_path):
    """The rule nbgitpuller follows: a copy the student never changed (its bytes are what was written
    there, recorded in the manifest) follows the new version; one the student changed is kept."""
    from crmlab.lessons import MANIFEST, write_lessons
    from crmlab.errors import CrmlabInputError

    course = tmp_path / "course"
    written = write_lessons(course, language="zh")
    assert written and not list(course.glob("*/*.ipynb"))  # one language: directly in DIR
    old = course / written[0].name
    old.write_text("an older version of the lesson", encoding="utf-8")  # as if written by a previous crmlab
    manifest = json.loads((course / MANIFEST).read_text())
    manifest[old.name] = __import__("hashlib").sha256(old.read_bytes()).hexdigest()
    (course / MANIFEST).write_text(json.dumps(manifest))
    assert write_lessons(course, language="zh") == [old]  # untouched old copy: updated without --force
    old.write_text(old.read_text(encoding="utf-8") + " ", encoding="utf-8")  # the student edits it
    with pytest.raises(CrmlabInputError, match="--force"):
        write_lessons(course, language="zh")
    assert old.read_text(encoding="utf-8").endswith(" ")
    with pytest.raises(CrmlabInputError, match="language"):
        write_lessons(course, language="fr")


# ---------------------------------------------------------------- the wheel

@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    pytest.importorskip("build", reason="`build` is in the test extra: pip install -e '.[test]'")
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    (found,) = out.glob("crmlab-*.whl")
    return found


def test_wheel_ships_lessons_sources_and_datasets(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    student = {p.relative_to(ROOT / "notebooks").as_posix() for p in (ROOT / "notebooks").glob("*/*.ipynb")}
    assert student and {f"crmlab/lessons/student/{n}" for n in student} <= names
    assert "crmlab/lessons/student/README.md" in names
    sources = {p.name for p in (ROOT / "instructor").glob("[0-9][0-9]_*.ipynb")}
    assert len(sources) == 19 and {f"crmlab/lessons/source/{n}" for n in sources} <= names
    for dataset in ("retail", "retail_zh", "b2b", "b2b_zh"):
        committed = {p.name for p in (ROOT / "datasets" / dataset).iterdir()}
        assert {f"crmlab/_data/datasets/{dataset}/{n}" for n in committed} <= names
    assert "crmlab/_data/datasets/cdnow/CDNOW_sample.txt" in names
    # Nothing lands beside the package: no top-level datasets/, instructor/ or notebooks/.
    assert {n.split("/")[0] for n in names} == {"crmlab", wheel.name.split("-py3")[0] + ".dist-info"}
    requires = [line.split(":", 1)[1].strip() for line in
                zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("METADATA"))).decode().splitlines()
                if line.startswith("Requires-Dist:") and "extra ==" not in line]
    assert {_name(r) for r in requires} == {_name(r) for r in PROJECT["dependencies"]}


def test_wheel_sources_keep_code_and_drop_outputs(wheel):
    archive = zipfile.ZipFile(wheel)
    shipped = json.loads(archive.read("crmlab/lessons/source/03_abc_classification.ipynb"))
    original = json.loads((ROOT / "instructor" / "03_abc_classification.ipynb").read_text(encoding="utf-8"))
    code = lambda nb: [("".join(c["source"]), c["metadata"].get("tags")) for c in nb["cells"] if c["cell_type"] == "code"]
    assert code(shipped) == code(original)
    assert all(c["outputs"] == [] for c in shipped["cells"] if c["cell_type"] == "code")


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv (no system site packages) with the wheel installed; dependencies via a .pth."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    done = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "--disable-pip-version-check", str(wheel)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    Path(purelib, "zz_crmlab_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return venv


def _run(venv: Path, *args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "CRMLAB_DATA_DIR", "JUPYTERHUB_USER"}}
    full.update({"CRMLAB_STUDENT_ID": "", "HOME": str(cwd), "XDG_CACHE_HOME": str(cwd / ".cache"),
                 "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}", **(env or {})})
    return subprocess.run(list(args), cwd=cwd, env=full, capture_output=True, text=True, timeout=900)


def test_installed_package_is_the_wheel_and_finds_its_data(installed, tmp_path):
    probe = ("import crmlab, crmlab.datasets as d, crmlab._resources as r; "
             "from crmlab.exercises.reference import source_path; from crmlab.loyalty import load_cdnow_summary; "
             "print(crmlab.__file__); print(d.DATASETS_DIR); print(source_path('14')); print(r.is_repository_checkout()); "
             "print(len(load_cdnow_summary())); print(d.default_build_dir())")
    out = _run(installed, str(installed / "bin" / "python"), "-c", probe, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    package, data, source, checkout, cdnow, build_dir = out.stdout.split("\n")[:6]
    assert package.startswith(str(installed)) and not package.startswith(str(ROOT))
    assert data.startswith(str(installed)) and data.endswith("crmlab/_data/datasets")
    assert source.startswith(str(installed)) and source.endswith("crmlab/lessons/source/14_loyal_customer_value.ipynb")
    assert checkout == "False"
    assert cdnow == "2357"  # Fader, Hardie & Lee (2005): the CDNOW 1/10 sample has 2,357 customers
    assert build_dir == str(tmp_path / ".cache" / "crmlab" / "datasets")


def test_datasets_build_checks_the_shipped_copy_and_writes_to_the_user_folder(installed, tmp_path):
    crmlab = str(installed / "bin" / "crmlab")
    check = _run(installed, crmlab, "datasets", "build", "--check", "b2b", cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr  # the shipped world equals a fresh build
    build = _run(installed, crmlab, "datasets", "build", "b2b", cwd=tmp_path,
                 env={"CRMLAB_DATA_DIR": str(tmp_path / "mine")})
    assert build.returncode == 0, build.stderr
    assert (tmp_path / "mine" / "datasets" / "b2b" / "meta.json").is_file()
    purelib = next((installed / "lib").glob("python3*/site-packages"))
    assert not (purelib / "datasets").exists()  # no stray top-level `datasets` package


def _pick(course: Path, language: str, wanted: tuple[str, ...]) -> Path:
    for lesson in wanted:
        found = sorted((course / language).glob(f"{lesson}_*.ipynb"))
        if found:
            return found[0]
    raise AssertionError(f"none of lessons {wanted} in {course / language}")


def test_lessons_in_an_empty_folder_then_run(wheel, installed, tmp_path):
    crmlab = str(installed / "bin" / "crmlab")
    first = _run(installed, crmlab, "lessons", "course", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    course = tmp_path / "course"
    archive = zipfile.ZipFile(wheel)
    prefix = "crmlab/lessons/student/"
    shipped = {n[len(prefix):] for n in archive.namelist() if n.startswith(prefix)}
    assert {p.relative_to(course).as_posix() for p in course.rglob("*") if p.is_file()} == shipped | {".crmlab-lessons.json"}
    assert {"README.md", "zh/00_welcome.ipynb", "en/00_welcome.ipynb"} <= shipped
    for name in shipped:
        assert (course / name).read_bytes() == archive.read(prefix + name)

    # A student's edited notebook is never replaced without --force, and nothing else is written then.
    mine = course / "zh" / "00_welcome.ipynb"
    mine.write_text(mine.read_text(encoding="utf-8").replace("\n", "\n ", 1), encoding="utf-8")
    edited = mine.read_bytes()
    (course / "en" / "00_welcome.ipynb").unlink()
    again = _run(installed, crmlab, "lessons", "course", cwd=tmp_path)
    assert again.returncode == 2 and "00_welcome" in again.stderr and "--force" in again.stderr
    assert mine.read_bytes() == edited and not (course / "en" / "00_welcome.ipynb").exists()
    forced = _run(installed, crmlab, "lessons", "course", "--force", cwd=tmp_path)
    assert forced.returncode == 0 and mine.read_bytes() == archive.read(prefix + "zh/00_welcome.ipynb")
    one = _run(installed, crmlab, "lessons", "english", "--language", "en", cwd=tmp_path)
    assert one.returncode == 0 and sorted(p.name for p in (tmp_path / "english").glob("*.ipynb")) == \
        sorted(n[3:] for n in shipped if n.startswith("en/"))

    # One Chinese and one English lesson run top to bottom there, on the installed package only
    # (lesson 14 reads the CDNOW sample once its student version exists; until then lesson 04 cites CDNOW).
    zh, en = _pick(course, "zh", ("14", "04")), _pick(course, "en", ("14", "03"))
    script = (
        "import sys, nbformat, crmlab\n"
        "from nbclient import NotebookClient\n"
        "assert crmlab.__file__.startswith(sys.prefix), crmlab.__file__\n"
        "for path in sys.argv[1:]:\n"
        "    nb = nbformat.read(path, as_version=4)\n"
        "    NotebookClient(nb, timeout=600, kernel_name='python3',\n"
        "                   resources={'metadata': {'path': str(__import__('pathlib').Path(path).parent)}}).execute()\n"
        "    errors = [o for c in nb.cells if c.cell_type == 'code' for o in c.outputs if o.output_type == 'error']\n"
        "    assert not errors, (path, errors)\n"
        "    print('ran', path)\n")
    ran = _run(installed, str(installed / "bin" / "python"), "-c", script, str(zh), str(en), cwd=tmp_path)
    assert ran.returncode == 0, ran.stdout[-2000:] + ran.stderr[-4000:]
    assert ran.stdout.count("ran ") == 2
