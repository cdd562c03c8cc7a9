"""A group acts only for its channel's members: a private channel's group stays private;
setup makes sure studybot is in the channel; the Home tab names every group it shows."""

import json

from support import ANSWERS, fixture_bank
from slack_steps import CHANNEL, SETUP, post_question, thread_reply
from sqlalchemy import select

from bot.store import Group, Member, Round


async def set_up(worker, standin, channel: str) -> None:
    await worker.slack.command("UOLGA", SETUP, channel=channel, name=f"setup-{channel}")
    await worker.settle()
    [reply] = standin.responses(f"setup-{channel}")
    assert "Study group created" in reply.params["text"], reply.params["text"]


async def round_in(study, channel: str) -> Round:
    return await study.db.run(lambda s: s.scalar(select(Round).join(Group).where(Group.channel_id == channel)))


async def members_of(study, channel: str) -> set[str]:
    def work(session):
        group = session.scalar(select(Group).where(Group.channel_id == channel))
        return set(session.scalars(select(Member.user_id).where(Member.group_id == group.id)))

    return await study.db.run(work)


async def home_of(worker, standin, user: str) -> str:
    await worker.slack.event({"type": "app_home_opened", "user": user, "tab": "home", "event_ts": "1"})
    await worker.settle()
    [view] = [c.json("view") for c in standin.to("views.publish") if c.params["user_id"] == user][-1:]
    return json.dumps(view["blocks"])


def home_button(action: str, round_id: int, channel: str, number: int | None = None) -> dict:
    value = {"round": round_id, "channel": channel, **({"number": number} if number else {})}
    return {"action_id": f"study_{action}", "value": json.dumps(value)}


async def test_an_outsider_never_sees_or_acts_in_a_private_channels_group(worker, standin, clock):
    standin.world.add_channel("CPRIV", "T1", members={"UOLGA", "UADA"}, private=True, name="secret")
    await set_up(worker, standin, CHANNEL)
    await set_up(worker, standin, "CPRIV")
    await post_question(worker, clock)
    private_round = await round_in(worker.study, "CPRIV")
    await worker.slack.event(thread_reply("UADA", ANSWERS[private_round.question_id][0], "1700000500.000001", private_round.thread_ref, channel="CPRIV"))
    await worker.settle()

    inside = await home_of(worker, standin, "UADA")
    assert "<#CPRIV>" in inside and "<#CSTUDY>" in inside  # a member sees both groups
    outside = await home_of(worker, standin, "UCY")
    assert "<#CSTUDY>" in outside and "CPRIV" not in outside and "Ada" not in outside

    # Buttons from an old view (or crafted) with the private group's round: refused, nothing stored.
    for action in ("answer", "run", "review", "hint"):
        assert await worker.slack.click("UCY", home_button(action, private_round.id, "CPRIV", 1 if action == "hint" else None)) == 200
        await worker.settle()
        opened = standin.to("views.open")[-1]
        refusal = standin.to("views.update")[-1]
        assert refusal.params["view_id"] == opened.answer["view"]["id"]
        assert "you are not in that channel" in json.dumps(refusal.json("view")), action
    form = [c.json("view") for c in standin.to("views.open") if c.json("view").get("callback_id") == "study_answer"][-1]
    right = ANSWERS[private_round.question_id][0]
    status, reply = await worker.slack.submit("UCY", form, {"answer": {"text": {"type": "plain_text_input", "value": right}}})
    assert status == 200 and reply["response_action"] == "update"
    await worker.settle()
    assert "you are not in that channel" in json.dumps(standin.to("views.update")[-1].json("view"))
    assert await members_of(worker.study, "CPRIV") == {"UADA"}  # Cy was never added
    assert not [c for c in standin.to("chat.postEphemeral") if c.params["user"] == "UCY" and "Hint" in c.params["text"]]

    # Ada, who is in the channel, gets her hint from the same kind of button.
    await worker.slack.click("UADA", home_button("hint", private_round.id, "CPRIV", 1))
    await worker.settle()
    hints = fixture_bank().get(private_round.question_id).hints
    expected = f"Hint 1 of {len(hints)}" if hints else "This question has no hints"
    assert expected in json.dumps(standin.to("views.update")[-1].json("view"))


async def test_setup_joins_a_public_channel_and_asks_to_be_invited_to_a_private_one(worker, standin):
    standin.world.add_channel("CPUB", "T1", members={"UOLGA"}, bot=False)
    standin.world.add_channel("CHIDE", "T1", members={"UOLGA"}, private=True, bot=False)
    await worker.slack.command("UOLGA", SETUP, channel="CPUB", name="pub")
    await worker.slack.command("UOLGA", SETUP, channel="CHIDE", name="hide")
    await worker.settle()
    [joined] = standin.to("conversations.join")
    assert joined.params["channel"] == "CPUB" and standin.world.channel("T1", "CPUB").bot
    [pub], [hide] = standin.responses("pub"), standin.responses("hide")
    assert "I joined this channel" in pub.params["text"] and "Study group created" in pub.params["text"]
    assert hide.params["response_type"] == "ephemeral" and "/invite @studybot" in hide.params["text"]
    channels = await worker.study.db.run(lambda s: s.scalars(select(Group.channel_id)).all())
    assert channels == ["CPUB"]  # no group where the bot could never hear an answer


async def test_the_home_tab_shows_five_groups_in_full_and_names_the_others(worker, standin, clock):
    extra = [f"CG{i}" for i in range(1, 7)]
    for channel in extra:
        standin.world.add_channel(channel, "T1", members={"UOLGA", "UADA"})
    for channel in [CHANNEL, *extra]:
        await set_up(worker, standin, channel)
    await post_question(worker, clock)
    round_ = await round_in(worker.study, CHANNEL)
    await worker.slack.event(thread_reply("UADA", ANSWERS[round_.question_id][0], "1700000600.000001", round_.thread_ref))
    await worker.settle()
    view = await home_of(worker, standin, "UADA")
    cards = [c for c in [CHANNEL, *extra] if f"Study group in <#{c}>" in view]
    named = [c for c in [CHANNEL, *extra] if f"<#{c}>" in view and c not in cards]
    assert len(cards) == 5 and len(named) == 2 and "Your other study groups" in view
    assert cards[0] == CHANNEL  # the group she answered in comes first


async def test_an_install_without_the_new_scopes_is_told_to_reinstall_not_that_you_are_outside(worker, standin, clock):
    await set_up(worker, standin, CHANNEL)
    round_ = await post_question(worker, clock)
    standin.world.grants[standin.token].scopes -= {"channels:read", "groups:read"}  # installed before they were asked for
    await worker.slack.click("UADA", home_button("hint", round_.id, CHANNEL, 1))
    await worker.settle()
    shown = json.dumps(standin.to("views.update")[-1].json("view"))
    assert "reinstalls the app" in shown and "not in that channel" not in shown
