"""`studybot run discord` as a deploy stops it: a real process, a real SIGTERM.

The process talks to the stand-in on loopback (a `sitecustomize` on its path points
discord.py there, as the fixtures do in this process). A member's answer is still being
checked when the signal comes: the process must finish the check, store the verdict,
send it to the member, and exit 0.
"""

import asyncio
import datetime as dt
import json
import os
import signal
import subprocess
import sys
from zoneinfo import ZoneInfo

from sqlalchemy import create_engine, select
from support import FIXTURE_BANK

from bot.store import Answer

ENDLESS = "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT COUNT(*) FROM r"  # runs into the time limit
POINT_AT_STANDIN = """
import os
url = os.environ.get("STUDYBOT_TEST_DISCORD")
if url:
    import discord, yarl
    discord.http.Route.BASE = url + "/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url.replace("http://", "ws://") + "/gateway")
"""


async def until(condition, timeout: float = 60) -> None:
    for _ in range(int(timeout / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("timed out")


async def test_sigterm_mid_check_stores_and_sends_the_verdict_then_exits_0(standin, people, tmp_path):
    (tmp_path / "sitecustomize.py").write_text(POINT_AT_STANDIN)
    database = f"sqlite:///{tmp_path / 'studybot.db'}"
    env = {
        **os.environ, "PYTHONPATH": str(tmp_path), "STUDYBOT_TEST_DISCORD": standin.url, "DISCORD_TOKEN": standin.token,
        "STUDYBOT_CONTENT_DIR": str(FIXTURE_BANK), "STUDYBOT_CHECKER_WORKERS": "1",
    }
    process = subprocess.Popen([sys.executable, "-m", "bot", "run", "discord", "--db", database], cwd=tmp_path, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        await until(lambda: standin.identified or process.poll() is not None)
        assert process.poll() is None, process.stdout.read()
        await until(lambda: standin.find("PUT", rf"/applications/{standin.application_id}/commands"))  # commands synced: ready
        later = (dt.datetime.now(ZoneInfo("Europe/Berlin")) + dt.timedelta(hours=3)).strftime("%H:%M")  # no post falls due meanwhile
        setup = await standin.command(people.admin, "setup", {"time": later, "timezone": "Europe/Berlin", "days": "daily", "categories": "sql"}, admin=True)
        assert "Study group created" in json.dumps((await standin.reply(setup)))
        posted = await standin.command(people.admin, "post", admin=True)
        await standin.reply(posted)
        await until(lambda: standin.threads)
        [thread_id] = standin.threads

        answer = await standin.post_in_thread(people.ada, thread_id, ENDLESS)
        # Stored, and in the slow lane: the "taking longer" notice goes out mid-check (the
        # thread's reaction only comes with the verdict, when little is left in flight).
        await until(lambda: "taking longer than most" in json.dumps(standin.dms(people.ada)))
        assert not standin.find("PUT", rf".*/messages/{answer['id']}/reactions/.+/@me")  # no verdict yet
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 60)
        output = process.stdout.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert code == 0, output
    assert "finishing 1 interactions and messages first" in output

    engine = create_engine(database)
    with engine.connect() as connection:
        [verdict] = connection.execute(select(Answer.verdict)).scalars().all()
    engine.dispose()
    assert verdict == "timeout"
    told = json.dumps(standin.dms(people.ada))
    assert "Timed out after" in told, told
