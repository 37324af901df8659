"""The ``crmlab`` command: generate worlds, build and list datasets; more subcommands plug in.

    crmlab generate SCENARIO --customers N --seed S --locale L --out DIR [--force]
    crmlab datasets build [--check] [NAME ...]
    crmlab datasets list

Other parts of the package add subcommands without editing this file's logic: a module listed in
:data:`PLUGIN_MODULES` defines ``add_parser(subparsers)`` (adding its parser(s) to the argparse
sub-parsers) and ``run(args) -> int``. A listed module that does not exist yet is skipped.
A plug-in whose commands are named in :data:`LAZY_COMMANDS` is imported only when one of its
commands runs (its help line is listed without importing it), so ``crmlab --help`` and the built-in
commands start without loading nbformat, jsonschema or the grader.
Bad input ends with a one-line message that names the parameter, the value and what is allowed,
and exit code 2 (no traceback).
"""
from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from crmlab import __version__
from crmlab.errors import CrmlabInputError
from crmlab.i18n import tr

PLUGIN_MODULES = ("crmlab.exercises.assign", "crmlab.exercises.grade", "crmlab.lessons.cli")
# The commands each known plug-in adds and their one-line help: listed in `crmlab --help` without
# importing the plug-in (the grader imports nbformat -> jsonschema, over a second). A plug-in not
# named here is imported whenever the parser is built, as before.
LAZY_COMMANDS = {
    "crmlab.exercises.assign": {"assign": "write student versions of source notebooks (solutions replaced by stubs)"},
    "crmlab.exercises.grade": {"grade": "grade a folder of submitted notebooks in sandboxed kernels"},
    "crmlab.lessons.cli": {"lessons": "write the student lessons (zh/, en/ and README.md) into a folder"},
}


def _whole_number(value: str, name: str) -> int:
    try:
        return int(value, 10)
    except ValueError:
        raise CrmlabInputError(tr(
            f"--{name} must be a whole number, got {value!r}.",
            f"--{name} 必须是整数，实际是 {value!r}。",
        )) from None


def _generate(args: argparse.Namespace) -> int:
    import time

    from crmlab.synth import TABLES, generate
    from crmlab.synth.generate import SCENARIO_NAMES, check_memory
    from crmlab.synth.writer import FORMATS, terminal_progress, write_world
    from crmlab.validation import require_choice

    require_choice(args.scenario, "scenario", SCENARIO_NAMES)
    require_choice(args.format, "format", FORMATS)
    customers = _whole_number(args.customers, "customers")
    seed = _whole_number(args.seed, "seed")
    out = Path(args.out)
    # Refuse before spending minutes on a large world that could not be written anyway.
    existing = [name for name in [*TABLES[args.scenario], "meta"]
                if (out / f"{name}.{'json' if name == 'meta' else args.format}").exists()]
    if existing and not args.force:
        raise CrmlabInputError(tr(
            f"--out {out} already holds files of a world ({', '.join(existing)}); refusing to overwrite. "
            "Choose another directory or add --force.",
            f"--out {out} 中已有数据文件（{', '.join(existing)}），不会覆盖。请换一个目录或加上 --force。",
        ))
    check_memory(args.scenario, customers)
    progress = terminal_progress()
    started = time.perf_counter()
    if progress:
        progress(tr(f"generating {customers:,} customers", f"正在生成 {customers:,} 个客户"), 0.0)
    world = generate(args.scenario, customers, seed=seed, locale=args.locale, start=args.start, end=args.end)
    if progress:
        progress(tr(f"generated in {time.perf_counter() - started:.1f} s", f"生成用时 {time.perf_counter() - started:.1f} 秒"),
                 1.0)
    paths = write_world(world, out, args.format, force=args.force, progress=progress)
    print(f"{world!r} -> {out} ({len(paths)} files)")
    return 0


def _datasets(args: argparse.Namespace) -> int:
    from crmlab import datasets

    if args.action == "list":
        for name, entry in datasets.REGISTRY.items():
            print(f"{name:<12} {entry.description}")
        return 0
    differing = datasets.build(args.names or None, check=args.check)
    if args.check:
        for name in differing:
            print(tr(f"{name}: committed files differ from a fresh build", f"{name}：已提交的文件与重新生成的不一致"))
        if not differing:
            print(tr("all datasets match a fresh build", "所有数据集与重新生成的完全一致"))
        return 1 if differing else 0
    print(tr(f"rebuilt: {', '.join(differing) or 'nothing changed'}", f"已重新生成：{', '.join(differing) or '无变化'}"))
    return 0


def _command_in(argv: Sequence[str]) -> str | None:
    """The subcommand named in ``argv`` (its first word that is not an option), or None."""
    return next((word for word in argv if not word.startswith("-")), None)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with the built-in subcommands and every available plug-in.

    With ``command`` given, a plug-in of :data:`LAZY_COMMANDS` is imported only if it provides that
    command; the others appear in the help by name only. Without it every plug-in is imported.
    """
    parser = argparse.ArgumentParser(prog="crmlab", description="crmlab: CRM training lab tools (客户关系管理实验室).")
    parser.add_argument("--version", action="version", version=f"crmlab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    gen = sub.add_parser("generate", help="generate a synthetic company world as CSV or Parquet files")
    gen.add_argument("scenario", metavar="SCENARIO", help="retail or b2b")
    gen.add_argument("--customers", required=True, help="number of customers (retail) or accounts (b2b)")
    gen.add_argument("--seed", default="0", help="random seed, a whole number ≥ 0 (default 0)")
    gen.add_argument("--locale", default="en_US", help="en_US or zh_CN (default en_US)")
    gen.add_argument("--start", default="2023-01-01", help="first day, YYYY-MM-DD (default 2023-01-01)")
    gen.add_argument("--end", default="2025-12-31", help="last day, YYYY-MM-DD (default 2025-12-31)")
    gen.add_argument("--out", required=True, help="directory for the files (one per table)")
    gen.add_argument("--format", default="csv", help="csv or parquet (default csv; parquet is smaller and faster)")
    gen.add_argument("--force", action="store_true", help="overwrite existing files")
    gen.set_defaults(_run=_generate)

    data = sub.add_parser("datasets", help="build, check or list the committed datasets")
    data_sub = data.add_subparsers(dest="action", required=True, metavar="ACTION")
    build = data_sub.add_parser("build", help="regenerate every dataset byte for byte")
    build.add_argument("names", nargs="*", metavar="NAME", help="only these datasets (default: all)")
    build.add_argument("--check", action="store_true", help="compare without writing; exit 1 on a difference")
    data_sub.add_parser("list", help="list the datasets")
    data.set_defaults(_run=_datasets)

    for module_name in PLUGIN_MODULES:
        lazy = LAZY_COMMANDS.get(module_name, {})
        if command is not None and lazy and command not in lazy:
            for name, help_line in lazy.items():
                sub.add_parser(name, help=help_line, add_help=False)
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:
                continue
            raise
        before = set(sub.choices)
        module.add_parser(sub)
        for name in set(sub.choices) - before:
            sub.choices[name].set_defaults(_run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``crmlab`` command; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(_command_in(argv) or "").parse_args(argv)
    try:
        return int(args._run(args) or 0)
    except CrmlabInputError as exc:
        print(f"crmlab {args.command}: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
