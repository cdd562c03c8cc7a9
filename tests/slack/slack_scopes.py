"""The bot scopes each Web API method needs, as Slack's method reference gives them.

The stand-in refuses a call whose token lacks them (`missing_scope`, as Slack does),
and tests/slack/test_slack_manifest.py holds slack-manifest.yml to exactly the scopes
the adapter's calls need. A method missing here fails both: add it, with its scopes.
"""

# Methods whose scope depends on the channel: one scope per channel type (public, private).
BY_CHANNEL_TYPE = {
    "conversations.info": {"public": "channels:read", "private": "groups:read"},
    "users.conversations": {"public": "channels:read", "private": "groups:read"},
}
METHOD_SCOPES = {
    "auth.test": set(),
    "chat.postMessage": {"chat:write"},
    "chat.postEphemeral": {"chat:write"},
    "chat.getPermalink": set(),
    "conversations.open": {"im:write"},
    "conversations.join": {"channels:join"},
    "files.getUploadURLExternal": {"files:write"},
    "files.completeUploadExternal": {"files:write"},
    "reactions.add": {"reactions:write"},
    "users.info": {"users:read"},
    "views.open": set(),
    "views.update": set(),
    "views.publish": set(),
    **{method: set(scopes.values()) for method, scopes in BY_CHANNEL_TYPE.items()},
}
# AsyncWebClient methods that make more than one call (else `chat_postMessage` is chat.postMessage).
CLIENT_METHODS = {"files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal")}
EVENT_SCOPES = {
    "message.channels": {"channels:history"},
    "message.groups": {"groups:history"},
    "message.im": {"im:history"},
    "message.mpim": {"mpim:history"},
    "app_mention": {"app_mentions:read"},
    "app_home_opened": set(),
    "app_uninstalled": set(),
    "tokens_revoked": set(),
}


def api_methods(client_method: str) -> tuple[str, ...]:
    return CLIENT_METHODS.get(client_method, (client_method.replace("_", "."),))
