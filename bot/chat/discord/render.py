"""A core `Reply` as a Discord message: plain content or embeds, with buttons, within Discord's limits.

Short plain replies are message content; anything longer, or with a title, code or a
table, goes in embeds whose descriptions carry the text, code blocks and tables
(code-block tables). A reply longer than one description (4,096) is split over several
embeds of one message at line ends, a code fence closed and reopened at a cut, so
nothing is lost up to Discord's 6,000 characters a message. Beyond that the longest
parts are cut first: a cut is always marked (" …", "… 12 more rows") and a code block
keeps its fences.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

import discord

from bot.bank.present import format_table
from bot.study import Code, Reply, TableBlock
from bot.study.commands import ADMIN_VERBS

from .buttons import round_view

MESSAGE_LIMIT = 2000  # characters of message content
DESCRIPTION_LIMIT = 4096  # characters of an embed description
EMBEDS_TOTAL_LIMIT = 6000  # characters of all the embeds of one message together
TITLE_LIMIT = 256  # characters of an embed title
THREAD_NAME_LIMIT = 100
MIN_PART = 80  # a part cut shorter than this is left out rather than shown as a stub
SEP = "\n\n"
# The core names every verb `/study <verb>`; on Discord the admin verbs are `/study-admin <verb>`.
ADMIN_VERB = re.compile(rf"/study (?=(?:{'|'.join(ADMIN_VERBS)})\b)")
# The text platforms' syntax for settings (in replies, and help's usage); Discord's setup takes options.
TYPED_SETTINGS = {"`/study setup key=value …`": "`/study-admin setup` and its options",
                  "`/study setup [key=value …]`": "`/study-admin setup [options]`"}

OK, REFUSED, CORRECT, INCORRECT = (discord.Colour.blurple(), discord.Colour.orange(), discord.Colour.green(), discord.Colour.red())


@dataclass
class Rendered:
    content: str | None = None
    embeds: list[discord.Embed] = field(default_factory=list)
    view: discord.ui.View | None = None

    def kwargs(self) -> dict:
        """Keyword arguments for `send`, `send_message` and `followup.send`."""
        out = {}
        if self.content is not None:
            out["content"] = self.content
        if self.embeds:
            out["embeds"] = self.embeds
        if self.view is not None:
            out["view"] = self.view
        return out


def render(reply: Reply) -> Rendered:
    reply = discord_names(reply)
    view = round_view(reply.buttons) if reply.buttons else None
    if not reply.title and not reply.sections and len(reply.text) <= MESSAGE_LIMIT:
        return Rendered(content=reply.text or "\u200b", view=view)
    title = clip(reply.title, TITLE_LIMIT) if reply.title else None
    parts = [_part(_in_readers_time(section, reply.moments)) for section in ((reply.text,) if reply.text else ()) + reply.sections]
    colour = _colour(reply)
    descriptions = pack(parts, EMBEDS_TOTAL_LIMIT - len(title or ""))
    embeds = [discord.Embed(title=None if i else title, description=text, colour=colour) for i, text in enumerate(descriptions)]
    return Rendered(embeds=embeds, view=view)


def discord_names(reply: Reply) -> Reply:
    """The reply as Discord members type it: `/study setup` is `/study-admin setup` here."""
    def named(text):
        if not isinstance(text, str):
            return text
        for typed, options in TYPED_SETTINGS.items():
            text = text.replace(typed, options)
        return ADMIN_VERB.sub("/study-admin ", text)

    return replace(reply, text=named(reply.text), title=named(reply.title), sections=tuple(named(s) for s in reply.sections))


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split()) if limit <= THREAD_NAME_LIMIT else text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def thread_name(title: str) -> str:
    return clip(title, THREAD_NAME_LIMIT) or "Today's question"


def _colour(reply: Reply) -> discord.Colour:
    if not reply.ok:
        return REFUSED
    return {"correct": CORRECT, "incorrect": INCORRECT}.get(reply.mark or "", OK)


def pack(parts: list, budget: int) -> list[str]:
    """Embed descriptions (each at most 4,096 characters, `budget` in all) holding the parts in order.

    Whole parts when they fit the budget; otherwise each is cut to a fair share, the
    longest first. A part longer than a description is split over several; consecutive
    parts share a description while it has room.
    """
    target = budget
    while True:
        descriptions = _pack(parts, target)
        over = sum(map(len, descriptions)) - budget
        if over <= 0:
            return descriptions
        target -= over  # fences closed and reopened at splits took that much more


def _pack(parts: list, budget: int) -> list[str]:
    texts = [p.render(None) for p in parts]
    separators = len(SEP) * (len(parts) - 1)
    if sum(map(len, texts)) + separators > budget:
        shares = _fair_shares([len(t) for t in texts], budget - separators)
        texts = [p.render(share) for p, share in zip(parts, shares)]
    descriptions: list[str] = []
    for piece in (piece for text in texts for piece in split_lines(text, DESCRIPTION_LIMIT) if piece.strip()):
        if descriptions and len(descriptions[-1]) + len(SEP) + len(piece) <= DESCRIPTION_LIMIT:
            descriptions[-1] += SEP + piece
        else:
            descriptions.append(piece)
    return descriptions or ["\u200b"]


def _fair_shares(sizes: list[int], budget: int) -> list[int]:
    """Max-min fair: parts smaller than an equal share keep their size, the rest split what is left."""
    shares = [0] * len(sizes)
    left, order = budget, sorted(range(len(sizes)), key=lambda i: sizes[i])
    for n, i in enumerate(order):
        equal = left // (len(order) - n)
        shares[i] = min(sizes[i], equal)
        left -= shares[i]
    return shares


def split_lines(text: str, limit: int) -> list[str]:
    """Text in pieces of at most `limit` characters, cut at line ends (long lines at spaces);
    a code fence open at a cut is closed there and reopened in the next piece."""
    if len(text) <= limit:
        return [text]
    room = limit - 8  # "\n```" closes a fence at a cut
    lines = [piece for line in text.split("\n") for piece in _wrap(line, room // 2)]
    pieces, current, fence = [], [], None
    for line in lines:
        if current and len("\n".join([*current, line])) > room:
            pieces.append("\n".join(current + (["```"] if fence else [])))
            current = [fence] if fence else []
        current.append(line)
        if line.lstrip().startswith("```"):
            fence = None if fence else line.strip()
    pieces.append("\n".join(current))
    return pieces


def _wrap(line: str, width: int) -> list[str]:
    out = []
    while len(line) > width:
        cut = line.rfind(" ", width // 2, width)
        cut = cut if cut > 0 else width
        out.append(line[:cut])
        line = line[cut:].lstrip(" ")
    return [*out, line]


class _Prose:
    def __init__(self, text: str):
        self.text = text

    def render(self, limit: int | None) -> str:
        if limit is None or len(self.text) <= limit:
            return self.text
        if limit < MIN_PART:
            return ""
        cut = self.text[: limit - 7]  # room for " …" and a closing fence
        if "\n" in cut[len(cut) // 2 :]:
            cut = cut[: cut.rindex("\n")]
        cut = cut.rstrip() + " …"
        if cut.count("```") % 2:  # never leave a code fence open
            cut += "\n```"
        return cut


class _Fenced:
    def __init__(self, body: str, language: str = "", caption: str = "", header_lines: int = 0, unit: str = "lines"):
        self.lines = body.replace("```", "`\u200b``").splitlines() or [""]
        self.language, self.caption, self.header_lines, self.unit = language, caption, header_lines, unit

    def _text(self, lines: list[str], dropped: int) -> str:
        note = [f"… {dropped} more {self.unit}"] if dropped else []
        head = f"{self.caption}\n" if self.caption else ""
        return head + f"```{self.language}\n" + "\n".join(lines + note) + "\n```"

    def render(self, limit: int | None) -> str:
        full = self._text(self.lines, 0)
        if limit is None or len(full) <= limit:
            return full
        if limit < MIN_PART:
            return ""
        keep = list(self.lines[: self.header_lines])
        for line in self.lines[self.header_lines :]:
            if len(self._text(keep + [line], len(self.lines) - len(keep) - 1)) > limit:
                break
            keep.append(line)
        text = self._text(keep, len(self.lines) - len(keep))
        while len(text) > limit and any(len(line) > 10 for line in keep):  # very wide lines: shorten them
            keep = [line[: max(10, len(line) // 2)] for line in keep]
            text = self._text(keep, len(self.lines) - len(keep))
        return text if len(text) <= limit else ""


def discord_time(moment) -> str:
    """A moment as Discord shows it, in each reader's own zone: `Mon 2 Mar 18:00 (in 9 hours)`."""
    stamp = int(moment.timestamp())
    return f"<t:{stamp}:f> (<t:{stamp}:R>)"


def _in_readers_time(section, moments):
    if not moments or not isinstance(section, str):
        return section
    for written, moment in moments:
        section = section.replace(written, discord_time(moment))
    return section


def _part(section):
    if isinstance(section, Code):
        return _Fenced(section.body, section.language)
    if isinstance(section, TableBlock):
        caption = f"**{section.caption}**" if section.caption else ""
        return _Fenced(format_table(section.columns, section.rows), caption=caption, header_lines=2, unit="rows")
    return _Prose(str(section))
