"""Scheduling: APScheduler alarms that call the study core, delivery, leader election."""

from .alarms import StudyScheduler, digest_trigger, post_trigger
from .delivery import ChannelGone, Deliverer, Delivered, Platform, RetryLater
from .leader import Leadership

__all__ = [
    "ChannelGone",
    "Deliverer",
    "Delivered",
    "Leadership",
    "Platform",
    "RetryLater",
    "StudyScheduler",
    "digest_trigger",
    "post_trigger",
]
