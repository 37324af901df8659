"""Tidy the Chinese Markdown of lesson sources so it renders as written.

    .venv/bin/python tools/tidy_chinese_markdown.py instructor/03_*.ipynb

Two things CommonMark does that Chinese text does not want, fixed in every ``lang:zh`` cell:
- a line break inside a paragraph renders as a space, which shows between two Chinese characters:
  lines are joined where either side of the break is Chinese;
- ``**…**`` does not close (or open) when the punctuation inside it touches a letter outside it
  (``**重要。**因为`` stays literal): that punctuation moves outside the bold span.
Code blocks, tables, lists' first lines, headings and display maths are left alone.
"""
from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import nbformat

_BLOCK_START = re.compile(r"^\s*([-*+]\s|\d+[.)]\s|#|>|\||```|\$\$|<)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _cjk(ch: str) -> bool:
    return bool(ch) and ("\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")


def _punct(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def join_lines(text: str) -> str:
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped.startswith("```") or stripped == "$$":
            fenced = not fenced if stripped.startswith("```") or stripped == "$$" else fenced
            out.append(line)
            continue
        previous = out[-1] if out else ""
        joinable = (not fenced and out and previous.strip() and stripped
                    and not _BLOCK_START.match(line) and not previous.strip().startswith(("|", "#", "```", "$$"))
                    and not previous.endswith("  ")
                    and (_cjk(previous.rstrip()[-1]) or _cjk(stripped[0])))
        if joinable:
            out[-1] = previous.rstrip() + stripped
        else:
            out.append(line)
    return "\n".join(out)


def fix_bold(text: str) -> str:
    def repair(match: re.Match) -> str:
        inner = match.group(1)
        start, end = match.start(), match.end()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        lead = ""
        while inner and _punct(inner[0]) and not before.isspace() and not _punct(before):
            lead, inner = lead + inner[0], inner[1:]
        trail = ""
        while inner and _punct(inner[-1]) and not after.isspace() and not _punct(after):
            trail, inner = inner[-1] + trail, inner[:-1]
        return f"{lead}**{inner}**{trail}" if inner else match.group(0)
    return _BOLD.sub(repair, text)


def tidy(path: Path) -> bool:
    nb = nbformat.read(path, as_version=4)
    changed = False
    for cell in nb.cells:
        if cell.cell_type == "markdown" and "lang:zh" in cell.get("metadata", {}).get("tags", []):
            new = fix_bold(join_lines(cell.source))
            if new != cell.source:
                cell.source, changed = new, True
    if changed:
        nbformat.write(nb, path)
    return changed


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {'tidied' if tidy(Path(name)) else 'unchanged'}")
