"""The weekly digest's chart: points per member per day, as a PNG.

Drawn with Pillow's primitives, not a plotting library: a digest moment may bring
thousands of groups' charts at once, and matplotlib spent about 170 ms of CPU (holding
the GIL) on each, 28 minutes for 10,000 groups; this takes a few milliseconds.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import io
import math
from concurrent.futures import ThreadPoolExecutor

from PIL import Image, ImageDraw, ImageFont

from .digest import WeekData

SIZE = (640, 360)  # Discord and Slack show a chart at most about 400 px wide: more would be bytes
MAX_MEMBERS = 8  # the week's top members get a bar; more would be too thin to read
# Plot area inside the image: left, top, right, bottom.
PLOT = (48, 40, 628, 320)
# Colour-blind-safe (Okabe-Ito), one per member in the order of the week's points.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK, GRID = "#222222", "#DDDDDD"
# Charts render in threads of their own, two at a time (Pillow's PNG encoding leaves the
# GIL, so two use two cores), and never take the threads that database work runs in.
_RENDERERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="digest-chart")


async def render_off_loop(data: WeekData) -> bytes:
    """`render_chart` in a chart thread, awaited from the event loop."""
    return await asyncio.get_running_loop().run_in_executor(_RENDERERS, render_chart, data)


def render_chart(data: WeekData) -> bytes:
    """Grouped bars: one group a day, one bar a member (blocking: run it in a thread)."""
    left, top, right, bottom = PLOT
    members = top_members(data)
    highest = max((data.points[m].get(day, 0) for m in members for day in data.days), default=0)
    step, ceiling = axis_ticks(highest)
    image = _background(data.week_start, data.days, step, ceiling).copy()
    draw = ImageDraw.Draw(image)
    text = _font(12)

    slot = (right - left) / max(len(data.days), 1)
    width = slot * 0.8 / max(len(members), 1)
    for d, day in enumerate(data.days):
        start = left + d * slot + slot * 0.1
        for i, member in enumerate(members):
            value = data.points[member].get(day, 0)
            if value > 0:  # standing on the x axis, not over it, and at least a pixel tall
                x = start + i * width
                draw.rectangle((x, min(_y(value, ceiling), bottom - 1), x + width - 1, bottom - 1), fill=COLOURS[i])

    if members:  # the legend, top left inside the plot, on a box of its own
        widest = max(draw.textlength(_short(m), font=text) for m in members)
        draw.rectangle((left + 4, top + 2, left + 34 + widest, top + 10 + 16 * len(members)), fill="white", outline=GRID)
    for i, member in enumerate(members):
        y = top + 7 + i * 16
        draw.rectangle((left + 10, y, left + 20, y + 10), fill=COLOURS[i])
        draw.text((left + 26, y + 5), _short(member), fill=INK, font=text, anchor="lm")

    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=3)  # zlib's cheap end: the chart is mostly flat colour
    return out.getvalue()


@functools.lru_cache(maxsize=32)
def _background(week_start: dt.date, days: tuple[dt.date, ...], step: int, ceiling: int) -> Image.Image:
    """All of a chart but its bars and legend: the groups of one digest moment share their
    week and mostly a handful of axes, so this is drawn a few times, not thousands."""
    image = Image.new("RGB", SIZE, "white")
    draw = ImageDraw.Draw(image)
    text = _font(12)
    left, top, right, bottom = PLOT
    _centred(draw, ((left + right) / 2, 16), f"Points per member, week of {week_start:%d %b %Y}", _font(15))
    for value in range(0, ceiling + 1, step):
        y = _y(value, ceiling)
        draw.line((left, y, right, y), fill=GRID)
        draw.text((left - 6, y), str(value), fill=INK, font=text, anchor="rm")
    draw.text((left, top - 8), "points", fill=INK, font=text, anchor="md")
    slot = (right - left) / max(len(days), 1)
    for d, day in enumerate(days):
        _centred(draw, (left + (d + 0.5) * slot, bottom + 14), f"{day:%a %d}", text)
    draw.line((left, bottom, right, bottom), fill=INK)
    draw.line((left, top, left, bottom), fill=INK)
    return image


def top_members(data: WeekData) -> list[str]:
    """The members with a bar: the week's most points first, ties by name."""
    return sorted(data.points, key=lambda name: (-sum(data.points[name].values()), name))[:MAX_MEMBERS]


def axis_ticks(highest: int) -> tuple[int, int]:
    """A round step (1, 2 or 5 times a power of ten) and the axis top: at most 6 ticks."""
    highest = max(highest, 1)
    magnitude = 10 ** max(0, math.floor(math.log10(highest)) - 1)
    step = next(s * magnitude for s in (1, 2, 5, 10, 20, 50) if highest / (s * magnitude) <= 5)
    return step, math.ceil(highest / step) * step


def _y(value: float, ceiling: int) -> float:
    left, top, right, bottom = PLOT
    return bottom - (bottom - top) * value / ceiling


def _short(name: str, limit: int = 20) -> str:
    """A legend label: one line (a display name may hold line breaks), at most `limit` characters."""
    name = " ".join(name.split()) or "?"
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _centred(draw: ImageDraw.ImageDraw, at: tuple[float, float], words: str, font) -> None:
    draw.text(at, words, fill=INK, font=font, anchor="mm")


@functools.cache
def _font(size: int) -> ImageFont.FreeTypeFont:
    """Pillow's own scalable font (bundled, so no system font is needed), kept per size."""
    return ImageFont.load_default(size=size)
