"""Every number a member sees is right: skips, bonus posts, errors, reviews, hints, digests.

Each test reproduces a finding of the trust review, on SQLite and PostgreSQL.
"""

import asyncio
import datetime as dt

from sqlalchemy import func, select
from steps import berlin_morning, current_round, post_day, reveal, setup_group
from support import ADA, ADMIN, ANSWERS, BEN, CY, UTC, member

from bot.store import Answer, HintUse
from bot.study.ledger import points_for, stored_points

DEE = member("Dee")


async def board(study, window="week"):
    reply = (await study.leaderboard(CY, window)).reply
    return [(row[1], row[2]) for row in reply.sections[0].rows] if reply.sections else []


async def stats_text(study, who):
    reply = (await study.stats(who)).reply
    assert reply.ok, reply.text
    return reply.text


async def answer_ids(study) -> dict[str, int]:
    return await study.db.run(lambda s: dict(s.execute(select(Answer.text, Answer.id)).all()))


async def test_after_a_skip_members_answer_the_replacement_and_keep_their_streak(study, clock):
    await setup_group(study)
    first = await post_day(study, clock, 2)
    assert (await study.answer(ADA, ANSWERS[first.question_id][1])).reply.ok  # a wrong try
    assert (await study.answer(BEN, ANSWERS[first.question_id][0])).reply.ok  # Ben answers before the skip only
    assert (await study.skip(ADMIN)).reply.ok
    second = await current_round(study)
    assert second.question_id != first.question_id

    reply = (await study.answer(ADA, ANSWERS[second.question_id][0])).reply
    assert reply.ok and "revision 1" in reply.text
    assert (await study.answer(ADA, ANSWERS[second.question_id][0])).reply.ok  # and revise it
    await reveal(study, clock, second)

    # Only the replacement's answers score: Ada's first try there was right.
    assert await board(study) == [("Ada", 10)]
    # Both answered the day's round before its reveal: neither streak breaks.
    assert "Streak: **1**" in await stats_text(study, ADA)
    assert "Streak: **1**" in await stats_text(study, BEN)
    # The history counts the answers to the question that stood.
    history = (await study.history(ADA)).reply.sections[0]
    assert history.rows[0][3] == 1


async def test_a_bonus_post_on_a_day_off_never_breaks_a_streak(study, clock):
    await setup_group(study)
    for day in (2, 3, 4):  # Monday to Wednesday, answered
        round_ = await post_day(study, clock, day)
        assert (await study.answer(ADA, ANSWERS[round_.question_id][0])).reply.ok
        await reveal(study, clock, round_)
    assert (await study.pause(ADMIN, "2026-03-06")).reply.ok  # Thursday and Friday off
    clock.set(berlin_morning(7))  # Saturday is no study day; an admin posts anyway
    assert (await study.post_now(ADMIN)).reply.ok
    saturday = await current_round(study)
    assert saturday.bonus
    assert (await study.answer(BEN, ANSWERS[saturday.question_id][0])).reply.ok
    await reveal(study, clock, saturday)
    await post_day(study, clock, 9)  # Monday

    ada = await stats_text(study, ADA)
    assert "Streak: **3**" in ada and "freezes banked: 1" in ada
    assert "Streak: **1**" in await stats_text(study, BEN)  # answering a bonus round counts


async def test_only_an_answer_that_ran_and_was_wrong_costs_a_try(study, clock):
    await setup_group(study)
    round_ = await post_day(study, clock, 2)
    correct, wrong = ANSWERS[round_.question_id]
    for text in ("SELEC name FROM customers", "DROP TABLE orders", "SELECT 😀 FROM nowhere"):
        reply = (await study.answer(ADA, text)).reply
        assert reply.ok and "not a wrong try" in reply.text, reply.text
    assert (await study.answer(ADA, correct)).reply.ok
    assert (await study.answer(BEN, wrong)).reply.ok
    assert (await study.answer(BEN, correct)).reply.ok
    await reveal(study, clock, round_)
    assert await board(study) == [("Ada", 10), ("Ben", 8)]


async def test_a_review_is_of_the_answer_that_counts_in_an_open_review_window(study, clock):
    await setup_group(study, categories="statistics,experimentation,behavioral")
    monday = await post_day(study, clock, 2)
    assert (await study.answer(CY, "Cy on the question that is skipped.")).reply.ok
    assert (await study.skip(ADMIN)).reply.ok
    for who, text in ((ADA, "Ada's first draft."), (ADA, "Ada's final answer."), (CY, "Cy on the replacement.")):
        assert (await study.answer(who, text)).reply.ok
    ids = await answer_ids(study)
    await reveal(study, clock, monday)

    handed = (await study.review(BEN)).reply
    assert handed.ok and handed.review.answer_id in (ids["Ada's final answer."], ids["Cy on the replacement."])
    assert "Ada" not in (handed.title + handed.text) and "Cy" not in (handed.title + handed.text)  # anonymous

    draft = (await study.submit_review(BEN, ids["Ada's first draft."], [1])).reply
    assert not draft.ok and "revised" in draft.text and f"#{ids['''Ada's final answer.''']}" in draft.text
    skipped = (await study.submit_review(BEN, ids["Cy on the question that is skipped."], [1])).reply
    assert not skipped.ok and "replaced" in skipped.text
    done = (await study.submit_review(BEN, ids["Ada's final answer."], [1, 2])).reply
    assert done.ok and "Ada" in done.text  # the name, once the review is in

    clock.set(monday.reveal_at + dt.timedelta(hours=49))
    closed = (await study.submit_review(DEE, ids["Cy on the replacement."], [1])).reply
    assert not closed.ok and "closed" in closed.text
    assert not (await study.review(DEE)).reply.ok
    assert await study.db.run(lambda s: s.scalar(select(func.count()).select_from(HintUse))) == 0


async def test_a_double_clicked_hint_reveals_one_hint(study, clock):
    await setup_group(study)
    day = 2
    round_ = await post_day(study, clock, day)
    while len(study.question(round_.question_id).hints) < 2:
        day += 1
        round_ = await post_day(study, clock, day)
    hints = study.question(round_.question_id).hints

    first = await asyncio.gather(*(study.hint(ADA, round_.id, number=1) for _ in range(3)))
    assert all(r.reply.ok and hints[0] in r.reply.text for r in first)
    nxt = first[0].reply.buttons[0]
    assert (nxt.action, nxt.round_id, nxt.number) == ("hint", round_.id, 2)
    second = await asyncio.gather(*(study.hint(ADA, round_.id, number=nxt.number) for _ in range(2)))
    assert all(hints[1] in r.reply.text for r in second)
    taken = await study.db.run(lambda s: s.scalars(select(HintUse.hint_index).order_by(HintUse.hint_index)).all())
    assert taken == [0, 1]
    assert not (await study.hint(ADA, round_.id)).reply.ok  # typed: the next one, and there is none


async def test_the_digest_waits_for_the_weeks_reviews_and_is_sent_until_delivered(study, clock):
    await setup_group(study, days="mon,wed,fri", categories="statistics,experimentation,behavioral")
    for day in (2, 4, 6):
        round_ = await post_day(study, clock, day)
        for who in (ADA, BEN):
            assert (await study.answer(who, f"{who.name} answers on {day} March.")).reply.ok
        posts = await reveal(study, clock, round_)
        assert "digest" not in [p.kind for p in posts]
    friday = round_

    # Saturday: Ben reviews Ada's Friday answer; every rubric point met.
    clock.set(friday.reveal_at + dt.timedelta(hours=20))
    handed = (await study.review(BEN, friday.id)).reply
    assert (await study.submit_review(BEN, handed.review.answer_id, list(range(1, len(handed.review.rubric) + 1)))).reply.ok
    assert [p.kind for p in await study.run_due(friday.reveal_at + dt.timedelta(hours=47))] == []

    posts = await study.run_due(friday.reveal_at + dt.timedelta(hours=48))
    assert [p.kind for p in posts] == ["digest"]
    table = posts[0].reply.sections[0]
    assert dict((row[1], row[2]) for row in table.rows)["Ada"] == 3 + 3 + 10  # two rounds unreviewed, then Friday's full marks
    # Nobody confirmed it (the platform was down): it goes out again, once delivered it stops.
    clock.set(friday.reveal_at + dt.timedelta(hours=48, minutes=3))
    again = await study.undelivered()
    assert [p.kind for p in again] == ["digest"] and again[0].digest_id == posts[0].digest_id
    await study.delivered(again[0], message_ref="m1")
    clock.advance(minutes=5)
    assert await study.undelivered() == []


async def test_a_spent_freeze_is_told_to_the_member(study, clock):
    await setup_group(study, days="mon,wed,fri", categories="statistics,experimentation,behavioral")
    for day in (2, 4, 6):
        round_ = await post_day(study, clock, day)
        assert (await study.answer(ADA, f"Ada on {day} March.")).reply.ok
        await reveal(study, clock, round_)
    monday = await post_day(study, clock, 9)
    assert (await study.answer(BEN, "Ben only.")).reply.ok
    posts = await reveal(study, clock, monday)
    told = [p for p in posts if p.kind == "dm" and p.user_id == "ada"]
    assert len(told) == 1 and "freeze" in told[0].reply.text and "3" in told[0].reply.text
    assert not [p for p in posts if p.kind == "dm" and p.user_id == "ben"]
    ada = await stats_text(study, ADA)
    assert "Streak: **3**" in ada and "freezes banked: 0, spent: 1" in ada


async def test_pause_and_resume_say_what_will_happen(study, clock):
    await setup_group(study)
    clock.set(berlin_morning(2) - dt.timedelta(hours=1))
    paused = (await study.pause(ADMIN, "2026-03-08")).reply.text
    assert "through Sun 8 Mar" in paused and "Mon 9 Mar" in paused

    # Resumed on Thursday at 10:00, after the 09:00 post time: today's question is still due.
    clock.set(dt.datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
    resumed = (await study.resume(ADMIN)).reply.text
    posts = await study.run_due(clock.now)
    assert [p.kind for p in posts] == ["question"]
    assert "today's question now" in resumed.lower(), resumed


async def test_a_difficulty_mix_is_kept_when_its_questions_run_out(study, clock):
    await setup_group(study, mix="easy:1,medium:0,hard:0", days="daily")  # the sql pool: two easy, one medium
    difficulties, notes = [], []
    for day in (2, 3, 4, 5):
        clock.set(berlin_morning(day))
        posts = await study.run_due(clock.now)
        round_ = await current_round(study)
        difficulties.append(study.question(round_.question_id).difficulty)
        notes.append(posts[0].reply.text)
        await reveal(study, clock, round_)
    assert difficulties == ["easy"] * 4
    assert "used up" not in notes[0] + notes[1] and "used up" in notes[2]


async def test_a_skipped_question_does_not_come_back_until_the_pool_is_used_up(study, clock):
    await setup_group(study, categories="all", days="daily")
    first = await post_day(study, clock, 2)
    assert (await study.skip(ADMIN)).reply.ok
    await reveal(study, clock, await current_round(study))
    later = []
    for day in (3, 4, 5, 6):  # six questions: one skipped, one replacing it, four fresh
        round_ = await post_day(study, clock, day)
        later.append(round_.question_id)
        await reveal(study, clock, round_)
    assert first.question_id not in later and len(set(later)) == 4


async def test_stored_points_equal_a_recomputation(study, clock):
    """The invariant the concurrency and crash tests check at scale, here on one small week."""
    await setup_group(study, categories="all", days="daily")
    for day in (2, 3, 4):
        round_ = await post_day(study, clock, day)
        question = study.question(round_.question_id)
        for who in (ADA, BEN, CY):
            text = ANSWERS[question.id][who is BEN] if question.category == "sql" else f"{who.name} on {day}."
            await study.answer(who, text)
        await reveal(study, clock, round_)
        for who in (ADA, BEN):
            handed = (await study.review(who, round_.id)).reply
            if handed.ok:
                await study.submit_review(who, handed.review.answer_id, [1])
    bank = study._bank()

    def check(session):
        from bot.store import Member, Round
        pairs = 0
        for round_ in session.scalars(select(Round)):
            for member_id in session.scalars(select(Member.id)):
                assert stored_points(session, round_.id, member_id) == points_for(session, bank, round_, member_id)
                pairs += 1
        return pairs

    assert await study.db.run(check) == 9


async def test_a_question_never_confirmed_goes_out_before_its_reveal(study, clock):
    """The bot died between posting and recording the post, and came back after the reveal."""
    await setup_group(study)
    [post] = await study.run_due(berlin_morning(2))
    round_ = await current_round(study)
    clock.set(round_.reveal_at + dt.timedelta(minutes=1))
    assert [p.kind for p in await study.undelivered() + await study.run_due(clock.now)] == ["question"]
    await study.delivered(post, message_ref="m1", thread_ref="t1")
    clock.advance(minutes=3)
    # The reveal, and the buttons of the post confirmed (the one made before the reveal): late practice now.
    assert [p.kind for p in await study.undelivered()] == ["reveal", "edit"]
