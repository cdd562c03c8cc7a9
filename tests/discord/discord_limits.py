"""Discord's documented size limits, checked on a request the bot sent to the stand-in.

`problems(call)` lists every limit a recorded request breaks: message content, embeds
(title, description, fields, footer, author, 6,000 in all), components, modals,
autocomplete choices and thread names. The stand-in fixture checks every request of
every Discord test with it.
"""

from __future__ import annotations

import re

CONTENT = 2000
EMBEDS = 10
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
AUTHOR = 256
EMBEDS_TOTAL = 6000
THREAD_NAME = 100
ACTION_ROWS = 5
ROW_BUTTONS = 5
BUTTON_LABEL = 80
CUSTOM_ID = 100
SELECT_OPTIONS = 25
OPTION_TEXT = 100
SELECT_PLACEHOLDER = 150
MODAL_TITLE = 45
INPUT_LABEL = 45
INPUT_PLACEHOLDER = 100
INPUT_VALUE = 4000
CHOICES = 25
CHOICE_TEXT = 100

MESSAGE_PATHS = re.compile(r"/channels/\d+/messages|/webhooks/\d+/[^/]+(/messages/@original)?")
CALLBACK_PATH = re.compile(r"/interactions/\d+/[^/]+/callback")
THREAD_PATH = re.compile(r"/channels/\d+/messages/\d+/threads")


def problems(call) -> list[str]:
    body = call.body or {}
    where = f"{call.method} {call.path}"
    if call.method in ("POST", "PATCH") and MESSAGE_PATHS.fullmatch(call.path):
        return [f"{where}: {p}" for p in message_problems(body)]
    if call.method == "POST" and THREAD_PATH.fullmatch(call.path):
        return [f"{where}: thread name of {len(body.get('name', ''))}"] if not 1 <= len(body.get("name", "")) <= THREAD_NAME else []
    if call.method == "POST" and CALLBACK_PATH.fullmatch(call.path):
        data = body.get("data") or {}
        found = {4: message_problems, 7: message_problems, 9: modal_problems, 8: choice_problems}.get(body["type"], lambda _: [])(data)
        return [f"{where}: {p}" for p in found]
    return []


def message_problems(message: dict) -> list[str]:
    found = []
    if len(message.get("content") or "") > CONTENT:
        found.append(f"content of {len(message['content'])}")
    embeds = message.get("embeds") or []
    if len(embeds) > EMBEDS:
        found.append(f"{len(embeds)} embeds")
    total = 0
    for embed in embeds:
        fields = embed.get("fields") or []
        sizes = {
            "title": (len(embed.get("title") or ""), EMBED_TITLE),
            "description": (len(embed.get("description") or ""), EMBED_DESCRIPTION),
            "fields": (len(fields), EMBED_FIELDS),
            "footer": (len((embed.get("footer") or {}).get("text") or ""), FOOTER),
            "author": (len((embed.get("author") or {}).get("name") or ""), AUTHOR),
        }
        found += [f"embed {key} of {size} (limit {limit})" for key, (size, limit) in sizes.items() if size > limit]
        found += [f"embed field {k} of {len(f[k])}" for f in fields for k, limit in (("name", FIELD_NAME), ("value", FIELD_VALUE)) if len(f[k]) > limit]
        total += sum(size for key, (size, _) in sizes.items() if key != "fields") + sum(len(f["name"]) + len(f["value"]) for f in fields)
    if total > EMBEDS_TOTAL:
        found.append(f"embeds of {total} characters in all")
    return found + component_problems(message.get("components") or [])


def component_problems(rows: list[dict]) -> list[str]:
    found = [f"{len(rows)} action rows"] if len(rows) > ACTION_ROWS else []
    for row in rows:
        items = row.get("components", [])
        if len(items) > ROW_BUTTONS or (len(items) > 1 and any(c["type"] != 2 for c in items)):
            found.append(f"a row of {len(items)} components")
        for c in items:
            if len(c.get("custom_id", "")) > CUSTOM_ID:
                found.append(f"custom_id of {len(c['custom_id'])}")
            if len(c.get("label") or "") > BUTTON_LABEL:
                found.append(f"button label of {len(c['label'])}")
            if len(c.get("placeholder") or "") > SELECT_PLACEHOLDER:
                found.append(f"select placeholder of {len(c['placeholder'])}")
            options = c.get("options") or []
            if len(options) > SELECT_OPTIONS:
                found.append(f"{len(options)} select options")
            found += [f"option text of {len(o[k])}" for o in options for k in ("label", "value", "description") if len(o.get(k) or "") > OPTION_TEXT]
    return found


def modal_problems(modal: dict) -> list[str]:
    found = [f"modal title of {len(modal['title'])}"] if len(modal.get("title", "")) > MODAL_TITLE else []
    for row in modal.get("components", []):
        for c in row.get("components", []):
            sizes = {"label": INPUT_LABEL, "placeholder": INPUT_PLACEHOLDER, "value": INPUT_VALUE}
            found += [f"text input {k} of {len(c[k])}" for k, limit in sizes.items() if len(c.get(k) or "") > limit]
            if c.get("max_length", 0) > INPUT_VALUE:
                found.append(f"text input max_length {c['max_length']}")
    return found


def choice_problems(data: dict) -> list[str]:
    choices = data.get("choices") or []
    found = [f"{len(choices)} choices"] if len(choices) > CHOICES else []
    return found + [f"choice {k} of {len(str(c[k]))}" for c in choices for k in ("name", "value") if len(str(c[k])) > CHOICE_TEXT]
