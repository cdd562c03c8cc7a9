"""The console: one study group in a terminal, on the same core as the platforms.

`/study …` verbs as in the product; a plain line (or a ``` fenced block) is a message
in today's thread, that is, an answer; `/as NAME [admin]` switches member; `/clock`
moves a simulated clock and runs whatever became due, in order.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from collections.abc import AsyncIterable, Iterable
from zoneinfo import ZoneInfo

from bot.bank.present import format_table
from bot.schedule.delivery import Deliverer, Delivered
from bot.store import DatabaseUnavailable
from bot.study import Actor, Code, Outbound, Reply, Study, TableBlock
from bot.study.core import UNAVAILABLE
from bot.study.commands import dispatch
from bot.study.group_settings import UTC

CHANNEL = "console"
PLATFORM = "console"

CONSOLE_HELP = """Console commands (besides /study …):
  /as NAME [admin]       speak as another member (admin: may use admin verbs)
  /clock                 show the simulated time
  /clock YYYY-MM-DD HH:MM   move the clock to a local time of the group, running what falls due
  /clock +1d | +3h | +30m   move the clock forward
  /quit                  leave
A plain line, or a block fenced with ```, is a message in today's thread: your answer."""


def render(reply: Reply) -> str:
    """A reply as plain text."""
    parts = []
    if reply.title:
        parts.append(f"== {reply.title} ==")
    if reply.text:
        parts.append(reply.text)
    for section in reply.sections:
        if isinstance(section, Code):
            parts.append(f"```{section.language}\n{section.body}\n```")
        elif isinstance(section, TableBlock):
            caption = f"{section.caption}:\n" if section.caption else ""
            parts.append(caption + format_table(section.columns, section.rows))
        else:
            parts.append(str(section))
    if reply.buttons:
        parts.append("[" + "] [".join(b.label for b in reply.buttons) + "]")
    return "\n".join(parts)


_STEP = re.compile(r"^\+(\d{1,6})([dhm])$", flags=re.ASCII)
MAX_STEP_DAYS = 400  # one move of the clock: every day on the way is stepped through
CLOCK_NAME = f"{PLATFORM}:{CHANNEL}"
NOT_TEXT = "\x00not-text"  # what an undecodable input line becomes: told, never run


class Console:
    name = PLATFORM

    def __init__(self, study: Study, start: dt.datetime, out=None, files_dir: Path | None = None):
        """`start`: where the clock begins (`Console.resume_at` finds where it was left)."""
        self.study = study
        self.now = start.astimezone(UTC)
        self.user = "you"
        self.admins = {"you"}
        self.out = out or sys.stdout
        self.files_dir = files_dir or Path.cwd()
        self.deliverer = Deliverer(study, self)
        study.notify = self.deliverer.deliver  # "taking long" notices, sent mid-answer
        self._zone = ZoneInfo("UTC")
        study.clock = lambda: self.now

    def actor(self) -> Actor:
        return Actor(PLATFORM, CHANNEL, self.user.lower(), self.user, is_admin=self.user in self.admins)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def deliver(self, posts: Iterable[Outbound]) -> None:
        await self.deliverer.deliver(posts)

    async def send(self, post: Outbound, thread_ref: str | None) -> Delivered:
        """The console as a platform: a post is a printed block."""
        where = {"question": "#study", "reveal": "#study thread", "dm": f"private to {post.user_id}", "edit": f"#study{' thread' if post.in_thread else ''}: buttons now"}.get(post.kind, "#study")
        self.say(f"[{where}] {render(post.reply)}")
        for name, content in post.attachments:
            path = self.files_dir / name
            path.write_bytes(content)
            self.say(f"(attachment written to {path})")
        ref = f"{post.kind}-{post.round_id}" if post.round_id else None
        return Delivered(message_ref=ref, thread_ref=f"thread-{post.round_id}" if post.kind == "question" else None)

    async def keep_time(self) -> None:
        """Record where the clock starts, and say it."""
        await self._set(self.now)
        self.say(f"(clock: {await self._show(self.now)})")

    async def handle(self, line: str) -> bool:
        """One input line (or fenced block); False when the session should end."""
        try:
            return await self._handle(line)
        except DatabaseUnavailable:
            self.say(UNAVAILABLE)
            return True

    async def _handle(self, line: str) -> bool:
        if line.startswith(NOT_TEXT):
            self.say(f"Skipped: {line[len(NOT_TEXT):].strip()}, so it was not read. Type it again as plain text.")
            return True
        text = line.strip()
        if not text or text.startswith("#"):
            return True
        if text in ("/quit", "/exit"):
            return False
        if text == "/help":
            self.say(CONSOLE_HELP)
            return True
        if text.startswith("/as"):
            words = text.split()
            if len(words) < 2:
                self.say("Usage: /as NAME [admin]")
                return True
            self.user = words[1]
            if len(words) > 2 and words[2] == "admin":
                self.admins.add(self.user)
            self.say(f"(you are now {self.user}{' (admin)' if self.user in self.admins else ''})")
            return True
        if text.startswith("/clock"):
            await self.clock(text[len("/clock"):].strip())
            return True
        if text.startswith("/study"):
            response = await dispatch(self.study, self.actor(), text)
            self.say(render(response.reply))
            await self.deliver(response.outbound)
            return True
        if text.startswith("/"):
            self.say(f"Unknown console command {text.split()[0]!r}. Type /help, or /study help for the bot's verbs.")
            return True
        response = await self.study.answer(self.actor(), text, via="thread", thread_ref=None)
        if not response.reply.ok:
            self.say(f"[private to {self.user}] {render(response.reply)}")
            return True
        mark = {"correct": "✅", "incorrect": "❌", "received": "📝"}.get(response.reply.mark or "", "")
        self.say(f"[#study thread] {self.user}: (answer) {mark}".rstrip())
        self.say(f"[private to {self.user}] {render(response.reply)}")
        await self.deliver(response.outbound)
        return True

    async def clock(self, argument: str) -> None:
        if not argument:
            self.say(f"(clock: {await self._show(self.now)})")
            return
        target = await self._parse_clock(argument)
        if target is None:
            self.say(f"Usage: /clock YYYY-MM-DD HH:MM (the group's local time) or /clock +1d / +3h / +30m (at most {MAX_STEP_DAYS} days at a time)")
            return
        if target < self.now:
            self.say("The clock only moves forward.")
            return
        # Step through every moment that falls due on the way, in order.
        shown = None
        while (moment := await self.study.next_due(PLATFORM, CHANNEL, self.now, target)) is not None:
            await self._set(moment)
            posts = await self.study.undelivered() + await self.study.run_due(moment)  # what is owed first
            if posts:
                self.say(f"(clock: {await self._show(moment)})")
                shown = moment
            await self.deliver(posts)
        await self._set(target)
        await self.deliver(await self.study.undelivered() + await self.study.run_due(target))
        if shown != target:
            self.say(f"(clock: {await self._show(self.now)})")

    async def _set(self, moment: dt.datetime) -> None:
        """Move the clock and keep it, so a restarted console resumes where it was."""
        self.now = moment
        await self.study.keep_clock(CLOCK_NAME, moment)

    async def zone(self) -> ZoneInfo:
        """The group's timezone (the last one known while the database is away)."""
        try:
            self._zone = ZoneInfo(await self.study.timezone_of(PLATFORM, CHANNEL) or "UTC")
        except DatabaseUnavailable:
            pass
        return self._zone

    async def _parse_clock(self, argument: str) -> dt.datetime | None:
        step = _STEP.match(argument)
        if step:
            amount, unit = int(step.group(1)), step.group(2)
            delta = dt.timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: amount})
            return self.now + delta if delta <= dt.timedelta(days=MAX_STEP_DAYS) else None
        local = parse_local(argument)
        if local is None:
            return None
        moment = local.replace(tzinfo=await self.zone()).astimezone(UTC)
        return moment if moment - self.now <= dt.timedelta(days=MAX_STEP_DAYS) else None

    async def _show(self, moment: dt.datetime) -> str:
        local = moment.astimezone(await self.zone())
        return local.strftime("%a %Y-%m-%d %H:%M %Z")


def parse_local(text: str) -> dt.datetime | None:
    """`YYYY-MM-DD HH:MM`, naive (a local time of the group), or None."""
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})", text.strip(), flags=re.ASCII)
    if not match:
        return None
    try:
        return dt.datetime(*map(int, match.groups()))
    except ValueError:
        return None


async def run_console(console: Console, lines: AsyncIterable[str] | Iterable[str], echo: bool) -> None:
    """Feed lines to the console; a ``` opens a block that runs until the closing ```."""
    block: list[str] | None = None
    async for raw in _aiter(lines):
        line = raw.rstrip("\n")
        if block is not None:
            block.append(line)
            if line.strip().startswith("```"):
                text = "\n".join(block)
                block = None
                if echo:
                    console.say(f"› {text}")
                if not await console.handle(text):
                    return
            continue
        stripped = line.strip()
        if stripped.startswith("```") and stripped.count("```") == 1 or (
            stripped.startswith("/study") and stripped.count("```") == 1
        ):
            block = [line]
            continue
        if echo and stripped and not stripped.startswith("#"):
            console.say(f"› {stripped}")
        if not await console.handle(line):
            return


async def _aiter(lines):
    if hasattr(lines, "__aiter__"):
        async for line in lines:
            yield line
    else:
        for line in lines:
            yield line
