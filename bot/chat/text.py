"""Text for chat platforms: splitting what is too long for one message part.

Every platform limits how much one part of a message holds (a Slack section 3,000
characters, a Discord embed description 4,096). `split_text` cuts at line ends (a line
longer than a part at a space), and a code fence open at a cut is closed there and
opened again, with its language, at the start of the next part, so each part renders
on its own. Nothing is dropped: only the fence lines it adds are new.
"""

from __future__ import annotations

FENCE = "```"
CLOSE = "\n" + FENCE


def split_text(text: str, limit: int) -> list[str]:
    """`text` in parts of at most `limit` characters (limit: at least 40)."""
    if len(text) <= limit:
        return [text]
    if limit < 40:
        raise ValueError(f"a part of {limit} characters is too small to split code into")
    # A part may need a reopened fence before a line and a closing fence after it.
    longest = _longest_fence(text, limit)
    width = limit - len(CLOSE) - longest - 1
    parts: list[str] = []
    current: list[str] = []
    used = -1  # characters of "\n".join(current)
    fence: str | None = None  # the fence line open at this point, if any
    for line in _wrapped(text, width):
        after = _toggle(fence, line, longest)
        needed = used + 1 + len(line) + (len(CLOSE) if after else 0)
        if current and needed > limit:
            parts.append("\n".join(current) + (CLOSE if fence else ""))
            current, used = ([fence], len(fence)) if fence else ([], -1)
        current.append(line)
        used += 1 + len(line)
        fence = after
    parts.append("\n".join(current))
    return parts


def _toggle(fence: str | None, line: str, longest: int) -> str | None:
    """The fence open after `line`: a line with an odd number of ``` opens or closes one."""
    if line.count(FENCE) % 2 == 0:
        return fence
    if fence:
        return None
    stripped = line.strip()
    return stripped if stripped.startswith(FENCE) and len(stripped) <= longest else FENCE


def _longest_fence(text: str, limit: int) -> int:
    """The longest fence line that may be reopened (a fence line is short; a longer one reopens as ```)."""
    fences = [len(line.strip()) for line in text.split("\n") if line.strip().startswith(FENCE)]
    return min(max(fences, default=len(FENCE)), limit // 4)


def _wrapped(text: str, width: int):
    """The lines of `text`, each longer than `width` broken at a space (or hard, if it has none)."""
    for line in text.split("\n"):
        while len(line) > width:
            space = line.rfind(" ", width // 2, width + 1)
            if space > 0:  # the space becomes the line break
                yield line[:space]
                line = line[space + 1 :]
            else:
                yield line[:width]
                line = line[width:]
        yield line
