"""The pure rules: scoring, streaks, settings, calendar and the question picker."""

import datetime as dt

import pytest
from support import fixture_bank

from bot.study import scoring
from bot.study.group_settings import Calendar, parse_settings
from bot.study.inputs import InputError, read_days, read_mix, read_time
from bot.study.picker import NoQuestions, pick_question
from bot.study.scoring import Attempt
from bot.study.streaks import RoundDay, compute_streak

UTC = dt.timezone.utc


def test_sql_points():
    right, wrong = Attempt(True, False, 0), Attempt(False, False, 0)
    assert scoring.sql_points([right]) == 10
    assert scoring.sql_points([wrong, wrong, right]) == 6
    assert scoring.sql_points([wrong] * 5 + [right]) == scoring.SQL_FLOOR
    assert scoring.sql_points([Attempt(True, False, 2)]) == 8
    assert scoring.sql_points([wrong]) == scoring.SQL_TRIED
    assert scoring.sql_points([Attempt(True, True, 0)]) == scoring.SQL_LATE_CORRECT
    assert scoring.sql_points([Attempt(False, True, 0)]) == 0
    assert scoring.sql_points([]) == 0


def test_written_points_follow_reviews():
    on_time = [Attempt(None, False, 0)]
    assert scoring.written_points(on_time, []) == 3
    assert scoring.written_points(on_time, [1.0, 0.5]) == 3 + round(7 * 0.75)
    assert scoring.written_points([Attempt(None, False, 2)], [0.0]) == 3  # never below the floor
    assert scoring.written_points([Attempt(None, True, 0)], [1.0]) == scoring.WRITTEN_LATE


def test_review_points_are_capped_per_round():
    assert [scoring.review_points(n) for n in range(6)] == [0, 2, 4, 6, 6, 6]


def days(*answered, start=dt.date(2026, 3, 2), open_last=False):
    """Consecutive weekday rounds from `start`; True/False per round."""
    out, day = [], start
    for i, a in enumerate(answered):
        while day.weekday() > 4:
            day += dt.timedelta(days=1)
        out.append(RoundDay(day, a, open_last and i == len(answered) - 1))
        day += dt.timedelta(days=1)
    return out


def test_streak_counts_rounds_not_calendar_days():
    # Five weekdays answered: the weekend in between has no rounds and breaks nothing.
    assert compute_streak(days(True, True, True, True, True, True, True)).current == 7


def test_a_miss_breaks_a_streak_without_a_freeze():
    streak = compute_streak(days(True, True, False, True))
    assert (streak.current, streak.best, streak.freezes_spent) == (1, 2, 0)


def test_a_full_week_earns_a_freeze_that_a_miss_spends():
    streak = compute_streak(days(*[True] * 5, False, True))
    assert (streak.current, streak.freezes, streak.freezes_spent) == (6, 0, 1)


def test_todays_open_round_does_not_break_the_streak_yet():
    assert compute_streak(days(True, True, False, open_last=True)).current == 2


def test_pause_gaps_never_break_streaks():
    rounds = days(True, True) + days(True, start=dt.date(2026, 3, 23))  # two weeks paused between
    assert compute_streak(rounds).current == 3


@pytest.mark.parametrize("text", ["25:61", "9", "24:00", "ab:cd", "12:60"])
def test_bad_times(text):
    with pytest.raises(InputError, match="HH:MM"):
        read_time(text)


def test_settings_parse():
    assert read_time("9:05") == "09:05"
    assert read_days("mon-wed,fri") == "mon,tue,wed,fri"
    assert read_days("fri-mon") == "mon,fri,sat,sun"
    assert read_days("daily") == "mon,tue,wed,thu,fri,sat,sun"
    assert read_mix("easy:1,hard:3") == {"easy": 1, "medium": 0, "hard": 3}
    with pytest.raises(InputError):
        read_mix("easy:0")
    values = parse_settings({"tz": "Asia/Kolkata", "reveal": "6h", "tracks": "data-science,ml-research"})
    assert values == {"timezone": "Asia/Kolkata", "reveal_hours": 6, "tracks": ["data-science", "ml-research"]}
    with pytest.raises(InputError, match="Europe/Berlin"):
        parse_settings({"tz": "Berlin"})


def test_calendar_keeps_local_post_time_across_dst():
    berlin = Calendar("Europe/Berlin", "09:00", "mon,tue,wed,thu,fri,sat,sun", 9)
    assert berlin.post_at(dt.date(2026, 3, 28)) == dt.datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
    assert berlin.post_at(dt.date(2026, 3, 30)) == dt.datetime(2026, 3, 30, 7, 0, tzinfo=UTC)
    lord_howe = Calendar("Australia/Lord_Howe", "09:00", "mon,tue,wed,thu,fri,sat,sun", 9)
    # UTC+11 in the southern summer, UTC+10:30 in winter: a half-hour shift.
    assert lord_howe.post_at(dt.date(2026, 1, 5)) == dt.datetime(2026, 1, 4, 22, 0, tzinfo=UTC)
    assert lord_howe.post_at(dt.date(2026, 6, 1)) == dt.datetime(2026, 5, 31, 22, 30, tzinfo=UTC)


def test_calendar_next_post_skips_days_off_and_pauses():
    calendar = Calendar("UTC", "09:00", "mon,wed", 9, paused_until=dt.date(2026, 3, 4))
    assert calendar.next_post(dt.datetime(2026, 3, 2, 10, tzinfo=UTC)) == dt.datetime(2026, 3, 9, 9, tzinfo=UTC)
    assert Calendar("UTC", "09:00", "mon", 9, dt.date(9999, 12, 31)).next_post(dt.datetime(2026, 3, 2, tzinfo=UTC)) is None


def test_picker_uses_the_whole_pool_before_repeating_and_rotates_categories():
    bank = fixture_bank()
    history: list[str] = []
    for day in range(len(bank)):
        q = pick_question(bank, categories=[], tracks=[], mix=None, history=history, seed=f"g:{day}")
        assert q.id not in history
        history.append(q.id)
    # The first four picks cover four different categories before any repeats.
    categories = [bank.get(i).category for i in history[:4]]
    assert len(set(categories)) == 4
    again = pick_question(bank, categories=[], tracks=[], mix=None, history=history, seed="g:next")
    assert again.id not in history[-len(bank) // 2 :]


def test_picker_honours_categories_tracks_and_mix():
    bank = fixture_bank()
    q = pick_question(bank, categories=["sql"], tracks=[], mix={"easy": 0, "medium": 1, "hard": 0}, history=[], seed="s")
    assert (q.category, q.difficulty) == ("sql", "medium")
    q = pick_question(bank, categories=[], tracks=["data-analytics"], mix=None, history=[], seed="s")
    assert "data-analytics" in q.tracks
    with pytest.raises(NoQuestions):
        pick_question(bank, categories=["python"], tracks=[], mix=None, history=[], seed="s")


def test_picker_is_stable_for_a_seed():
    bank = fixture_bank()
    picks = {pick_question(bank, categories=[], tracks=[], mix=None, history=[], seed="same").id for _ in range(5)}
    assert len(picks) == 1
