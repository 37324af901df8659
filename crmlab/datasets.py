"""Load the lab's datasets: the committed default worlds, or a student's own world (加载数据).

``load("retail")`` reads the committed CSVs under ``datasets/retail/`` with proper dtypes (in the
repository's ``datasets/`` folder, or the copy a wheel ships as package data; see
``crmlab._resources``). With a
student ID (given, or set with ``crmlab.student.set_student_id``) it generates a world of the same
size from that student's seed instead, so every student gets different but reproducible data.
New datasets join by adding an entry to :data:`REGISTRY` (their tables' column kinds go in
``crmlab.synth.world.TABLES``).
"""
from __future__ import annotations

import filecmp
import tempfile
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import Path
from typing import NamedTuple

from crmlab._resources import is_repository_checkout, resource_dir, user_data_dir
from crmlab.i18n import tr
from crmlab.i18n import get_language
from crmlab.student import get_student_id, normalise_student_id, seed_for
from crmlab.synth import World, generate
from crmlab.validation import CrmlabInputError, require_choice

# The committed worlds: the repository's datasets/ or the wheel's package data (read-only there).
DATASETS_DIR = resource_dir("datasets") or user_data_dir() / "datasets"


def default_build_dir() -> Path:
    """Where ``build`` writes: the repository's ``datasets/`` in a clone (maintainers regenerate the
    committed files), else ``<user data dir>/datasets`` — never the installed package."""
    return DATASETS_DIR if is_repository_checkout() else user_data_dir() / "datasets"


class Dataset(NamedTuple):
    """A registered dataset: ``builder(seed) -> World``, what it is, and the seed of the committed copy."""

    builder: Callable[[int], World]
    description: str
    seed: int = 0


REGISTRY: dict[str, Dataset] = {
    "retail": Dataset(partial(generate, "retail", 2000, locale="en_US"),
                      "Supermarket chain with an online shop (B2C), 2,000 customers, USD, 2023–2025.", 1),
    "retail_zh": Dataset(partial(generate, "retail", 2000, locale="zh_CN"),
                         "连锁超市与网店（B2C），2,000 名客户，人民币，2023–2025。Same story as retail, Chinese locale.", 2),
    "b2b": Dataset(partial(generate, "b2b", 300, locale="en_US"),
                   "Steel supplier with 300 accounts of every customer category, USD, 2023–2025.", 1),
    "b2b_zh": Dataset(partial(generate, "b2b", 300, locale="zh_CN"),
                      "钢铁企业，300 个各类客户账户，人民币，2023–2025。Same story as b2b, Chinese locale.", 2),
}


def _fresh(world: World) -> World:
    """A copy safe to modify: copy-on-write shallow copies, so the cached world never changes."""
    return World(world.scenario, {name: table.copy(deep=False) for name, table in world.tables.items()},
                 dict(world.meta))


@lru_cache(maxsize=16)
def _committed(name: str) -> World:
    for directory in (DATASETS_DIR / name, user_data_dir() / "datasets" / name):
        if (directory / "meta.json").is_file():
            return World.from_csv(directory)
    # Installed without the repository's datasets/: the same seed rebuilds the same world.
    entry = REGISTRY[name]
    return entry.builder(entry.seed)


@lru_cache(maxsize=16)
def _for_student(name: str, student_id: str) -> World:
    return REGISTRY[name].builder(seed_for(student_id))


# Real data sets (not generated, the same for every student): name → CDNOW version.
REAL_DATASETS = {"cdnow": "sample", "cdnow_master": "master"}


@lru_cache(maxsize=2)
def _real(name: str) -> World:
    from crmlab.loyalty.summary import load_cdnow_summary, load_cdnow_transactions
    version = REAL_DATASETS[name]
    transactions = load_cdnow_transactions(version)
    return World("cdnow", {"transactions": transactions, "summary": load_cdnow_summary(version)}, {
        "scenario": "cdnow", "version": version, "locale": "en_US", "customers": int(transactions["customer_id"].nunique()),
        "start": "1997-01-01", "end": "1998-06-30", "calibration_end": "1997-09-30",
        "analysis_date": "1998-07-01", "currency": "USD", "time_unit": "W",
        "source": "Fader & Hardie, http://www.brucehardie.com/datasets/ (copy from lifetimes 0.11.3)",
        "citation": "Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). 'Counting your customers' the easy way: "
                    "an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284."})


def load(name: str = "retail", student_id: str | None = None) -> World:
    """Load a dataset as a :class:`~crmlab.synth.World` (tables as DataFrames with proper dtypes).

    Parameters
    ----------
    name : one of ``crmlab.datasets.REGISTRY`` (``"retail"``, ``"retail_zh"``, ``"b2b"``, ``"b2b_zh"`` …), or a
        real data set: ``"cdnow"`` (the CDNOW 1/10 sample, 2,357 customers) or ``"cdnow_master"`` (all
        23,570 customers), each with tables ``transactions`` and ``summary`` (the 39-week calibration /
        holdout summary of Fader, Hardie & Lee 2005); real data ignore ``student_id``.
        In Chinese (``crmlab.set_language("zh")``, the lab's default) ``"retail"`` and ``"b2b"`` load
        their Chinese worlds ``"retail_zh"`` and ``"b2b_zh"``; in English the ``en_US`` ones.
    student_id : your student ID (学号). Without it, the ID set by ``crmlab.student.set_student_id``
        is used; with none set, the shared default world is loaded.

    Returns
    -------
    World
        ``world["customers"]``, ``world["transactions"]`` …, ``world.meta``.
    """
    if name in REAL_DATASETS:  # real purchase records: the same for every student
        return _fresh(_real(name))
    require_choice(name, "name", [*REGISTRY, *REAL_DATASETS])
    name = localised(name)
    if student_id is not None and (not isinstance(student_id, str) or not student_id.strip()):
        raise CrmlabInputError(tr(
            f"student_id must be a non-empty text such as '2024001234', got {student_id!r}.",
            f"student_id 必须是非空文字，例如 '2024001234'，实际是 {student_id!r}。",
        ))
    sid = normalise_student_id(student_id) if student_id is not None else get_student_id()
    return _fresh(_committed(name) if sid is None else _for_student(name, sid))


def localised(name: str) -> str:
    """The dataset a lesson in the language in force means by ``name``: in Chinese, ``"retail"`` is
    ``"retail_zh"`` (Chinese names and cities, yuan); a name that already says its locale is kept."""
    chinese = f"{name}_zh"
    return chinese if get_language() == "zh" and chinese in REGISTRY else name


def build(names: list[str] | None = None, check: bool = False, directory: Path | None = None) -> list[str]:
    """Regenerate the committed datasets byte for byte; with ``check`` only compare.

    Parameters
    ----------
    names : list of str, optional
        Datasets of :data:`REGISTRY` to build (default: all).
    check : bool
        Only compare a fresh build with the files in ``directory``; write nothing.
    directory : path, optional
        The folder holding one sub-folder per dataset. Default: with ``check``, the committed copy
        (:data:`DATASETS_DIR`); otherwise :func:`default_build_dir` (the repository's ``datasets/``
        in a clone, the user data folder in an installed package — never site-packages).

    Returns
    -------
    list of str
        The names of datasets whose files differ from a fresh build (empty: all equal).
    """
    if directory is not None:
        directory = Path(directory)
    else:
        directory = DATASETS_DIR if check else default_build_dir()
    names = list(REGISTRY) if names is None else names
    for name in names:
        require_choice(name, "name", REGISTRY)
    differing = []
    for name in names:
        entry = REGISTRY[name]
        world = entry.builder(entry.seed)
        target = directory / name
        with tempfile.TemporaryDirectory() as tmp:
            written = world.to_csv(tmp)
            files = [p.name for p in written]
            _, mismatch, errors = filecmp.cmpfiles(tmp, target, files, shallow=False)
            same = not mismatch and not errors
        if not same:
            differing.append(name)
            if not check:
                world.to_csv(target, force=True)
    if not check:
        _committed.cache_clear()
    return differing
