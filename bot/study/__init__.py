"""The platform-neutral study loop: groups, rounds, answers, reviews, scores, streaks."""

from .core import Actor
from .replies import Button, Code, Outbound, Reply, Response, TableBlock, ThreadLink
from .study import Study

__all__ = ["Actor", "Button", "Code", "Outbound", "Reply", "Response", "Study", "TableBlock", "ThreadLink"]
