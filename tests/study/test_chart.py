"""The digest's chart: every member's bar at its height, in its colour, on a round axis."""

import datetime as dt
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageColor

from bot.study.chart import COLOURS, MAX_MEMBERS, PLOT, SIZE, axis_ticks, render_chart, top_members
from bot.study.digest import WeekData

WEEK = dt.date(2026, 3, 2)
DAYS = tuple(WEEK + dt.timedelta(days=d) for d in range(7))


def picture(data: WeekData) -> Image.Image:
    png = render_chart(data)
    assert png.startswith(b"\x89PNG")
    image = Image.open(io.BytesIO(png))
    assert image.size == SIZE
    return image.convert("RGB")


def bar_column(data: WeekData, member: str, day: int) -> int:
    """The x of the middle of `member`'s bar on day `day` (as the chart lays them out)."""
    left, _, right, _ = PLOT
    slot = (right - left) / 7
    width = slot * 0.8 / len(top_members(data))
    return int(left + day * slot + slot * 0.1 + top_members(data).index(member) * width + width / 2)


def height_of(image: Image.Image, x: int, colour: str) -> int:
    """How tall a run of `colour` stands on the x axis at column x (the axis line is drawn over its foot)."""
    _, top, _, bottom = PLOT
    rgb = ImageColor.getrgb(colour)
    y = bottom - 1
    while y >= top and image.getpixel((x, y)) == rgb:
        y -= 1
    return bottom - 1 - y


def test_each_bar_stands_as_high_as_its_points_in_its_members_colour():
    points = {"ada": {DAYS[0]: 3, DAYS[2]: 9}, "ben": {DAYS[0]: 6, DAYS[6]: 1}, "cy": {}}
    data = WeekData(WEEK, DAYS, points)
    image = picture(data)
    step, ceiling = axis_ticks(9)
    assert (step, ceiling) == (2, 10)
    plot_height = PLOT[3] - PLOT[1]
    for member, days in points.items():
        colour = COLOURS[top_members(data).index(member)]
        for day in range(7):
            expected = plot_height * days.get(DAYS[day], 0) / ceiling
            got = height_of(image, bar_column(data, member, day), colour)
            assert abs(got - expected) <= 2, (member, day, got, expected)


def test_the_week_s_top_members_get_the_bars_most_points_first():
    points = {f"m{i:02d}": {DAYS[1]: i} for i in range(12)}
    data = WeekData(WEEK, DAYS, points)
    assert top_members(data) == [f"m{i:02d}" for i in range(11, 11 - MAX_MEMBERS, -1)]
    image = picture(data)
    for member in top_members(data):
        assert height_of(image, bar_column(data, member, 1), COLOURS[top_members(data).index(member)]) > 0


@given(st.integers(min_value=0, max_value=10**9))
def test_the_axis_is_round_reaches_the_highest_bar_and_has_at_most_six_ticks(highest):
    step, ceiling = axis_ticks(highest)
    digits = str(step).rstrip("0")
    assert digits in ("1", "2", "5")
    assert ceiling >= max(highest, 1) and ceiling % step == 0
    assert ceiling // step + 1 <= 6


@settings(max_examples=25, deadline=None)
@given(st.dictionaries(st.text(min_size=1, max_size=60), st.dictionaries(st.sampled_from(DAYS), st.integers(0, 500)), max_size=12))
def test_any_names_and_points_draw_a_whole_chart(points):
    picture(WeekData(WEEK, DAYS, points))  # emoji, right-to-left text, long names, no members at all
