"""Which question a group gets next.

From the questions matching the group's categories, tracks and difficulty mix (a
difficulty weighted 0 is never posted): none a second time until the pool is used up
(a question an admin skipped counts as used); the category seen least over the last
week of rounds first (a rotation); within it the difficulty furthest below the group's
mix; and a stable pseudo-random choice among the rest, so two processes pick the same
question. A question already in the history means the pool was used up: the post says so.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence

from bot.bank import AnyQuestion

from .group_settings import DEFAULT_MIX

ROTATION_WINDOW = 7  # rounds over which categories are spread
MIX_WINDOW = 20  # rounds over which the difficulty mix is balanced


class NoQuestions(Exception):
    """No question in the bank matches the group's categories and tracks."""


def eligible(questions: Iterable[AnyQuestion], categories: Sequence[str], tracks: Sequence[str], mix: dict[str, int] | None = None) -> list[AnyQuestion]:
    weighted = {d for d, w in (mix or DEFAULT_MIX).items() if w > 0}
    return [
        q
        for q in questions
        if (not categories or q.category in categories) and (not tracks or set(q.tracks) & set(tracks)) and q.difficulty in weighted
    ]


def pick_question(
    questions: Iterable[AnyQuestion],
    *,
    categories: Sequence[str],
    tracks: Sequence[str],
    mix: dict[str, int] | None,
    history: Sequence[str],
    seed: str,
    exclude: Iterable[str] = (),
) -> AnyQuestion:
    """The next question; `history` is the group's question ids (skipped ones too), oldest first."""
    pool = eligible(questions, categories, tracks, mix)
    excluded = set(exclude)
    pool = [q for q in pool if q.id not in excluded]
    if not pool:
        raise NoQuestions("no question in the bank matches this group's categories, tracks and difficulty mix")
    by_id = {q.id: q for q in pool}
    used = set(history)
    fresh = [q for q in pool if q.id not in used]
    if not fresh:  # the pool is used up: start again, avoiding the most recent half
        recent = set(history[-max(1, len(pool) // 2) :])
        fresh = [q for q in pool if q.id not in recent] or pool

    recent_categories = Counter(by_id[i].category for i in history[-ROTATION_WINDOW:] if i in by_id)
    last_seen = {by_id[i].category: n for n, i in enumerate(history) if i in by_id}
    category = min(
        {q.category for q in fresh},
        key=lambda c: (recent_categories[c], last_seen.get(c, -1), _hash(seed, c)),
    )
    candidates = [q for q in fresh if q.category == category]

    weights = {d: w for d, w in (mix or DEFAULT_MIX).items() if w > 0}
    offered = {q.difficulty for q in candidates} & set(weights)
    if offered:
        seen = Counter(by_id[i].difficulty for i in history[-MIX_WINDOW:] if i in by_id)
        total = sum(seen.values()) + 1
        weight_sum = sum(weights[d] for d in offered)
        difficulty = max(offered, key=lambda d: (weights[d] / weight_sum - seen[d] / total, _hash(seed, d)))
        candidates = [q for q in candidates if q.difficulty == difficulty]
    return min(candidates, key=lambda q: _hash(seed, q.id))


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()
