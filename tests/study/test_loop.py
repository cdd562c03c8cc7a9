"""The study loop end to end on the core, on SQLite and PostgreSQL."""

import asyncio
import datetime as dt

from support import ADA, ADMIN, ANSWERS, BEN, CY, UTC
from sqlalchemy import func, select
from steps import ENDLESS, current_round, setup_group, telling_study
from support import fixture_bank

from bot.store import Answer, Group, Review, Round
from bot.study import Study



async def test_setup_by_admin_and_refusal_for_member(study):
    refused = await study.setup(ADA, {"time": "10:00"})
    assert not refused.reply.ok and "admin" in refused.reply.text
    assert await study.db.run(lambda s: s.scalar(select(func.count()).select_from(Group))) == 0

    await setup_group(study)
    refused = await study.setup(ADA, {"time": "10:00"})
    assert not refused.reply.ok
    group = await study.db.run(lambda s: s.scalar(select(Group)))
    assert (group.post_time, group.timezone, group.owners) == ("09:00", "Europe/Berlin", ["olga"])


async def test_bad_settings_get_a_clear_message_and_change_nothing(study):
    await setup_group(study)
    for settings, words in [
        ({"tz": "Mars/Olympus"}, "not a timezone"),
        ({"time": "25:61"}, "HH:MM"),
        ({"days": "funday"}, "days"),
        ({"dialect": "db2"}, "dialect"),
        ({"colour": "blue"}, "unknown setting"),
        ({"categories": "sql,poetry"}, "unknown category"),
    ]:
        response = await study.setup(ADMIN, settings)
        assert not response.reply.ok and words in response.reply.text and "Nothing was changed" in response.reply.text
    group = await study.db.run(lambda s: s.scalar(select(Group)))
    assert (group.timezone, group.post_time, group.study_days, group.dialect) == ("Europe/Berlin", "09:00", "mon,tue,wed,thu,fri", "duckdb")


async def test_post_is_due_at_local_time_exactly_once(study, clock):
    await setup_group(study)
    assert await study.run_due(clock.now) == []  # 08:00 in Berlin: not yet
    clock.set(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))  # 09:00 CET
    posts = await study.run_due(clock.now)
    assert [p.kind for p in posts] == ["question"]
    assert posts[0].thread_title and posts[0].reply.buttons
    assert await study.run_due(clock.now + dt.timedelta(minutes=1)) == []
    rounds = await study.db.run(lambda s: s.scalars(select(Round)).all())
    assert len(rounds) == 1 and rounds[0].reveal_at == dt.datetime(2026, 3, 2, 17, 0, tzinfo=UTC)


async def test_two_processes_racing_post_one_round(database, checker, clock):
    first = Study(database, fixture_bank, checker, clock)
    second = Study(database, fixture_bank, checker, clock)
    await setup_group(first)
    due = dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    results = await asyncio.gather(*[s.run_due(due) for s in (first, second, first, second)])
    assert sum(len(r) for r in results) == 1
    assert await database.run(lambda s: s.scalar(select(func.count()).select_from(Round))) == 1


async def test_two_processes_racing_reveal_a_round_once(database, checker, clock):
    first = Study(database, fixture_bank, checker, clock)
    second = Study(database, fixture_bank, checker, clock)
    await setup_group(first)
    [post] = await first.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    await first.delivered(post, message_ref="m1", thread_ref="t1")
    round_ = await current_round(first)
    assert (await first.answer(ADA, ANSWERS[round_.question_id][1])).reply.ok
    results = await asyncio.gather(*[s.run_due(round_.reveal_at) for s in (first, second, first, second)])
    kinds = sorted(p.kind for r in results for p in r)
    # The reveal, the post's late-practice button and Ada's word on her known mistake: once each.
    assert kinds == ["dm", "edit", "reveal"], kinds
    assert (await current_round(second)).revealed_at == round_.reveal_at


async def test_sql_answers_revisions_feedback_and_late_practice(study, clock):
    await setup_group(study)
    [post] = await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    await study.delivered(post, message_ref="m1", thread_ref="t1")  # as a platform confirms it
    round_ = await current_round(study)
    correct, wrong = ANSWERS[round_.question_id]

    first = await study.answer(ADA, wrong, via="thread")
    # Privately the verdict; in the thread only a mark that it arrived (no spoilers).
    assert first.reply.mark == "received" and "Not yet" in first.reply.text and "revision 1" in first.reply.text
    assert "hidden dataset `" in first.reply.text or "the sample" in first.reply.text
    second = await study.answer(ADA, f"```postgresql\n{correct}\n```")
    assert second.reply.mark == "received" and "Correct" in second.reply.text and "revision 2" in second.reply.text

    rows = await study.db.run(lambda s: s.execute(select(Answer.revision, Answer.verdict, Answer.dialect, Answer.late).order_by(Answer.revision)).all())
    assert [tuple(r) for r in rows] == [(1, "incorrect", "duckdb", False), (2, "correct", "postgres", False)]

    clock.set(round_.reveal_at)
    posts = await study.run_due(clock.now)
    assert [p.kind for p in posts] == ["reveal", "edit"] and posts[0].in_thread
    assert posts[1].edit_ref == "m1" and posts[1].reply.buttons[0].label == "Answer (late practice)"  # the post says so
    late = await study.answer(BEN, correct)
    assert late.reply.mark == "correct" and "late" in late.reply.text
    board = await study.leaderboard(ADA, "week")
    table = board.reply.sections[0]
    assert [(r[1], r[2]) for r in table.rows] == [("Ada", 8), ("Ben", 3)]  # 10 - 2 for a wrong try; late 3


async def test_answer_before_any_round_or_group_is_refused_and_not_stored(study):
    assert not (await study.answer(ADA, "SELECT 1")).reply.ok
    await setup_group(study)
    refused = await study.answer(ADA, "SELECT 1")
    assert not refused.reply.ok and "No question has been posted" in refused.reply.text
    assert not (await study.answer(ADA, "   ")).reply.ok
    assert await study.db.run(lambda s: s.scalar(select(func.count()).select_from(Answer))) == 0


async def test_hints_in_order_then_none_left(study):
    await setup_group(study)
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    question = study.question((await current_round(study)).question_id)
    for i, hint in enumerate(question.hints, 1):
        reply = (await study.hint(ADA)).reply
        assert reply.ok and hint in reply.text and f"Hint {i} of {len(question.hints)}" in reply.text
    assert not (await study.hint(ADA)).reply.ok


async def test_buttons_of_an_older_post_act_on_their_own_round(study):
    """Monday's Answer, Hint and Run buttons, clicked on Tuesday, mean Monday's round."""
    await setup_group(study, categories="sql")
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    monday = await current_round(study)
    await study.run_due(dt.datetime(2026, 3, 3, 8, 0, tzinfo=UTC))
    tuesday = await current_round(study)
    assert tuesday.id != monday.id and tuesday.question_id != monday.question_id
    correct, _ = ANSWERS[monday.question_id]
    assert (await study.answer(ADA, correct, round_id=monday.id)).reply.ok
    stored = await study.db.run(lambda s: s.scalars(select(Answer.round_id)).all())
    assert stored == [monday.id]
    run = (await study.run_sql(ADA, correct, round_id=monday.id)).reply
    assert run.ok and "on the sample" in run.sections[0].caption
    monday_hints = study.question(monday.question_id).hints
    hint = (await study.hint(BEN, round_id=monday.id)).reply
    assert (monday_hints[0] in hint.text) if monday_hints else ("no hints" in hint.text)
    # An id that is not one of this group's rounds falls back to the group's latest.
    assert (await study.answer(BEN, ANSWERS[tuesday.question_id][0], round_id=10**6)).reply.ok
    latest = await study.db.run(lambda s: s.scalar(select(Answer.round_id).order_by(Answer.id.desc()).limit(1)))
    assert latest == tuesday.id


async def test_run_on_sample_returns_rows_and_refuses_mutation(study):
    await setup_group(study)
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    reply = (await study.run_sql(ADA, "SELECT 42 AS answer")).reply
    assert reply.ok and reply.sections[0].rows == ((42,),)
    refused = (await study.run_sql(ADA, "DROP TABLE orders")).reply
    assert not refused.ok and "Refused" in refused.text


async def test_peer_review_rules(study, clock):
    await setup_group(study, categories="statistics")
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    for who in (ADA, BEN, CY):
        assert (await study.answer(who, f"{who.name}: the p-value assumes the null is true.")).reply.ok
    early = await study.review(ADA)
    assert not early.reply.ok and "opens at the reveal" in early.reply.text

    clock.set((await current_round(study)).reveal_at)
    await study.run_due(clock.now)
    ada_answer = await study.db.run(lambda s: s.scalar(select(Answer.id).where(Answer.text.startswith("Ada"))))
    own = await study.submit_review(ADA, ada_answer, [1])
    assert not own.reply.ok and "own answer" in own.reply.text

    # Fewest reviews first: Ben reviews someone, then Cy is handed a different author.
    ben_gets = await study.review(BEN)
    ben_target = int(ben_gets.reply.title.split("#")[1].split()[0])
    done = await study.submit_review(BEN, ben_target, [1, 2], "clear")
    assert done.reply.ok and done.outbound[0].kind == "dm" and "2 of 3" in done.outbound[0].reply.text
    cy_gets = await study.review(CY)
    cy_target = int(cy_gets.reply.title.split("#")[1].split()[0])
    authors = await study.db.run(lambda s: dict(s.execute(select(Answer.id, Answer.member_id)).all()))
    assert authors[cy_target] != authors[ben_target] or authors[ben_target] == (await study.db.run(lambda s: s.scalar(select(Answer.member_id).where(Answer.text.startswith("Cy")))))
    again = await study.submit_review(BEN, ben_target, [1])
    assert not again.reply.ok and "already reviewed" in again.reply.text
    bad_point = await study.submit_review(CY, cy_target, [9])
    assert not bad_point.reply.ok and "1 to 3" in bad_point.reply.text
    assert await study.db.run(lambda s: s.scalar(select(func.count()).select_from(Review))) == 1


async def test_admin_verbs_refused_for_members_and_pause_blocks_posts(study, clock):
    await setup_group(study)
    for verb in (study.post_now, study.skip, study.resume):
        assert not (await verb(ADA)).reply.ok
    assert not (await study.pause(ADA)).reply.ok
    assert not (await study.pause(ADMIN, "2026-13-01")).reply.ok
    assert (await study.pause(ADMIN, "2026-03-03")).reply.ok
    for day in (2, 3):
        assert await study.run_due(dt.datetime(2026, 3, day, 8, 0, tzinfo=UTC)) == []
    assert [p.kind for p in await study.run_due(dt.datetime(2026, 3, 4, 8, 0, tzinfo=UTC))] == ["question"]


async def test_skip_replaces_todays_question_and_clears_its_points(study, clock):
    await setup_group(study)
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    before = await current_round(study)
    await study.answer(ADA, ANSWERS[before.question_id][0])
    response = await study.skip(ADMIN)
    assert response.reply.ok and response.outbound[0].kind == "question"
    after = await current_round(study)
    assert after.id == before.id and after.question_id != before.question_id and after.skipped == [before.question_id]
    board = await study.leaderboard(ADA)
    assert "No points yet" in board.reply.text


async def test_unknown_member_stats_and_history(study):
    await setup_group(study)
    assert not (await study.stats(ADA)).reply.ok
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    round_ = await current_round(study)
    await study.answer(ADA, ANSWERS[round_.question_id][0])
    stats = (await study.stats(BEN, "Ada")).reply
    assert stats.ok and "Streak: **1**" in stats.text and stats.sections[0].rows[0][2].startswith("1/1 correct")
    history = (await study.history(ADA)).reply
    assert history.sections[0].rows[0][0] == "2026-03-02"


async def test_an_unchecked_answer_is_checked_after_a_restart(study, database, checker, clock):
    await setup_group(study)
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    round_ = await current_round(study)
    ada = await study.db.run(lambda s: s.scalar(select(Group.id)))
    # The bot stored the answer and stopped before its verdict.
    from bot.store import Member

    def store(session):
        m = Member(group_id=ada, user_id="ada", display_name="Ada", joined_at=clock.now)
        session.add(m)
        session.flush()
        session.add(Answer(round_id=round_.id, member_id=m.id, question_id=round_.question_id, revision=1, text=ANSWERS[round_.question_id][0], dialect="duckdb", created_at=clock.now))

    await database.run(store)
    restarted = Study(database, fixture_bank, checker, clock)
    assert await restarted.recheck_pending() == 1
    verdict = await database.run(lambda s: s.scalar(select(Answer.verdict)))
    assert verdict == "correct"


async def test_a_bank_broken_by_an_edit_while_running_keeps_the_last_good_one(database, checker, clock):
    from bot.bank import BankError, Problem

    state = {"broken": False}

    def loader():
        if state["broken"]:
            raise BankError([Problem("sql/x.yaml", "category", "'SQL' is not a category")])
        return fixture_bank()

    study = Study(database, loader, checker, clock)
    await setup_group(study)
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    round_ = await current_round(study)
    state["broken"] = True  # someone saves a question file with a typo
    reply = (await study.answer(ADA, ANSWERS[round_.question_id][0])).reply
    assert reply.ok and "Correct" in reply.text


async def test_an_answer_moved_to_the_slow_lane_is_told_it_is_taking_long(database, clock):
    with telling_study(database, fixture_bank, clock) as (study, told):
        await setup_group(study)
        [post] = await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
        await study.delivered(post, message_ref="m1", thread_ref="t1")
        correct, _ = ANSWERS[(await current_round(study)).question_id]

        quick = await study.answer(ADA, correct, via="thread")
        assert "Correct" in quick.reply.text and told == []  # a quick answer hears nothing more
        slow = await study.answer(BEN, ENDLESS, via="thread")
    assert "Timed out" in slow.reply.text
    [notice] = told  # before its verdict, once, and only to Ben
    assert notice.kind == "dm" and notice.user_id == "ben" and "taking longer" in notice.reply.text and "1 s" in notice.reply.text


async def test_an_answer_looks_at_the_bank_files_once(database, checker, clock):
    """Each look stats every question file (to see an edit): one per answer is enough."""
    looks = []

    def bank():
        looks.append(1)
        return fixture_bank()

    study = Study(database, bank, checker, clock)
    await setup_group(study)
    await study.run_due(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    correct, _ = ANSWERS[(await current_round(study)).question_id]
    looks.clear()
    assert "Correct" in (await study.answer(ADA, correct)).reply.text
    assert len(looks) == 1
