"""Platform-neutral replies: what the core says, for an adapter to render.

A reply is a title, Markdown text, optional code blocks and tables, and buttons as
intents (an action on a round). Discord renders them as embeds and components,
Slack as Block Kit, the console as plain text.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Code:
    body: str
    language: str = ""


@dataclass(frozen=True)
class TableBlock:
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    caption: str = ""
    truncated: bool = False


@dataclass(frozen=True)
class ThreadLink:
    """A round's thread in a table (`/study history`): its text is the platform's ref;
    an adapter that can link to it fills in `url`."""

    ref: str
    url: str = ""

    def __str__(self) -> str:
        return self.ref


@dataclass(frozen=True)
class Button:
    """An action a member can take on a round: answer, hint, run, review; or, as
    `practice-hint` and `practice-next`, on their own practice sitting, whose id
    `round_id` then carries.

    `number` makes a click mean one thing however often it arrives: the Hint button
    asks for hint `number` (a double click asks twice for the same hint, not for two).
    `disabled`: shown but not clickable, because the core refuses its verb now (Review
    after the review window)."""

    action: str
    label: str
    round_id: int
    number: int | None = None
    disabled: bool = False


@dataclass(frozen=True)
class ReviewForm:
    """What a review needs, for platforms that show it as a form: the answer and its rubric points."""

    answer_id: int
    rubric: tuple[str, ...]


@dataclass(frozen=True)
class SelfReviewForm:
    """A written practice answer to tick against its rubric, for platforms that show a form."""

    item_id: int
    rubric: tuple[str, ...]


Section = str | Code | TableBlock


@dataclass(frozen=True)
class Reply:
    text: str = ""
    title: str | None = None
    sections: tuple[Section, ...] = ()
    buttons: tuple[Button, ...] = ()
    private: bool = True  # only the member who asked sees it
    ok: bool = True  # False for refusals and errors
    mark: str | None = None  # for a thread answer: "correct", "incorrect", "received"
    review: ReviewForm | None = None  # a review to fill in (`/study review` handing out an answer)
    self_review: SelfReviewForm | None = None  # a written practice answer to tick (`/study practice mark`)
    repeated: bool = False  # the platform delivered a message already answered (a retry): nothing new to show
    # Times written in the group's zone ("Mon 2 Mar 18:00 CET") and the moment each names:
    # a platform that can show a moment in each reader's own zone puts it in their place.
    moments: tuple[tuple[str, dt.datetime], ...] = ()


def refuse(text: str) -> Reply:
    """A short private message that says what to do instead."""
    return Reply(text=text, ok=False)


@dataclass(frozen=True)
class Outbound:
    """A message the core wants posted to a group's channel (or its round's thread)."""

    group_id: int
    platform: str
    channel_id: str
    kind: str  # "question", "reveal", "notice", "digest", "dm"; "edit": new buttons for `edit_ref`
    reply: Reply
    round_id: int | None = None
    in_thread: bool = False  # post in the round's thread rather than the channel
    thread_title: str | None = None  # open a thread on the post with this name
    attachments: tuple[tuple[str, bytes], ...] = field(default=())  # (file name, content)
    user_id: str | None = None  # for "dm": the member to tell privately
    digest_id: int | None = None  # for "digest": the row its delivery is recorded on
    winner_id: str | None = None  # for "digest": the week's first place (platform user id); None when nobody scored
    workspace_id: str = ""  # the group's workspace (Slack team, Discord guild): whose token posts it
    edit_ref: str | None = None  # for "edit": the platform's message whose buttons become `reply.buttons`
    # (a round's question post, or its reveal when `in_thread`)


@dataclass(frozen=True)
class Response:
    """What a verb returns: the reply to the member who asked, and posts for others."""

    reply: Reply
    outbound: tuple[Outbound, ...] = ()
