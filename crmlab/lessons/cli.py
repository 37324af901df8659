"""``crmlab lessons DIR [--language zh|en] [--force]``: write the student lessons into a folder."""
from __future__ import annotations

import argparse
from pathlib import Path

from crmlab.i18n import tr

HELP = "write the student lessons (zh/, en/ and README.md) into a folder"


def add_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``crmlab lessons DIR [--language zh|en] [--force]``."""
    parser = subparsers.add_parser(
        "lessons", help=HELP,
        description="Write the student lessons into DIR: both languages in DIR/zh and DIR/en with the "
                    "landing page DIR/README.md, or one language (--language) directly in DIR. Lessons you "
                    "edited are never replaced without --force.")
    parser.add_argument("dir", type=Path, metavar="DIR", help="your course folder (created if missing)")
    parser.add_argument("--language", choices=("zh", "en"), default=None,
                        help="only this language, directly in DIR (default: both, in DIR/zh and DIR/en)")
    parser.add_argument("--force", action="store_true", help="replace lessons you edited")
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``crmlab lessons``; returns the exit code."""
    from crmlab.lessons import write_lessons

    written = write_lessons(args.dir, language=args.language, force=args.force)
    print(tr(f"{len(written)} files written to {args.dir}" + ("" if written else " (already up to date)"),
             f"已向 {args.dir} 写入 {len(written)} 个文件" + ("" if written else "（已是最新）")))
    start = "README.md" if args.language is None else ""
    print(tr(f"open them with: jupyter lab {args.dir / start}", f"打开方式：jupyter lab {args.dir / start}"))
    return 0
