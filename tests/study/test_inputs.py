"""Nothing a member or admin types ends in anything but a reply (property-based).

Every reader of the validation layer returns a clean value or raises `InputError`;
every `/study` command line, and every console line, gets a reply, and a refusal
leaves the database exactly as it was. Bounded and seeded for the suite;
`HYPOTHESIS_PROFILE=long` runs many more examples.
"""

import asyncio
import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from support import ADA, ADMIN, FakeClock, fixture_bank

from bot.chat.console import Console
from bot.store import Base, Database
from bot.study import Study
from bot.study import inputs
from bot.study.commands import VERB_NAMES, dispatch
from bot.study.inputs import InputError

UTC = dt.timezone.utc
# Text a member might type, and text nobody would: digits of other scripts, superscripts,
# full-width forms, controls, very long runs, and the shapes the readers expect.
odd_digits = st.sampled_from(["²", "٠", "٩", "０", "９", "𝟗", "¹", "⁰", "१"])
shaped = st.builds(lambda a, b, c: f"{a}{b}:{c}", st.text("0123456789²٠٩０", max_size=3), odd_digits | st.just(""), st.text("0123456789٠", max_size=3))
typed = st.one_of(st.text(max_size=60), shaped, st.text(alphabet=st.characters(), min_size=190, max_size=400), odd_digits, st.from_regex(r"[a-z]+/[A-Za-z_]+", fullmatch=True))

READERS = [
    inputs.read_time, inputs.read_timezone, inputs.read_days, inputs.read_mix, inputs.read_reveal,
    inputs.read_dialect, inputs.read_date, inputs.read_id, inputs.read_points, inputs.read_window,
    lambda t: inputs.read_choices(t, ("sql", "ml"), "category"), inputs.read_minutes,
    lambda t: inputs.read_topic(t, {"sql": "category", "window-functions": "tag", "weak": "keyword"}),
]


@pytest.mark.parametrize("reader", READERS, ids=lambda r: getattr(r, "__name__", "lambda"))
@given(text=typed)
def test_every_reader_returns_a_value_or_says_what_to_type(reader, text):
    try:
        reader(text)
    except InputError as error:
        assert str(error) and "\n" not in str(error) and len(str(error)) < 400


@given(text=typed)
def test_values_are_read_from_ascii_digits_only(text):
    for reader, pattern in ((inputs.read_time, r"[0-9]{2}:[0-9]{2}"), (inputs.read_mix, None), (inputs.read_id, None)):
        try:
            value = reader(text)
        except InputError:
            continue
        if pattern:
            assert re.fullmatch(pattern, value, flags=re.ASCII), value


def test_findings_of_the_fuzzing_are_refused_in_words():
    for reader, text in [
        (inputs.read_timezone, "America"), (inputs.read_timezone, "US"), (inputs.read_timezone, "Europe"),
        (inputs.read_timezone, "x" * 300), (inputs.read_id, "99999999999999999999"), (inputs.read_time, "٠٩:٠٠"),
        (inputs.read_mix, "easy:٢"), (inputs.read_id, "٣"),
    ]:
        with pytest.raises(InputError):
            reader(text)
    # Compatibility forms are read as what they are compatible with (NFKC).
    assert inputs.read_time("０９:００") == "09:00" and inputs.read_id("²") == 2 and inputs.read_mix("easy:²")["easy"] == 2
    assert inputs.read_timezone("europe/berlin") == "Europe/Berlin"


def snapshot(db: Database) -> list:
    def read(session):
        return [(t.name, sorted(map(repr, session.execute(select(t)).all()))) for t in Base.metadata.sorted_tables]

    return db.call(read)


@pytest.fixture(scope="module")
def world(tmp_path_factory, checker):
    """One group with a posted round, shared by the examples (refusals must not change it)."""
    db = Database(str(tmp_path_factory.mktemp("fuzz") / "fuzz.db"))
    db.upgrade()
    clock = FakeClock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    study = Study(db, fixture_bank, checker, clock)
    loop = asyncio.new_event_loop()
    loop.run_until_complete(study.setup(ADMIN, {"tz": "Europe/Berlin", "days": "daily", "categories": "sql"}))
    loop.run_until_complete(study.run_due())
    yield study, loop
    loop.close()
    db.dispose()


command_lines = st.one_of(
    st.builds(lambda verb, rest: f"/study {verb} {rest}", st.sampled_from(VERB_NAMES), typed),
    st.builds(lambda rest: f"/study setup {rest}", st.lists(st.builds(lambda k, v: f"{k}={v}", st.sampled_from(["tz", "time", "mix", "days", "reveal", "dialect", "categories", "tracks", "colour"]), typed), max_size=3).map(" ".join)),
    st.builds(lambda rest: f"/study review {rest}", typed),
    typed.map(lambda t: "/study " + t),
)


@given(line=command_lines, admin=st.booleans())
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_command_line_gets_a_reply_and_a_refusal_changes_nothing(world, line, admin):
    study, loop = world
    before = snapshot(study.db)
    response = loop.run_until_complete(dispatch(study, ADMIN if admin else ADA, line))
    assert response.reply.text or response.reply.title or response.reply.sections
    if not response.reply.ok:
        assert snapshot(study.db) == before, line


console_lines = st.one_of(
    typed,
    st.builds(lambda rest: f"/clock {rest}", st.one_of(typed, st.from_regex(r"\+[0-9]{1,12}[dhm]", fullmatch=True))),
    st.builds(lambda rest: f"/as {rest}", typed),
    command_lines,
)


@given(line=console_lines)
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_console_line_gets_an_answer(world, line):
    study, loop = world
    clock = study.clock
    console = Console(study, clock(), out=io.StringIO())
    try:
        assert loop.run_until_complete(console.handle(line)) in (True, False)
    finally:
        study.clock = clock  # the console installs its own clock; put the shared one back


def test_the_personal_loop_readers():
    assert inputs.read_minutes("45") == inputs.read_minutes("45 min") == inputs.read_minutes("４５m") == 45
    for text in ("4", "181", "1h", "-5", "٤٥"):
        with pytest.raises(InputError, match="from 5 to 180"):
            inputs.read_minutes(text)
    words = {"sql": "category", "window-functions": "tag", "hard": "difficulty"}
    assert inputs.read_topic(" SQL,  hard ", words) == [("category", "sql"), ("difficulty", "hard")]
    assert inputs.read_topic("", words) == []
    with pytest.raises(InputError, match="Did you mean window-functions"):
        inputs.read_topic("window-function", words)
    with pytest.raises(InputError, match="at most 3"):
        inputs.read_topic("sql hard sql window-functions x", words)
