"""Practice: a question for one member, their answer checked or self-reviewed, and what is due again.

`/study practice [topic]` opens a sitting with one question (bot.study.drill chooses
it); while it is open, the member's private `/study answer`, `/study hint` and
`/study run` act on it (the routing is here: `answer`, `hint` and `run_sql` look for
an open sitting first). SQL stays open until it is right (`practice next` moves on); a
written answer closes it and shows the model answer and rubric, for the member to tick
the points they met (`practice mark`). Nothing here writes a score: practice never
changes a leaderboard or a streak.
"""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.bank import Bank, SqlQuestion
from bot.grading import Verdict, extract_sql
from bot.store import Member, Practice, PracticeAnswer, PracticeItem, Progress

from . import drill
from .answers import answer_problem
from .core import Actor, Refused
from .group_settings import format_local
from .inputs import MAX_POINTS, InputError, read_id, read_topic
from .personal import PersonalCore, private_question, rubric_text
from .progress import mastery, member_zone, refresh, weakest
from .repetition import INTERVALS, MISS_BELOW
from .replies import Button, Reply, Response, SelfReviewForm, TableBlock, refuse

SOLVED_HINT = "`/study practice` for another question, `/study due` for what is due again."


class PracticeVerbs(PersonalCore):
    # ---- the routing: private answers, hints and runs go to an open sitting -------------------

    async def answer(self, actor: Actor, text: str, via: str = "private", thread_ref: str | None = None,
                     message_ref: str | None = None, round_id: int | None = None, edited: bool = False) -> Response:
        if via == "private" and thread_ref is None and message_ref is None and round_id is None:
            target = await self.personal_target(actor)
            if target is not None:
                practice_id, kind = target
                return await (self.mock_answer if kind == "mock" else self.practice_answer)(actor, text, practice_id)
        return await super().answer(actor, text, via=via, thread_ref=thread_ref, message_ref=message_ref, round_id=round_id, edited=edited)

    async def hint(self, actor: Actor, round_id: int | None = None, number: int | None = None) -> Response:
        if round_id is None and (target := await self.personal_target(actor)) is not None:
            return await self.sitting_hint(actor, target[0], number)
        return await super().hint(actor, round_id, number=number)

    async def run_sql(self, actor: Actor, sql: str, round_id: int | None = None) -> Response:
        if round_id is None and (target := await self.personal_target(actor)) is not None:
            return await self.sitting_run(actor, sql, target[0])
        return await super().run_sql(actor, sql, round_id)

    # ---- opening a practice question ------------------------------------------------------------

    async def practice(self, actor: Actor, topic: str = "", after: int | None = None) -> Response:
        """A question for this member alone; with `after` (a button's "another"), a new one
        only if sitting `after` is still the open one, so a double click opens one."""
        bank = await self.bank()
        try:
            chosen = read_topic(topic or "", drill.vocabulary(bank))
        except InputError as error:
            return Response(refuse(f"{error}."))
        now = self.now()

        def work(session: Session):
            group, member = self.member_here(session, actor, now)
            sitting = self.open_sitting(session, member.id)
            key = " ".join(word for _, word in chosen)
            if sitting is not None and sitting.kind == "mock":
                raise Refused(f"Your mock interview is under way (until {format_local(sitting.ends_at, member_zone(session, member.id))}). `/study mock stop` ends it; then practise.")
            if sitting is not None and (sitting.topic == key if after is None else sitting.id != after):
                item = self.current_item(session, sitting)
                return sitting.id, bank.get(item.question_id), "Still open: answer it, or `/study practice next` for another.", key
            leaving = {self.current_item(session, sitting).question_id} if sitting is not None else set()
            question, note = self._choose(session, bank, group, member, chosen, now, leaving)
            if sitting is not None:
                self.close(session, sitting, "replaced", now)
            opened = Practice(member_id=member.id, kind="practice", topic=key, opened_at=now)
            session.add(opened)
            session.flush()
            session.add(PracticeItem(practice_id=opened.id, member_id=member.id, position=0, question_id=question.id, shown_at=now, hints_taken=0))
            return opened.id, question, note, key

        found = await self.transact(work)
        if isinstance(found, Response):
            return found
        practice_id, question, note, key = found
        footer = "Answer with `/study answer …` (SQL is checked as usual); `/study hint`, `/study run <sql>` on the sample; `/study practice next` for another, `/study practice stop` to stop."
        buttons = (Button("practice-hint", "Hint", practice_id, number=1),) if question.hints else ()
        buttons += (Button("practice-next", "Another question", practice_id),)
        return Response(await asyncio.to_thread(private_question, question, "Practice", note, footer, buttons))

    def _choose(self, session: Session, bank: Bank, group, member: Member, chosen, now: dt.datetime, leaving: set[str]):
        """The question and the note shown with it; refuse when nothing is left."""
        known = self.known(session, member.id)
        avoid = self.dailies_to_avoid(session, group, bank, now) | leaving
        shown = self.shown(session, member.id)
        seed = f"{member.id}:{len(shown)}"
        words = [(kind, word) for kind, word in chosen if kind != drill.KEYWORD]
        keywords = {word for kind, word in chosen if kind == drill.KEYWORD}
        topics = [words]
        if drill.WEAK in keywords:
            scores = weakest(mastery(session, bank, member.id))
            if not scores:
                raise Refused("There is no weakest topic yet: answer at least two questions of a category or tag first (`/study practice` picks any).")
            topics = [[*words, (score.kind, score.name)] for score in scores]
        for topic in topics:
            found = drill.choose(bank, topic, known, now, exclude=avoid, shown=shown, seed=seed, due_only=drill.DUE in keywords)
            if found is not None:
                question, due = found
                return question, self._note(session, member.id, question, topic, due, drill.WEAK in keywords, bank)
        raise Refused(_nothing_left(chosen, known, now, member_zone(session, member.id)))

    @staticmethod
    def _note(session: Session, member_id: int, question, topic, due: bool, weak: bool, bank: Bank) -> str:
        if due:
            row = session.scalar(select(Progress).where(Progress.member_id == member_id, Progress.question_id == question.id))
            return f"Due again (missed before; step {row.step + 1} of {len(INTERVALS)} of your repetition schedule)."
        if weak:
            kind, name = topic[-1]
            score = next(s for s in mastery(session, bank, member_id) if (s.kind, s.name) == (kind, name))
            return f"Your weakest topic: {name} ({score.share:.0%} over {score.answered} answers)."
        tags = f" · {', '.join(question.tags)}" if question.tags else ""
        return f"New to you{tags}."

    async def practice_next(self, actor: Actor, after: int | None = None) -> Response:
        """Leave the open question for another on the same topic; with `after` (a button
        under sitting `after`), only while that sitting is the open one."""
        now = self.now()
        found = await self.transact(lambda session: self._open_topic(session, actor, now))
        if isinstance(found, Response):
            return found
        topic, open_id = found
        return await self.practice(actor, topic, after=after if after is not None else open_id)

    def _open_topic(self, session: Session, actor: Actor, now: dt.datetime) -> tuple[str, int]:
        _, member = self.member_here(session, actor, now)
        sitting = self.open_sitting(session, member.id)
        if sitting is not None and sitting.kind == "mock":
            raise Refused("Your mock interview is under way: `/study mock next` moves to its next question.")
        if sitting is not None:
            return sitting.topic, sitting.id
        latest = session.scalar(select(Practice.topic).where(Practice.member_id == member.id, Practice.kind == "practice").order_by(Practice.id.desc()).limit(1))
        return latest or "", 0

    async def practice_stop(self, actor: Actor) -> Response:
        now = self.now()

        def work(session: Session) -> Reply:
            _, member = self.member_here(session, actor, now)
            sitting = self.open_sitting(session, member.id)
            if sitting is None or sitting.kind != "practice":
                raise Refused("You have no practice question open." + (" `/study mock stop` ends your mock interview." if sitting else ""))
            self.close(session, sitting, "stopped", now)
            return Reply(text="Practice stopped. `/study answer` answers the group's question again. " + SOLVED_HINT)

        return await self.transact(work)

    # ---- answering -----------------------------------------------------------------------------

    def store_answer(self, session: Session, item: PracticeItem, question, text: str, dialect: str, now: dt.datetime) -> PracticeAnswer:
        revision = (session.scalar(select(func.max(PracticeAnswer.revision)).where(PracticeAnswer.item_id == item.id)) or 0) + 1
        row = PracticeAnswer(
            item_id=item.id, revision=revision, text=text, created_at=now,
            dialect=extract_sql(text, dialect)[1] if isinstance(question, SqlQuestion) else None,
        )
        session.add(row)
        item.answered_at = item.answered_at or now
        session.flush()
        return row

    async def practice_answer(self, actor: Actor, text: str, practice_id: int | None = None) -> Response:
        text = (text or "").strip()
        if problem := answer_problem(text):
            return Response(refuse(problem))
        now = self.now()
        bank = await self.bank()

        def store(session: Session):
            group, member = self.member_here(session, actor, now)
            sitting = self.sitting_of(session, member, practice_id, now)
            item = self.current_item(session, sitting)
            question = bank.get(item.question_id) if item else None
            if question is None:
                raise Refused("This practice question is no longer in the bank. `/study practice` gives you another.")
            row = self.store_answer(session, item, question, text, group.dialect, now)
            if not isinstance(question, SqlQuestion):  # one answer; then the self-review
                self.close(session, sitting, "answered", now)
            return row.id, item.id, sitting.id, question, row.dialect, row.revision, member.id, group

        for attempt in range(3):
            try:
                stored = await self.transact(store)
                break
            except IntegrityError:  # a double click raced this one: again, which sees it
                if attempt == 2:
                    raise
        if isinstance(stored, Response):
            return stored
        answer_id, item_id, practice_id, question, dialect, revision, member_id, group = stored
        if not isinstance(question, SqlQuestion):
            return Response(self_review_reply(question, item_id, "Answer saved (practice)."))
        verdict, message, solved = await self.check_practice(answer_id, question, text, dialect, member_id, self.taking_long(group, actor.user_id))
        if solved:
            return Response(Reply(text=f"{message} (practice, try {revision}) Solved. {SOLVED_HINT}", mark="correct"))
        again = " It did not run to a result, so it is not a wrong try." if verdict not in (Verdict.CORRECT.value, Verdict.INCORRECT.value) else ""
        return Response(Reply(
            text=f"{message} (practice, try {revision}).{again} Try again with `/study answer`, or `/study practice next` for another question.",
            mark="incorrect", buttons=(Button("practice-next", "Another question", practice_id),),
        ))

    # ---- self-review -------------------------------------------------------------------------

    async def practice_mark(self, actor: Actor, points: list[int | str], item_id: int | str | None = None) -> Response:
        """The member's own review of a written practice or mock answer: the rubric points
        (numbered from 1) it met. Marking again replaces the marks."""
        try:
            item_id = read_id(str(item_id), "a practice question") if item_id is not None else None
            if len(points) > MAX_POINTS:
                raise InputError(f"{len(points)} rubric points; a rubric has at most {MAX_POINTS}")
            points = sorted({read_id(str(p), "a rubric point") for p in points})
        except InputError as error:
            return Response(refuse(f"{error}. Tick the points you met like `/study practice mark 1,3` (or `none`)."))
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Reply:
            _, member = self.member_here(session, actor, now)
            item = session.get(PracticeItem, item_id) if item_id is not None else session.scalar(
                select(PracticeItem).join(PracticeAnswer, PracticeAnswer.item_id == PracticeItem.id)
                .where(PracticeItem.member_id == member.id, PracticeAnswer.dialect.is_(None)).order_by(PracticeItem.answered_at.desc(), PracticeItem.id.desc()).limit(1))
            if item is None or item.member_id != member.id:
                raise Refused("There is no written practice answer of yours to mark" + (f" numbered {item_id}" if item_id else "") + ". Answer a written question with `/study practice` first.")
            question = bank.get(item.question_id)
            answered = session.scalar(select(func.count()).select_from(PracticeAnswer).where(PracticeAnswer.item_id == item.id))
            if isinstance(question, SqlQuestion) or question is None or not answered:
                raise Refused("Only a written answer you gave is self-reviewed; SQL is checked for you.")
            size = len(question.rubric)
            bad = [p for p in points if not 1 <= p <= size]
            if bad:
                raise Refused(f"The rubric has points 1 to {size}; {', '.join(map(str, bad))} is not one of them.")
            item.marks, item.rubric_size, item.marked_at = [p - 1 for p in points], size, now
            session.flush()
            row = refresh(session, member.id, item.question_id)
            share = len(points) / size
            if share < MISS_BELOW:
                due = format_local(row.due_at, member_zone(session, member.id)) if row and row.due_at else "soon"
                verdict = f"Under {MISS_BELOW:.0%}, so it joins your repetition schedule: due again {due}."
            elif row is not None and row.step is not None:
                verdict = f"Next on your repetition schedule: {format_local(row.due_at, member_zone(session, member.id))}."
            else:
                verdict = "Mastered: it will not be offered again."
            return Reply(text=f"Self-review saved: {len(points)} of {size} rubric points met ({share:.0%}). {verdict} {SOLVED_HINT}")

        return await self.transact(work)

    # ---- the repetition schedule ---------------------------------------------------------------

    async def due(self, actor: Actor) -> Response:
        """What the member's repetition schedule brings back now, and what comes next."""
        now = self.now()
        bank = await self.bank()

        def work(session: Session) -> Reply:
            _, member = self.member_here(session, actor, now)
            zone = member_zone(session, member.id)
            rows = session.execute(
                select(Progress.question_id, Progress.step, Progress.due_at).where(Progress.member_id == member.id, Progress.step.is_not(None))
                .order_by(Progress.due_at, Progress.question_id).limit(50)
            ).all()
            due = [(q, s, d) for q, s, d in rows if d <= now]
            later = [(q, s, d) for q, s, d in rows if d > now][:5]
            if not rows:
                return Reply(text=f"Nothing is due: questions you miss come back after {', '.join(map(str, INTERVALS))} days. `/study practice` gives you a question.")

            def line(q, step, when):
                question = bank.get(q)
                title = question.title if question else q
                return (title, question.category if question else "?", f"{step + 1} of {len(INTERVALS)}", format_local(when, zone))

            sections = []
            if due:
                sections.append(TableBlock(("question", "category", "step", "due since"), tuple(line(*r) for r in due), caption="Due now"))
            if later:
                sections.append(TableBlock(("question", "category", "step", "due"), tuple(line(*r) for r in later), caption="Coming up"))
            head = f"{len(due)} question{'s' if len(due) != 1 else ''} due again. `/study practice` starts with {'them' if len(due) != 1 else 'it'}." if due else "Nothing is due right now."
            return Reply(title="Your repetition schedule", text=head, sections=tuple(sections))

        return await self.transact(work)


def self_review_reply(question, item_id: int, lead: str) -> Reply:
    """A written answer's model answer and rubric, for the member to tick what they met."""
    return Reply(
        title=f"Model answer: {question.title}",
        text=f"{lead} Compare yours with the model answer and tick the rubric points you met.\n\n{question.answer.strip()}",
        sections=(f"**Rubric**\n{rubric_text(question)}", f"Send `/study practice mark {item_id} 1,3` with the points you met (or `none`)."),
        self_review=SelfReviewForm(item_id, tuple(question.rubric)),
    )


def _nothing_left(chosen, known, now: dt.datetime, zone: str) -> str:
    topic = " ".join(word for _, word in chosen) or "the bank"
    waiting = sorted(k.due_at for k in known.values() if k.step is not None and not k.due(now))
    mastered = sum(1 for k in known.values() if k.mastered)
    later = f"; the next comes back {format_local(waiting[0], zone)}" if waiting else ""
    return f"Nothing left to practise in {topic}: {mastered} mastered, {len(waiting)} waiting on your schedule{later}. Try another topic, or `/study practice` for any."
