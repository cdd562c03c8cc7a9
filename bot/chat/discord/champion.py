"""The opt-in champion role: the week's winner holds it, from one digest to the next.

The bot remembers whom it gave the role (`champion_holder`) and takes it from them when
someone else wins: listing a role's members would need the privileged Server Members
intent. A week nobody scored moves nothing. The digest is posted first and whatever
happens here never sends it again: a 403 (Manage Roles taken away, the role moved
above the bot's) tells the owners once, anything else is logged.
"""

from __future__ import annotations

import asyncio
import logging

import aiohttp
import discord

from bot.study import Outbound

log = logging.getLogger(__name__)

REASON = "studybot: this week's champion"
REFUSED = ("Discord refused to move the group's champion role to this week's winner ({reason}). The digest was posted; "
           "give the bot Manage Roles and drag its role above the champion role (Server Settings → Roles).")


async def crown(client: discord.Client, post: Outbound) -> None:
    """Give the group's champion role to `post.winner_id` and take it from the last champion."""
    study = client.study
    try:
        options = await study.adapter_options("discord", post.channel_id, post.workspace_id)
        role, holder = options.get("champion_role"), options.get("champion_holder")
        if not role or not post.winner_id:
            return  # no role named, or nobody scored: the role stays where it is
        guild = int(post.workspace_id)
        await client.http.add_role(guild, int(post.winner_id), int(role), reason=REASON)
        if holder and holder != post.winner_id:
            try:
                await client.http.remove_role(guild, int(holder), int(role), reason=REASON)
            except discord.NotFound:
                pass  # the last champion left the server
        await study.keep_adapter_options(post.group_id, {"champion_holder": post.winner_id})
    except discord.Forbidden as error:
        log.warning("could not move the champion role in guild %s: %s", post.workspace_id, error)
        await client.deliver(await study.tell_owners_once(post.group_id, "champion_refused", REFUSED.format(reason=f"{error.status} {error.text}")))
    except (discord.HTTPException, aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
        log.warning("could not move the champion role in guild %s: %s", post.workspace_id, error)
    except Exception:  # the database, say: the digest is out, so it must not fail now
        log.exception("could not move the champion role in guild %s", post.workspace_id)
