"""Small datasets for a SQL question, made from its schema and the values it already uses.

The generator pools the values the question's datasets and solution hold, adds the
edges around them (NULL, the boundary instants of the solution's ranges, a second
year, spans over an hour, a day and a month, upper-case and padded text) and draws
small tables from a few of those values at a time, so ties, duplicates and join
matches happen often; or it perturbs one of the question's own datasets (a row
duplicated, a tie, a NULL, a row dropped, a table emptied). It never breaks a
constraint. Running the trusted reference solution on a dataset happens here, in
DuckDB under a time limit; mutants only ever run in the checker's sandbox.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
import threading
import time
from decimal import Decimal

import duckdb
from sqlglot import exp

from bot.grading import Table, compare
from bot.grading.mutants import MutationError, parse

from .models import SqlQuestion
from .rows import Column, Rows, Schema, connect, hashable, insert_sql, violations, within


class _Watchdog:
    """Interrupts a connection at a deadline: one thread for the probe's life, not one per query."""

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con, self.deadline, self.closed = con, None, False
        self.wake = threading.Condition()
        threading.Thread(target=self._watch, name="probe-watchdog", daemon=True).start()

    def arm(self, seconds: float) -> None:
        with self.wake:
            self.deadline = time.monotonic() + seconds
            self.wake.notify()

    def disarm(self) -> None:
        with self.wake:
            self.deadline = None

    def close(self) -> None:
        with self.wake:
            self.closed = True
            self.wake.notify()

    def _watch(self) -> None:
        with self.wake:
            while not self.closed:
                if self.deadline is None:
                    self.wake.wait()
                elif time.monotonic() >= self.deadline:
                    self.con.interrupt()
                    self.deadline = None
                else:
                    self.wake.wait(self.deadline - time.monotonic())


class Probe:
    """Runs the solution and candidate queries on candidate rows, fast: one DuckDB
    connection per question, every candidate inserted and rolled back.

    It only screens: a killer it finds is confirmed in the checker's sandbox before
    anyone sees it. Each query is interrupted after `timeout` seconds.
    """

    def __init__(self, question: SqlQuestion, schema: Schema, timeout: float = 2.0):
        self.question, self.schema, self.timeout = question, schema, timeout
        self.con = connect()
        self.con.execute(question.schema_sql)
        self.watchdog = _Watchdog(self.con)

    def _table(self, sql: str) -> Table:
        cursor = self.con.execute(sql)
        columns = tuple(d[0] for d in cursor.description or ())
        return Table(columns, tuple(map(tuple, cursor.fetchmany(10_001))))

    def rejected(self, rows: Rows, queries: list[str]) -> list[bool] | None:
        """For each query, whether its result differs from the solution's on `rows`
        (an error counts); None when the rows do not load or the solution fails."""
        self.watchdog.arm(self.timeout * (len(queries) + 1))
        self.con.begin()
        try:
            sql = insert_sql(self.schema, rows)
            if sql:
                self.con.execute(sql)
            expected = self._table(self.question.solution)
            if len(expected.rows) > 10_000:
                return None
            verdicts = []
            for query in queries:
                try:
                    actual = self._table(query)
                except (duckdb.Error, RuntimeError):
                    verdicts.append(True)
                    continue
                difference = compare(expected, actual, order_matters=self.question.order_matters,
                                     tolerance=self.question.tolerance, show_rows=False)
                verdicts.append(difference is not None)
            return verdicts
        except (duckdb.Error, RuntimeError):
            return None
        finally:
            self.watchdog.disarm()
            self.con.rollback()

    def runs(self, rows: Rows) -> bool:
        """Whether `rows` load under the schema and the solution runs on them in time."""
        return self.rejected(rows, []) is not None

    def close(self) -> None:
        self.watchdog.close()
        self.con.close()


# ---- value pools ------------------------------------------------------------------------------

def _literals(solution: str) -> list[tuple[str | None, object]]:
    """(column name or None, value) for each literal the solution compares or uses."""
    found = []
    try:
        tree = parse(solution)
    except MutationError:  # an unparseable query just brings no literals
        return found
    for node in tree.find_all(exp.Literal):
        value = _literal_value(node)
        if value is None:
            continue
        comparison = node.find_ancestor(exp.Predicate, exp.Select)
        column = comparison.find(exp.Column) if isinstance(comparison, exp.Predicate) else None
        found.append((column.name if column is not None else None, value))
    return found


def _literal_value(node: exp.Literal):
    text = node.this
    if not node.is_string:
        try:
            return Decimal(text)
        except ArithmeticError:
            return None
    for parser in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            value = parser(text)
        except ValueError:
            continue
        is_timestamp_cast = isinstance(node.parent, exp.Cast) and node.parent.to.is_type(*exp.DataType.TEMPORAL_TYPES) and not node.parent.to.is_type(exp.DataType.Type.DATE)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime) and is_timestamp_cast:
            return dt.datetime(value.year, value.month, value.day)
        return value
    return text


def _shift_month(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def edges(kind: str, value) -> list:
    """Values next to one a dataset or the solution holds: where mistakes show."""
    try:
        if kind == "timestamp" and isinstance(value, dt.datetime):
            midnight = value.replace(hour=0, minute=0, second=0, microsecond=0)
            return [midnight, midnight - dt.timedelta(seconds=1), value + dt.timedelta(seconds=1), value - dt.timedelta(seconds=1),
                    value + dt.timedelta(minutes=59), value + dt.timedelta(minutes=61), value + dt.timedelta(days=1, hours=1),
                    dt.datetime.combine(_shift_month(value.date(), 1), value.time()) + dt.timedelta(hours=3),
                    dt.datetime.combine(_shift_month(value.date(), -12), value.time())]
        if kind == "date" and isinstance(value, dt.date):
            last = value.replace(day=calendar.monthrange(value.year, value.month)[1])
            return [value + dt.timedelta(days=1), value - dt.timedelta(days=1), last, last + dt.timedelta(days=1),
                    _shift_month(value, 1), _shift_month(value, -12), _shift_month(value, -121)]
        if kind in ("int", "number") and isinstance(value, (int, Decimal)):
            return [value + 1, value - 1, 0] if kind == "int" else [value + 1, value - 1, Decimal("0.5")]
        if kind == "text" and isinstance(value, str) and value.strip():
            return [value.upper(), f" {value}", value.lower()]
    except (OverflowError, ValueError):
        pass
    return []


def _fits(kind: str, value) -> bool:
    if value is None:
        return True
    return {
        "int": lambda v: isinstance(v, (int, Decimal)) and not isinstance(v, bool) and v == int(v),
        "number": lambda v: isinstance(v, (int, float, Decimal)) and not isinstance(v, bool),
        "timestamp": lambda v: isinstance(v, dt.datetime),
        "date": lambda v: isinstance(v, dt.date) and not isinstance(v, dt.datetime),
        "bool": lambda v: isinstance(v, bool),
        "text": lambda v: isinstance(v, str),
    }.get(kind, lambda v: True)(value)


def _cast(kind: str, value):
    if kind == "int" and isinstance(value, Decimal):
        return int(value)
    if kind == "date" and isinstance(value, dt.datetime):
        return value.date()
    if kind == "timestamp" and isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


# ---- drawing datasets -------------------------------------------------------------------------

class Generator:
    """Seeded, small, edge-heavy datasets that keep the schema's constraints."""

    def __init__(self, question: SqlQuestion, schema: Schema, datasets: list[Rows], seed: int):
        self.schema, self.datasets, self.rng = schema, datasets, random.Random(seed)
        self.group = self._groups(question.solution)
        self.data: dict[str, list] = {}  # values the datasets hold
        self.near: dict[str, list] = {}  # the solution's literals for the column, and their neighbours
        self.edge: dict[str, list] = {}  # the neighbours of data values
        self.hint: dict[str, list] = {}  # values one mutant brings (see `aim`)
        self._aims: dict[str, dict[str, list]] = {}
        self.literals = literals = _literals(question.solution)
        for table, columns in schema.tables.items():
            for i, column in enumerate(columns):
                group = self.group[column.key]
                seen = self.data.setdefault(group, [])
                for rows in datasets:
                    for row in rows.get(table, []):
                        if row[i] is not None and row[i] not in seen:
                            seen.append(row[i])
        for table, columns in schema.tables.items():
            for column in columns:
                group = self.group[column.key]
                near, edge = self.near.setdefault(group, []), self.edge.setdefault(group, [])
                for name, value in literals:
                    value = _cast(column.kind, value)
                    if _fits(column.kind, value) and (name == column.name or name is None and column.kind in ("date", "timestamp")):
                        near += [value, *edges(column.kind, value)]
                for value in self.data[group][:12]:
                    edge += edges(column.kind, value)
        for pools in (self.near, self.edge):
            for group in pools:
                pools[group] = list(dict.fromkeys(v for v in pools[group] if v is not None))

    def aim(self, mutant_sql: str | None) -> None:
        """Favour the literals a mutant has and the solution lacks (None: favour nothing)."""
        self.hint = {}
        if mutant_sql is None:
            return
        if mutant_sql in self._aims:
            self.hint = self._aims[mutant_sql]
            return
        known = {(n, v) for n, v in self.literals}
        for name, value in _literals(mutant_sql):
            if (name, value) in known:
                continue
            for columns in self.schema.tables.values():
                for column in columns:
                    cast = _cast(column.kind, value)
                    if _fits(column.kind, cast) and (name == column.name or name is None and column.kind in ("date", "timestamp")):
                        self.hint.setdefault(self.group[column.key], []).extend([cast, *edges(column.kind, cast)[:2]])
        self._aims[mutant_sql] = self.hint

    def _groups(self, solution: str) -> dict[str, str]:
        """Columns whose values should meet: one name, or equated in the solution."""
        parent: dict[str, str] = {}

        def find(x: str) -> str:
            while parent.setdefault(x, x) != x:
                x = parent[x]
            return x

        kinds = {c.name: c.kind for cols in self.schema.tables.values() for c in cols}
        try:
            for eq in parse(solution).find_all(exp.EQ):
                a, b = eq.this, eq.expression
                if isinstance(a, exp.Column) and isinstance(b, exp.Column) and a.name in kinds and b.name in kinds and kinds[a.name] == kinds[b.name]:
                    parent[find(f"{a.name}:{kinds[a.name]}")] = find(f"{b.name}:{kinds[b.name]}")
        except MutationError:  # no groups beyond names
            pass
        return {c.key: find(f"{c.name}:{c.kind}") for cols in self.schema.tables.values() for c in cols}

    def _pick(self, column: Column, palette: dict[str, list]) -> object:
        group = self.group[column.key]
        if group not in palette:
            choices = []
            tiers = [(self.hint.get(group, []), 0.5), (self.near[group], 0.35), (self.data[group], 0.35), (self.edge[group], 0.2)]
            for _ in range(self.rng.choice((1, 2, 2, 3, 3, 4))):
                if self.rng.random() < 0.1:
                    choices.append(None)
                    continue
                pools = [pool for pool, _ in tiers if pool] or [[None]]
                weights = [weight for pool, weight in tiers if pool] or [1]
                choices.append(self.rng.choice(self.rng.choices(pools, weights)[0]))
            palette[group] = choices
        return self.rng.choice(palette[group])

    def _value(self, column: Column, palette: dict[str, list]):
        rule = self.schema.rule(column.key)
        for _ in range(6):
            value = _cast(column.kind, self._pick(column, palette))
            if _fits(column.kind, value) and within(value, column, rule):
                return value
        pool = [v for v in self.data[self.group[column.key]] if within(v, column, rule)]
        return self.rng.choice(pool) if pool else None

    def draw(self) -> Rows:
        """A dataset drawn from the pools."""
        return self._keeping_constraints(self._draw)

    def perturb(self) -> Rows:
        """One of the question's datasets with one to three small changes."""
        return self._keeping_constraints(self._perturb)

    def _keeping_constraints(self, make) -> Rows:
        for _ in range(20):
            rows = make()
            if not violations(self.schema, rows):
                return rows
        return next((d for d in self.datasets if not violations(self.schema, d)), {t: [] for t in self.schema.tables})

    def _draw(self) -> Rows:
        palette: dict[str, list] = {}
        rows: Rows = {}
        for table, columns in self.schema.tables.items():
            count = self.rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5))
            if self.schema.rule(table).not_empty:
                count = max(count, 1)
            rows[table] = [tuple(self._value(c, palette) for c in columns) for _ in range(count)]
        return self._repair(rows)

    def _perturb(self) -> Rows:
        base = self.rng.choice([d for d in self.datasets if any(d.values())] or self.datasets)
        rows = {t: list(r) for t, r in base.items()}
        palette: dict[str, list] = {}
        for _ in range(self.rng.choice((1, 1, 2, 3))):
            tables = [t for t in rows if rows[t]]
            if not tables:
                break
            table = self.rng.choice(tables)
            columns = self.schema.tables[table]
            i = self.rng.randrange(len(rows[table]))
            row = list(rows[table][i])
            move = self.rng.choice(("duplicate", "tie", "set", "null", "equalise", "drop", "empty"))
            c = self.rng.randrange(len(columns))
            if move == "duplicate":
                rows[table].append(tuple(row))
            elif move == "tie":
                row[c] = self._value(columns[c], palette)
                rows[table].append(tuple(row))
            elif move in ("set", "null"):
                nullable = not self.schema.rule(columns[c].key).not_null
                row[c] = None if move == "null" and nullable else self._value(columns[c], palette)
                rows[table][i] = tuple(row)
            elif move == "equalise":
                kin = [r for r in rows[table] if r[0] == row[0] and r != rows[table][i]]  # the same entity, usually
                row[c] = self.rng.choice(kin if kin and self.rng.random() < 0.7 else rows[table])[c]
                rows[table][i] = tuple(row)
            elif move == "drop":
                del rows[table][i]
            else:
                rows[table] = []
        return self._repair(rows)

    def _repair(self, rows: Rows) -> Rows:
        """Keep foreign keys and uniqueness: values a parent lacks become one it has, or NULL."""
        for key, rule in self.schema.constraints.items():
            column = self.schema.column(key) if "." in key else None
            if column is None:
                continue
            i = self.schema.tables[column.table].index(column)
            target = self.schema.column(rule.references) if rule.references else None
            if target is not None:
                known = [r[self.schema.tables[target.table].index(target)] for r in rows.get(target.table, [])]
                fixed = []
                for row in rows.get(column.table, []):
                    if row[i] is not None and row[i] not in known:
                        value = self.rng.choice(known) if known else None
                        if value is None and rule.not_null:
                            continue
                        row = row[:i] + (value,) + row[i + 1 :]
                    fixed.append(row)
                rows[column.table] = fixed
            if rule.unique is True:
                seen, kept = set(), []
                for row in rows.get(column.table, []):
                    if row[i] is None or hashable(row[i]) not in seen:
                        seen.add(hashable(row[i]))
                        kept.append(row)
                rows[column.table] = kept
        return rows
