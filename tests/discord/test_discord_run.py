"""`studybot run discord`: the token is checked first, and a missing or rejected one ends
the process with exit code 2 and a message that says what to do."""

import asyncio
import os
import signal

import pytest

from bot.__main__ import main
from bot.chat.discord import serve, shard_options
from bot.chat.discord.client import PERMISSIONS, invite_url
from bot.settings import Settings


@pytest.mark.parametrize("token", [None, "   "])
def test_without_a_token_it_exits_2_and_says_where_the_token_goes(token, monkeypatch, tmp_path, capsys):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    if token is not None:
        monkeypatch.setenv("DISCORD_TOKEN", token)
    database = tmp_path / "studybot.db"
    sigpipe = signal.getsignal(signal.SIGPIPE)  # main() sets it for shell pipes; pytest keeps Python's
    try:
        assert main(["run", "discord", "--db", f"sqlite:///{database}"]) == 2
    finally:
        signal.signal(signal.SIGPIPE, sigpipe)
    said = capsys.readouterr().err
    assert "DISCORD_TOKEN is not set" in said and "Developer Portal" in said and ".env" in said
    assert not database.exists()  # nothing was started


async def test_a_token_discord_rejects_exits_2_before_the_database_is_opened(standin, tmp_path, capsys):
    database = tmp_path / "studybot.db"
    settings = Settings(discord_token="not-the-bot-token", database_url=f"sqlite:///{database}")
    # serve() runs its own event loop, as `studybot run discord` does: a thread of its own here.
    code = await asyncio.wait_for(asyncio.to_thread(serve, settings), 60)
    assert code == 2
    assert "Discord rejected DISCORD_TOKEN" in capsys.readouterr().err
    [login] = standin.find("GET", "/users/@me")
    assert login.status == 401
    assert not database.exists() and standin.identified == []  # no database, no gateway session


def test_shard_settings_give_this_process_its_shards_or_exit_2(capsys):
    assert shard_options(Settings(discord_token="t")) == {}  # every shard Discord recommends, here
    assert shard_options(Settings(discord_shard_count=4, discord_shard_ids="3, 2")) == {"shard_count": 4, "shard_ids": [2, 3]}
    assert shard_options(Settings(discord_shard_count=2)) == {"shard_count": 2, "shard_ids": [0, 1]}
    for wrong in ({"discord_shard_ids": "0"}, {"discord_shard_count": 2, "discord_shard_ids": "2"}, {"discord_shard_count": 2, "discord_shard_ids": "a"}):
        assert shard_options(Settings(**wrong)) is None
    assert serve(Settings(discord_token="t", discord_shard_count=2, discord_shard_ids="5")) == 2
    assert "DISCORD_SHARD_IDS" in capsys.readouterr().err


async def test_a_process_given_some_shards_identifies_as_those_alone(running, standin):
    await running.start(**shard_options(Settings(discord_shard_count=2, discord_shard_ids="1")))
    assert [identify["shard"] for identify in standin.identified] == [[1, 2]]


def test_the_invite_link_asks_for_the_scopes_and_exactly_the_permissions_the_bot_uses():
    granted = {name for name, on in PERMISSIONS if on}
    assert granted == {"send_messages", "create_public_threads", "send_messages_in_threads", "embed_links",
                       "attach_files", "add_reactions", "read_message_history"}
    assert invite_url(42) == f"https://discord.com/oauth2/authorize?client_id=42&scope=bot+applications.commands&permissions={PERMISSIONS.value}"


async def test_sigterm_is_what_ends_the_wait():
    from bot.chat.discord import sigterm

    waiting = asyncio.create_task(sigterm())
    await asyncio.sleep(0)  # the handler is in place
    assert not waiting.done()
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(waiting, 10)
