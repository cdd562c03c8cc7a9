"""studybot on Slack: a Bolt `AsyncApp` for one self-hosted workspace (Socket Mode or
HTTP) or, installed through OAuth, for many behind an HTTP load balancer.

`serve(settings, http, port)` is what `studybot run slack [--http] [--port N]` calls;
`build_app(study, settings, client)` builds the app (tests drive it on loopback).
"""

from .app import SlackBot, build_app, make_client
from .runner import serve

__all__ = ["SlackBot", "build_app", "make_client", "serve"]
