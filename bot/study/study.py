"""`Study`, the core's one face: every verb of /study and the "do what is due" step.

Adapters call these coroutines with an `Actor` and render the `Response`. The verbs
come in families, one module each: `admin` (setup, settings, pause, resume, post,
skip), `rounds` and `due` (opening rounds, reveals, digests, delivery records),
`answers` (answers, checks, hints, the playground), `reviews` and `standings`
(leaderboards, stats, history); and each member's own loop: `practice` (practice
questions, self-review, what is due again), `mock` (mock interviews) and `reminders`
(reminders, and the personal due work run_due does). Database work runs in a thread, SQL checks in the
grading pool: nothing here blocks the event loop, and no platform is known.
"""

from __future__ import annotations

from .admin import AdminVerbs
from .answers import AnswerVerbs
from .owed import OwedWork
from .reminders import PersonalClock
from .reviews import ReviewVerbs
from .standings import StandingVerbs


class Study(AdminVerbs, PersonalClock, OwedWork, AnswerVerbs, ReviewVerbs, StandingVerbs):
    """The study loop for the groups of `platforms` (every platform when None)."""
