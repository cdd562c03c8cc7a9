"""The real console as a process a test talks to line by line on standard input."""

import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path
from queue import Empty, Queue

from support import FIXTURE_BANK

ROOT = Path(__file__).resolve().parents[1]
ACK = re.compile(r"^\[#study thread\] (\w+): \(answer\)")


class ConsoleProcess:
    """One console process, read on a thread so the driver can wait with a timeout."""

    def __init__(self, db_url: str, now: str | None):
        args = [sys.executable, "-m", "bot", "console", "--db", db_url, "--content", str(FIXTURE_BANK), "--workers", "1"]
        if now:
            args += ["--now", now]
        self.process = subprocess.Popen(args, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
        self.lines: Queue[str | None] = Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def send(self, line: str) -> None:
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()

    def until_synced(self, out: list[str], timeout: float = 120) -> bool:
        """Read until the reply to a `/clock` sent after the line: False if the process died."""
        echoed = False
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except Empty:
                raise AssertionError("the console stopped answering:\n" + "\n".join(out[-20:])) from None
            if line is None:
                return False
            out.append(line)
            if line == "› /clock":
                echoed = True
            elif echoed and line.startswith("(clock: "):
                return True

    def kill(self, out: list[str]) -> None:
        """SIGKILL, then keep what it had printed up to its death."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=60)
        while (line := self.lines.get(timeout=60)) is not None:
            out.append(line)

    def close(self) -> None:
        self.process.stdin.close()
        assert self.process.wait(timeout=120) == 0, self.process.stderr.read()


def acknowledged(out: list[str]) -> set[tuple[str, str]]:
    """(member, answer text) for every answer the console confirmed in the thread."""
    acks = set()
    for i, line in enumerate(out):
        match = ACK.match(line)
        if match:
            echo = next(l for l in reversed(out[:i]) if l.startswith("› "))
            acks.add((match.group(1), echo[2:]))
    return acks
