"""Markdown (the bank's and the core's) as Slack mrkdwn.

Slack's mrkdwn is not Markdown: `*x*` is bold (Markdown's `**x**`), `_x_` italic
(Markdown's `*x*`), a fence's language tag shows as a stray first line, and there
are no tables or headings. So: fences lose their tag, Markdown tables become
monospaced blocks with aligned columns, headings and `**bold**` become `*bold*`,
`*italic*` becomes `_italic_` (line by line, since Slack's emphasis never spans a
line break), `- item` a bullet, `[label](url)` a Slack link; `&`, `<` and `>` are
escaped everywhere, code included, as Slack requires. A newline stays a line break
(the core writes lines, not paragraphs).
"""

from __future__ import annotations

import re

from bot.bank.present import format_table

_FENCE = re.compile(r"^(\s*)```[\w+#.-]*\s*$")
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^(\s*)[-*+]\s+")
_QUOTE = re.compile(r"^\s*>\s?")
_CODE_SPAN = re.compile(r"(`+)((?:(?!\n\s*\n).)+?)(?<!`)\1(?!`)", re.S)  # may wrap onto the next line
_LINK = re.compile(r"\[([^\]\n]+)\]\((https?://[^)\s]+)\)")
_INNER = r"((?:(?!\n\s*\n)(?!\n\s*(?:•|\d+[.)])\s).)+?)"  # emphasis never spans a blank line or a new list item
_BOLD = re.compile(rf"\*\*(?=\S){_INNER}(?<=\S)\*\*|(?<!\w)__(?=\S){_INNER}(?<=\S)__(?!\w)", re.S)
# Markdown's single-star emphasis: opens before a word (not `COUNT(*)` or `2 * 3`), closes after one.
_ITALIC = re.compile(rf"(?<![\w*\\])\*(?=[\w\"'(\x00\x01]){_INNER}(?<=[\w\"').!?:;,\x00\x01])\*(?![\w*])", re.S)
_STRIKE = re.compile(rf"~~(?=\S){_INNER}(?<=\S)~~", re.S)
_PLACEHOLDER = re.compile(r"\x00(\d+)\x00")
BOLD_MARK = "\x01"  # stands for Slack's `*` until italics are done


def escape(text: str) -> str:
    """Slack's three control characters, as its mrkdwn wants them."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(markdown: str) -> str:
    """Markdown as Slack mrkdwn."""
    lines = (markdown or "").split("\n")
    out: list[str] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        fence = _FENCE.match(line)
        if fence:
            end = next((j for j in range(i + 1, len(lines)) if lines[j].strip() == "```"), len(lines))
            out += _flush(prose)
            out.append(code_block("\n".join(_dedent(lines[i + 1 : end], fence.group(1)))))
            i = end + 1
        elif _TABLE_ROW.match(line) and i + 1 < len(lines) and _TABLE_RULE.match(lines[i + 1]) and "|" in lines[i + 1]:
            end = next((j for j in range(i + 2, len(lines)) if not _TABLE_ROW.match(lines[j])), len(lines))
            out += _flush(prose)
            out.append(table_block(lines[i:end]))
            i = end
        else:
            prose.append(line)
            i += 1
    out += _flush(prose)
    return "\n".join(out)


def code_block(body: str) -> str:
    """Code as a Slack code block: no language tag, escaped."""
    return f"```\n{escape(body)}\n```"


def table_block(lines: list[str]) -> str:
    """A Markdown table as a monospaced block with aligned columns, its cells as plain text."""
    header, *rows = (_cells(line) for line in lines[:1] + lines[2:])
    width = len(header)
    rows = [(row + [""] * width)[:width] for row in rows]
    return code_block(format_table(tuple(header), rows, max_width=10_000))


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [_plain(cell.replace("\\|", "|").strip()) for cell in re.split(r"(?<!\\)\|", inner)]


def _plain(text: str) -> str:
    """Inline Markdown as the plain text it shows (for monospaced blocks)."""
    text = _CODE_SPAN.sub(lambda m: m.group(2).strip(), text)
    text = _LINK.sub(r"\1", text)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    return _ITALIC.sub(r"\1", text)


def _dedent(lines: list[str], indent: str) -> list[str]:
    return [line[len(indent) :] if line.startswith(indent) else line.lstrip() for line in lines]


def _flush(prose: list[str]) -> list[str]:
    """Prose lines as mrkdwn: block syntax per line, then inline syntax over the whole run."""
    if not prose:
        return []
    quoted = [bool(_QUOTE.match(line)) for line in prose]
    lines = [_block_syntax(_QUOTE.sub("", line, count=1) if q else line) for line, q in zip(prose, quoted)]
    converted = _inline("\n".join(lines)).split("\n")
    prose.clear()
    return [f">{' ' if line else ''}{line}" if q else line for line, q in zip(converted, quoted)]


def _block_syntax(line: str) -> str:
    heading = _HEADING.match(line)
    if heading:
        return f"**{heading.group(1)}**" if heading.group(1) else ""
    return _BULLET.sub(lambda m: f"{m.group(1)}• ", line, count=1)


def _inline(text: str) -> str:
    spans: list[str] = []

    def keep(match: re.Match) -> str:
        spans.append(_per_line(escape(match.group(2)), "`"))  # Slack's inline code ends at a line break
        return f"\x00{len(spans) - 1}\x00"

    text = escape(_CODE_SPAN.sub(keep, text))
    text = _LINK.sub(lambda m: f"<{m.group(2)}|{m.group(1)}>", text)
    text = _BOLD.sub(lambda m: _per_line(m.group(1) or m.group(2), BOLD_MARK), text)
    text = _ITALIC.sub(lambda m: _per_line(m.group(1), "_"), text)
    text = _STRIKE.sub(lambda m: _per_line(m.group(1), "~"), text)
    text = text.replace(BOLD_MARK, "*")
    return _PLACEHOLDER.sub(lambda m: spans[int(m.group(1))], text)


def _per_line(inner: str, mark: str) -> str:
    """Emphasis around each line's words: Slack's never continues over a line break."""
    out = []
    for line in inner.split("\n"):
        body = line.strip()
        lead = line[: len(line) - len(line.lstrip())]
        out.append(f"{lead}{mark}{body}{mark}" if body else line)
    return "\n".join(out)
