"""A shutdown lets the answers being checked finish: stored, graded, and their verdicts sent."""

import asyncio
import json

from sqlalchemy import select

from bot.store import Answer


async def test_shutting_down_finishes_the_checks_in_flight_and_sends_their_verdicts(bot, standin, people, group, tick, today, study, database, monkeypatch):
    await tick(bot)
    round_, question = await today()
    checking, release = asyncio.Event(), asyncio.Event()
    check = study.checker.check

    async def slow_check(*args, **kwargs):  # a SQL check still running when the signal comes
        checking.set()
        await release.wait()
        return await check(*args, **kwargs)

    monkeypatch.setattr(study.checker, "check", slow_check)
    await standin.post_in_thread(people.ada, round_.thread_ref, question.solution)
    opened = await standin.click(people.ben, standin.messages[round_.message_ref], f"studybot:answer:{round_.id}")
    [modal] = standin.callbacks(opened["id"])
    field = modal["data"]["components"][0]["components"][0]["custom_id"]
    submitted = await standin.submit(people.ben, modal["data"], {field: question.wrong_answers[0].sql})
    await asyncio.wait_for(checking.wait(), 60)

    stopping = asyncio.create_task(bot.shut_down())
    await asyncio.sleep(0.1)
    assert not stopping.done() and not bot.is_closed()  # waiting for the checks
    release.set()
    await asyncio.wait_for(stopping, 60)
    assert bot.is_closed()

    verdicts = {a.member_id: a.verdict for a in await database.run(lambda s: s.scalars(select(Answer)).all())}
    assert sorted(verdicts.values()) == ["correct", "incorrect"]
    [dm] = standin.dms(people.ada)
    assert "Correct" in json.dumps(dm)
    [told] = standin.find("POST", rf"/webhooks/{standin.application_id}/{submitted['token']}", ok=True)
    assert "Not yet" in str(told.body)
