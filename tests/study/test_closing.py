"""A round closes when its review window ends: once, whoever sweeps; verb and buttons agree."""

import asyncio
import datetime as dt

from steps import berlin_morning, current_round, setup_group
from sqlalchemy import event
from support import ADA, ANSWERS, BEN, fixture_bank, member

from bot.study import Button, Study
from bot.study.scoring import REVIEW_WINDOW


async def revealed(study, clock, *, reveal_confirmed: bool = True):
    """Monday's post confirmed, Ada's answer, the reveal (confirmed or not): the round.
    The group studies on Mondays only, so the round is still the latest when it closes."""
    await setup_group(study, days="mon")
    [post] = await study.run_due(berlin_morning(2))
    await study.delivered(post, message_ref="m1", thread_ref="t1")
    round_ = await current_round(study)
    assert (await study.answer(ADA, ANSWERS[round_.question_id][0])).reply.ok
    clock.set(round_.reveal_at)
    [shown] = [p for p in await study.run_due(clock.now) if p.kind == "reveal"]
    if reveal_confirmed:
        await study.delivered(shown, message_ref="r1")
    return await current_round(study)


def edits(batches) -> list:
    return [p for posts in batches for p in posts if p.kind == "edit"]


async def test_two_processes_close_a_round_once_and_review_is_refused_from_then_on(database, checker, clock):
    first, second = Study(database, fixture_bank, checker, clock), Study(database, fixture_bank, checker, clock)
    round_ = await revealed(first, clock)
    closes = round_.revealed_at + REVIEW_WINDOW
    clock.set(closes - dt.timedelta(minutes=1))
    assert edits([await first.run_due(clock.now)]) == []
    assert (await first.review(BEN, round_.id)).reply.review is not None  # open until the window ends

    clock.set(closes)
    done = await asyncio.gather(*[s.run_due(closes) for s in (first, second, first, second)])
    [closed] = edits(done)
    assert (closed.edit_ref, closed.in_thread) == ("r1", True)
    assert closed.reply.buttons == (Button("review", "Review closed", round_.id, disabled=True),)
    assert edits([await second.run_due(closes + dt.timedelta(hours=1))]) == []  # a later sweep, or a restart

    refused = (await second.review(BEN, round_.id)).reply
    assert not refused.ok and "The review window of this round closed on Wed 4 Mar 18:00" in refused.text
    today = (await first.today(ADA)).reply
    assert "peer review closed Wed 4 Mar 18:00" in today.sections[-1]
    assert today.buttons[0].label == "Answer (late practice)"  # late answers are still taken...
    assert (await first.answer(ADA, ANSWERS[round_.question_id][0], round_id=round_.id)).reply.ok  # ...as the button says


async def test_a_reveal_sent_only_after_the_close_carries_review_closed(study, clock):
    round_ = await revealed(study, clock, reveal_confirmed=False)
    clock.set(round_.revealed_at + REVIEW_WINDOW)
    assert edits([await study.run_due(clock.now)]) == []  # no message to edit yet
    [reveal] = [p for p in await study.undelivered() if p.kind == "reveal"]
    assert reveal.reply.buttons == (Button("review", "Review closed", round_.id, disabled=True),)


async def test_closing_many_rounds_at_once_takes_the_same_few_statements_as_closing_two(database, checker, clock):
    """A review window that ends for thousands of groups at one moment: one claim and
    one read of the groups a batch, not two statements a round."""
    study = Study(database, fixture_bank, checker, clock)
    counts = {}
    for week, (first, groups) in enumerate(((0, 2), (2, 10))):
        clock.set(berlin_morning(2 + 7 * week))  # a Monday of its own for each size; every group posts
        for g in range(first, groups):
            admin = member("Olga", admin=True, channel=f"close-{g}")
            assert (await study.setup(admin, {"time": "09:00", "tz": "Europe/Berlin", "days": "mon", "categories": "sql"})).reply.ok
        posts = [p for p in await study.run_due(clock.now) if p.kind == "question"]
        assert len(posts) == groups
        await study.delivered_all([(p, f"m{p.round_id}", f"t{p.round_id}") for p in posts])
        clock.set(clock.now + dt.timedelta(hours=9))
        reveals = [p for p in await study.run_due(clock.now) if p.kind == "reveal"]
        await study.delivered_all([(p, f"r{p.round_id}", None) for p in reveals])
        closes = clock.now + REVIEW_WINDOW
        clock.set(closes)
        statements = []
        event.listen(database.engine, "before_cursor_execute", listener := lambda *args: statements.append(args[2]))
        try:
            closed = await database.run(lambda session: study._due_closes(session, closes, 100))
        finally:
            event.remove(database.engine, "before_cursor_execute", listener)
        edits, claimed = closed
        assert claimed == groups and sorted(e.edit_ref for e in edits) == sorted(f"r{p.round_id}" for p in reveals)
        counts[groups] = len([s for s in statements if not s.startswith("BEGIN")])  # SQLite's own
    assert counts[2] == counts[10] <= 3, counts  # the due rounds, the claim, their groups
