"""A button edit is owed until the platform confirms it, like a post: a process that
dies between claiming a reveal (or a close) and editing the buttons leaves the edit to
the next sweep, and a post delivered only after its round was revealed gets its edit too."""

import datetime as dt

from steps import berlin_morning, current_round, setup_group
from support import ADA, ANSWERS, fixture_bank

from bot.schedule import ChannelGone, Deliverer, Delivered
from bot.study import Button, Study
from bot.study.scoring import REVIEW_WINDOW

STALE = dt.timedelta(minutes=3)  # past `undelivered`'s two minutes: no send is still under way


def edits(posts) -> list:
    return [p for p in posts if p.kind == "edit"]


async def posted(study, clock, *, confirm: bool = True):
    """Monday's question (confirmed as m1 unless told not to) and Ada's answer: the round."""
    await setup_group(study, days="mon")
    [post] = await study.run_due(berlin_morning(2))
    if confirm:
        await study.delivered(post, message_ref="m1", thread_ref="t1")
    round_ = await current_round(study)
    assert (await study.answer(ADA, ANSWERS[round_.question_id][0])).reply.ok
    return post, round_


async def test_a_reveal_edit_lost_with_its_process_is_made_by_the_next_sweep(study, clock):
    _, round_ = await posted(study, clock)
    clock.set(round_.reveal_at)
    made = await study.run_due(clock.now)  # the reveal is claimed; the process dies before sending
    [lost] = edits(made)
    assert lost.edit_ref == "m1"
    reveal = next(p for p in made if p.kind == "reveal")
    await study.delivered(reveal, message_ref="r1")  # say the reveal went out, the edit did not
    assert edits(await study.undelivered()) == []  # it may still be under way
    clock.set(clock.now + STALE)
    [again] = edits(await study.undelivered())
    assert (again.edit_ref, again.in_thread, again.reply.buttons) == ("m1", False, lost.reply.buttons)
    await study.delivered(again)
    assert edits(await study.undelivered()) == []  # confirmed: owed no more


async def test_a_close_edit_lost_with_its_process_is_made_by_the_next_sweep(study, clock):
    _, round_ = await posted(study, clock)
    clock.set(round_.reveal_at)
    for post in await study.run_due(clock.now):
        await study.delivered(post, message_ref="r1" if post.kind == "reveal" else None)
    closes = clock.now + REVIEW_WINDOW
    clock.set(closes)
    [lost] = edits(await study.run_due(closes))  # claimed; never sent
    clock.set(closes + STALE)
    [again] = edits(await study.undelivered())
    assert (again.edit_ref, again.in_thread) == ("r1", True)
    assert again.reply.buttons == (Button("review", "Review closed", round_.id, disabled=True),) == lost.reply.buttons
    await study.delivered(again)
    assert edits(await study.undelivered()) == []


async def test_a_question_delivered_after_its_reveal_was_claimed_gets_its_buttons_edited(study, clock):
    # The question was made (with an Answer button) and was still being sent when the
    # reveal fell due: the reveal found no message to edit. Once the question is
    # confirmed, its buttons are owed the reveal's edit.
    post, round_ = await posted(study, clock, confirm=False)
    clock.set(round_.reveal_at)
    assert edits(await study.run_due(clock.now)) == []  # no message yet
    await study.delivered(post, message_ref="m1", thread_ref="t1")
    clock.set(clock.now + STALE)
    [edit] = edits(await study.undelivered())
    assert edit.edit_ref == "m1" and edit.reply.buttons[0].label == "Answer (late practice)"


async def test_owed_edits_end_with_the_review_window(study, clock):
    _, round_ = await posted(study, clock)
    clock.set(round_.reveal_at)
    await study.run_due(clock.now)  # the reveal and its edit are claimed, neither sent
    clock.set(clock.now + REVIEW_WINDOW + STALE)
    assert edits(await study.undelivered()) == []  # two days on, a stale button is not worth a late edit


class EditGone:
    """A platform on which every edited message has been deleted."""

    name = "test"

    def __init__(self):
        self.sent = []

    async def send(self, post, thread_ref):
        if post.kind == "edit":
            raise ChannelGone("Unknown Message")
        self.sent.append(post.kind)
        return Delivered(f"{post.kind}-{len(self.sent)}", "t1" if post.kind == "question" else None)


async def test_an_edit_of_a_deleted_message_is_given_up_once_not_owed_again(database, checker, clock):
    study = Study(database, fixture_bank, checker, clock)
    _, round_ = await posted(study, clock)
    deliverer = Deliverer(study, EditGone())
    clock.set(round_.reveal_at)
    failed = await deliverer.deliver(await study.run_due(clock.now))
    assert [p.kind for p in failed] == ["edit"]  # not made...
    clock.set(clock.now + STALE)
    assert edits(await study.undelivered()) == []  # ...and nothing is left to make: the message is gone
