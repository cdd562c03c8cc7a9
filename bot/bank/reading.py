"""One question file into plain data, or the reason it cannot be read.

Bounded before anything recurses or grows: at most `MAX_BYTES` are read, YAML nests at
most `MAX_DEPTH` levels and has no aliases (so the data is never larger than the
text), and only a regular file is read (a FIFO named `x.yaml` would block). Strict:
UTF-8, one document, a mapping at the top, field names that are text and never twice
in one mapping. Every refusal is a `FileProblem(field, message)`; nothing else
escapes `read_mapping`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import yaml

MAX_BYTES = 1_000_000  # the biggest question in the bank is about 10 KB
MAX_DEPTH = 20  # a question nests 4 levels (datasets[0].sql); room for more, never 1,000


class FileProblem(Exception):
    """Why a file is not a question's data: `field` (a dotted path, a line, or `(file)`) and `message`."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def read_mapping(path: Path) -> dict:
    """The top-level mapping of the YAML file at `path`; FileProblem otherwise."""
    return parse_yaml(read_text(path))


def dotted(parts) -> str:
    """A field path as the problems name it: `datasets[1].name`."""
    out = ""
    for part in parts:
        if isinstance(part, int) and not isinstance(part, bool):
            out += f"[{part}]"
        else:
            text = str(part)
            out += "." + (text if len(text) <= 40 else text[:37] + "...")
    return out.lstrip(".")


# ---- bytes to text -------------------------------------------------------------------------


def read_text(path: Path) -> str:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise FileProblem("(file)", os_problem(path, error)) from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise FileProblem("(file)", "is a directory, not a question file")
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem("(file)", "is not a regular file (a device, pipe or socket)")
        if info.st_size > MAX_BYTES:
            raise FileProblem("(file)", _too_big(info.st_size))
        chunks, size = [], 0
        while size <= MAX_BYTES:  # the file may grow while it is read
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as error:
        raise FileProblem("(file)", f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    if len(raw) > MAX_BYTES:
        raise FileProblem("(file)", _too_big(len(raw)))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise FileProblem(f"line {line}", f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8") from None


def _too_big(size: int) -> str:
    return f"is {size} bytes; a question file is at most {MAX_BYTES} bytes (1 MB)"


def os_problem(path: Path, error: OSError, wanted: str = "a question file") -> str:
    """What an OSError on `path` means for whoever edits the bank, and what to do."""
    path = Path(path)
    if error.errno == errno.ELOOP:
        return f"is a symbolic link loop; point it at {wanted} or remove it"
    if error.errno in (errno.ENOENT, errno.ENOTDIR) and path.is_symlink():
        try:
            target = os.readlink(path)
        except OSError:
            target = "?"
        return f"is a broken symbolic link (to {target}); point it at {wanted} or remove it"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return "no such file"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "cannot read: permission denied"
    return f"cannot read: {error.strerror or error}"


# ---- text to data ------------------------------------------------------------------------


def parse_yaml(text: str) -> dict:
    try:
        data = yaml.load(text, Loader=_QuestionLoader)
    except yaml.reader.ReaderError as error:
        line, column = _line_column(text, error.position)
        character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
        raise FileProblem(
            f"line {line}, column {column}",
            f"the character U+{character:04X} is not allowed in YAML; remove it, or escape it in a double-quoted string",
        ) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(file)"
        what = ", ".join(part for part in (error.context, error.problem) if part) or "invalid"
        raise FileProblem(where, f"YAML syntax error: {what}") from None
    except yaml.YAMLError as error:
        raise FileProblem("(file)", f"YAML syntax error: {error}") from None
    if data is None:
        raise FileProblem("(file)", "is empty; a question is a mapping of fields (id: ..., title: ..., ...)")
    if not isinstance(data, dict):
        raise FileProblem("(file)", f"is {_kind(data)}, not a mapping of fields (id: ..., title: ..., ...)")
    return data


def _line_column(text: str, position: int) -> tuple[int, int]:
    before = text[:position]
    return before.count("\n") + 1, position - (before.rfind("\n") + 1) + 1


def _kind(value) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    return f"a {type(value).__name__}"


class _QuestionLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the bounds a question file needs.

    The composer recurses once per nesting level, so depth is counted (and refused)
    there, before the recursion goes deeper; duplicate keys, which YAML forbids but
    PyYAML lets the last one win, are refused there too, where the path is known.
    """

    def __init__(self, stream):
        super().__init__(stream)
        self._path: list = []  # the field path of the node being composed (None for keys)

    def compose_node(self, parent, index):
        if len(self._path) >= MAX_DEPTH:
            mark = self.peek_event().start_mark
            raise FileProblem(
                dotted(p for p in self._path[:2] if p is not None) or "(file)",
                f"nested deeper than {MAX_DEPTH} levels (line {mark.line + 1}); a question needs 4 at most",
            )
        if isinstance(index, yaml.ScalarNode):
            part = index.value
        elif isinstance(index, int) or index is None:
            part = index
        else:
            part = "?"
        self._path.append(part)
        try:
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise FileProblem(
                    self._where(),
                    f"aliases (*{event.anchor}) are not allowed in question files; write the value out (line {event.start_mark.line + 1})",
                )
            return super().compose_node(parent, index)
        finally:
            self._path.pop()

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        seen: dict[tuple, yaml.Node] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                mark = key.start_mark
                raise FileProblem(f"line {mark.line + 1}, column {mark.column + 1}", "a field name must be text, not a list or mapping")
            if key.tag != "tag:yaml.org,2002:str":  # `1:`, `null:`, `yes:` are not field names
                raise FileProblem(self._where(key.value), f'is not a field name; field names are text (write it in quotes: "{key.value}":)')
            first = seen.setdefault((key.tag, key.value), key)
            if first is not key:
                lines = sorted({first.start_mark.line + 1, key.start_mark.line + 1})
                where = f"lines {lines[0]} and {lines[1]}" if len(lines) == 2 else f"line {lines[0]}"
                raise FileProblem(self._where(key.value), f"appears twice ({where}); keep one")
        return node

    def construct_object(self, node, deep=False):
        # Resolved scalars are built with int(), float(), datetime.date(): turn their
        # ValueError (`2026-13-45`, `!!int abc`, 5,000 digits) into a marked YAML error.
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError) as error:
            raise yaml.constructor.ConstructorError(None, None, f"cannot read this value: {error}", node.start_mark) from None

    def _where(self, *more) -> str:
        return dotted([p for p in self._path if p is not None] + list(more)) or "(file)"
