"""The platform-neutral study loop: groups, rounds, answers, reviews, scores, streaks."""

from .replies import Button, Code, Outbound, Reply, Response, TableBlock
from .service import Actor, Study

__all__ = ["Actor", "Button", "Code", "Outbound", "Reply", "Response", "Study", "TableBlock"]
