"""A round's messages show its state: the post's Answer turns to late practice at the
reveal, the reveal's Review is disabled when the review window closes; each edit once."""

import datetime as dt
import json

from sqlalchemy import select
from standin import find_component

from bot.store import Group
from bot.study.scoring import REVIEW_WINDOW


def buttons(message: dict) -> dict[str, dict]:
    """A message's buttons by custom_id: label and whether they are disabled."""
    return {c["custom_id"]: {"label": c["label"], "disabled": c.get("disabled", False)}
            for row in message.get("components", []) for c in row["components"]}


async def revealed(bot, standin, clock, tick, today):
    """The day's post, then its reveal: the round and the reveal's message (as first sent)."""
    await tick(bot)
    round_, _ = await today()
    clock.set(round_.reveal_at)
    await tick(bot)
    round_, _ = await today()
    [reveal] = standin.find("POST", rf"/channels/{round_.thread_ref}/messages", ok=True)
    return round_, reveal.result


async def test_the_post_turns_to_late_practice_and_review_closes_each_edit_once(running, standin, people, group, tick, today, clock, bot):
    round_, reveal = await revealed(bot, standin, clock, tick, today)
    [edit] = standin.find("PATCH", rf"/channels/{group}/messages/{round_.message_ref}", ok=True)
    assert "components" in edit.body and not {"content", "embeds"} & set(edit.body)  # the text stays as posted
    post = standin.messages[round_.message_ref]
    assert buttons(post) == {
        f"studybot:answer:{round_.id}": {"label": "Answer (late practice)", "disabled": False},
        f"studybot:hint:{round_.id}:1": {"label": "Hint", "disabled": False},
        f"studybot:run:{round_.id}": {"label": "Run on sample", "disabled": False},
    }
    assert round_.reveal_ref == reveal["id"]
    await tick(bot)  # a second sweep edits nothing again
    assert len(standin.find("PATCH", r"/channels/\d+/messages/\d+")) == 1

    # The window closes: the reveal's Review is disabled, once, even across a restart.
    clock.set(round_.revealed_at + REVIEW_WINDOW)
    await tick(bot)
    assert standin.find("PATCH", rf"/channels/{round_.thread_ref}/messages/{reveal['id']}", ok=True)
    assert buttons(standin.messages[reveal["id"]]) == {f"studybot:review:{round_.id}": {"label": "Review closed", "disabled": True}}
    await running.stop(bot)
    again = await running.start()
    await tick(again)
    assert len(standin.find("PATCH", r"/channels/\d+/messages/\d+")) == 2

    # A click that still arrives from an old copy of the message (as first sent) is refused, plainly and privately.
    assert find_component(reveal, f"studybot:review:{round_.id}").get("disabled") is not True
    click = await standin.click(people.ben, reveal, f"studybot:review:{round_.id}")
    [refusal] = await standin.wait_for("POST", rf"/webhooks/{standin.application_id}/{click['token']}")
    assert refusal.body["flags"] & 64
    assert "review window of this round closed on Wed 4 Mar 18:00" in json.dumps(refusal.body)


async def test_an_edit_of_a_deleted_message_is_given_up_and_the_group_goes_on(standin, group, tick, today, clock, bot, database):
    round_, reveal = await revealed(bot, standin, clock, tick, today)
    del standin.messages[reveal["id"]]  # an admin deleted the reveal
    clock.set(round_.revealed_at + REVIEW_WINDOW)
    await tick(bot)
    [gone] = standin.find("PATCH", rf"/channels/{round_.thread_ref}/messages/{reveal['id']}")
    assert gone.status == 404 and gone.result["code"] == 10008
    assert await database.run(lambda s: s.scalar(select(Group.lost_at))) is None  # a deleted message is no lost channel

    clock.set(dt.datetime(2026, 3, 5, 8, 0, tzinfo=dt.timezone.utc))  # Thursday 09:00 in Berlin
    await tick(bot)
    thursday, _ = await today()
    assert thursday.study_date == dt.date(2026, 3, 5) and thursday.delivered_at is not None
    assert len(standin.find("PATCH", rf"/channels/\d+/messages/{reveal['id']}")) == 1  # tried once, never again
