"""The /study slash command over HTTP: signatures, the 3-second ack, admins and members."""

import json
import time
from urllib.parse import urlencode

from slack_steps import SETUP, set_up_group
from sqlalchemy import func, select

from bot.store import Group


async def count_groups(study) -> int:
    return await study.db.run(lambda s: s.scalar(select(func.count()).select_from(Group)))


async def test_a_forged_or_stale_signature_is_refused_and_changes_nothing(worker, standin):
    body = worker.slack.command_body("UOLGA", SETUP)
    forged = {**worker.slack.sign(body), "X-Slack-Signature": "v0=" + "0" * 64}
    status, _ = await worker.slack.post(body, "application/x-www-form-urlencoded", signed=forged)
    assert status == 401
    other_secret = type(worker.slack)(worker.slack.url, "not-the-secret", standin)
    status, _ = await other_secret.command("UOLGA", SETUP)
    assert status == 401
    stale = worker.slack.sign(body, timestamp=int(time.time()) - 6 * 60)  # signed right, but 6 minutes old
    status, _ = await worker.slack.post(body, "application/x-www-form-urlencoded", signed=stale)
    assert status == 401
    # Events and interactions are checked the same way (else a Home view or a modal would open).
    home = worker.slack.event_body({"type": "app_home_opened", "user": "UADA", "tab": "home", "event_ts": "1"})
    click = urlencode({"payload": json.dumps({"type": "block_actions", "user": {"id": "UADA"}, "trigger_id": "t",
                                              "actions": [{"type": "button", "action_id": "study_answer", "value": json.dumps({"channel": "CSTUDY"})}]})})
    for other, kind in ((home, "application/json"), (click, "application/x-www-form-urlencoded")):
        status, _ = await worker.slack.post(other, kind, signed={**worker.slack.sign(other), "X-Slack-Signature": "v0=" + "1" * 64})
        assert status == 401
    await worker.settle()
    assert await count_groups(worker.study) == 0 and standin.calls == []

    # The same body, signed now with the right secret, is taken.
    status, _ = await worker.slack.post(body, "application/x-www-form-urlencoded")
    assert status == 200
    await worker.settle()
    assert await count_groups(worker.study) == 1


async def test_the_command_is_acknowledged_before_the_work_is_done(worker, standin):
    lookup = standin.hold("users.info")  # Slack's users.info answers only when we say so
    status, body = await worker.slack.command("UOLGA", SETUP)
    assert (status, body) == (200, "")  # acknowledged while the work waits
    assert standin.to("respond") == [] and await count_groups(worker.study) == 0
    lookup.set()
    await worker.settle()
    [reply] = standin.to("respond")
    assert reply.params["response_type"] == "ephemeral" and "Study group created" in reply.params["text"]
    assert reply.params["name"].startswith("cmd")  # answered through the command's response_url


async def test_setup_by_a_workspace_admin_and_a_polite_refusal_for_a_member(worker, standin):
    group = await set_up_group(worker)
    assert (group.platform, group.channel_id, group.workspace_id, group.owners) == ("slack", "CSTUDY", "T1", ["UOLGA"])
    assert (group.post_time, group.timezone) == ("09:00", "Europe/Berlin")

    await worker.slack.command("UADA", "setup time=07:00")
    await worker.slack.command("UADA", "pause")
    await worker.settle()
    refusals = standin.to("respond")[-2:]
    assert all(r.params["response_type"] == "ephemeral" and "Only an admin" in r.params["text"] for r in refusals)
    group = await worker.study.db.run(lambda s: s.scalar(select(Group)))
    assert group.post_time == "09:00" and group.paused_until is None

    # Anyone may read; public replies go to the channel, private ones stay ephemeral. The
    # three run at once, so their replies may come in any order: each is found by its
    # command's own response_url.
    for text in ("leaderboard", "help", "nonsense"):
        await worker.slack.command("UADA", text, name=text)
    await worker.settle()
    [board], [help_], [unknown] = (standin.responses(text) for text in ("leaderboard", "help", "nonsense"))
    assert board.params["response_type"] == "in_channel"
    assert help_.params["response_type"] == "ephemeral" and "/study setup" in help_.params["text"] + str(help_.params["blocks"])
    assert "Unknown command 'nonsense'" in unknown.params["text"]


async def test_answer_and_review_without_arguments_open_their_modals(worker, standin):
    await set_up_group(worker)
    await worker.slack.command("UADA", "answer")
    await worker.slack.command("UADA", "review")
    await worker.settle()
    opened = standin.to("views.open")
    assert [call.json("view").get("callback_id") for call in opened] == ["study_answer", None]
    # No round yet: the review modal says so instead of showing a form.
    [updated] = standin.to("views.update")
    assert "No question has been posted" in str(updated.json("view")["blocks"])
