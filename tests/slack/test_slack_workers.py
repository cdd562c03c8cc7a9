"""Several stateless HTTP workers on one database, as behind a load balancer."""

import asyncio

from support import ANSWERS
from slack_steps import answers, current_round, post_question, set_up_group, start_worker, thread_reply
from sqlalchemy import select
from support import fixture_bank

from bot.store import Database, Member
from bot.study import Study

MEMBERS = ("UADA", "UBEN", "UCY")
MESSAGES = 3


async def test_two_workers_serve_one_group_without_a_lost_or_doubled_answer(database, checker, clock, standin):
    # Two processes' worth of state: their own engine, Study and Bolt app, one database.
    first = await start_worker(Study(database, fixture_bank, checker, clock, platforms={"slack"}), standin)
    other_db = Database(database.url)
    second = await start_worker(Study(other_db, fixture_bank, checker, clock, platforms={"slack"}), standin)
    workers = (first, second)
    try:
        await set_up_group(first)
        round_ = await post_question(second, clock)  # the other worker sees the group and posts
        right, wrong = ANSWERS[round_.question_id]

        async def member(m: int, user: str) -> None:
            for k in range(MESSAGES):
                ts = f"1700001000.{m}{k:05d}"
                event = thread_reply(user, right if k == MESSAGES - 1 else wrong, ts, round_.thread_ref)
                here, there = workers[(m + k) % 2], workers[(m + k + 1) % 2]
                # The event, and Slack's retry of it to the other worker, at the same time.
                statuses = await asyncio.gather(
                    here.slack.event(event, event_id=f"Ev{user}{k}"),
                    there.slack.event(event, event_id=f"Ev{user}{k}", retry=1),
                )
                assert statuses == [200, 200]
                await asyncio.gather(first.settle(), second.settle())  # a member's next message comes later

        await asyncio.gather(*(member(m, user) for m, user in enumerate(MEMBERS)))
        await first.slack.command("UADA", "today")
        await second.slack.command("UBEN", "today")
        await asyncio.gather(first.settle(), second.settle())
    finally:
        for worker in workers:
            await worker.stop()
        other_db.dispose()

    stored = await answers(first.study)
    members = await first.study.db.run(lambda s: dict(s.execute(select(Member.id, Member.user_id)).all()))
    by_user = {}
    for answer in stored:
        by_user.setdefault(members[answer.member_id], []).append(answer)
    assert sorted(by_user) == sorted(MEMBERS)
    for m, user in enumerate(MEMBERS):
        mine = by_user[user]
        assert [a.revision for a in mine] == list(range(1, MESSAGES + 1)), user
        assert [a.message_ref for a in mine] == [f"1700001000.{m}{k:05d}" for k in range(MESSAGES)], user
        assert [a.verdict for a in mine] == ["incorrect"] * (MESSAGES - 1) + ["correct"], user
    # Every message got exactly one mark, whichever worker stored it.
    marks = {c.params["timestamp"] for c in standin.to("reactions.add")}
    assert marks == {a.message_ref for a in stored} and len(standin.to("reactions.add")) == len(stored)
    assert len(standin.to("chat.postEphemeral")) == len(stored)  # one private verdict each, none for the retries
    # `/study today` asked of either worker shows the same round.
    today = standin.to("respond")[-2:]
    assert len(today) == 2 and today[0].json("blocks")[0] == today[1].json("blocks")[0]
    assert (await current_round(first.study)).id == round_.id
