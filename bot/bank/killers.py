"""For a surviving mutant, a dataset that tells it apart from the solution, made minimal.

Candidates come from `bot.bank.generate`, seeded by the question so a search repeats
itself: small datasets drawn from the question's values and their edges, or its own
datasets perturbed, half of them aimed at one survivor's values in turn. Each is
screened in one DuckDB connection (`Probe`): a killer is a candidate on which the
mutant's result differs from the solution's while sqlglot's rendering of the solution
still agrees with it (so the difference is the mutation's). The smallest killer is
shrunk (tables emptied, halves and single rows dropped, values made equal to their
neighbours') while it still kills, and then confirmed in the checker's sandbox, next
to the question's own datasets, exactly as an answer is graded. It is printed as a
ready-to-paste hidden dataset with a suggested trap name.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from bot.grading import Checker, Dataset, SqlTask, TaskError, Verdict
from bot.grading.mutants import parse

from .generate import Generator, Probe
from .models import SqlQuestion
from .mutation import Analysis, Outcome, rejecting
from .rows import Rows, Schema, insert_sql, read_tables, violations

CANDIDATES = 300  # per question and search, at most
SHRINK_STEPS = 60


@dataclass(frozen=True)
class Killer:
    name: str
    rows: Rows
    schema: Schema

    @property
    def sql(self) -> str:
        return insert_sql(self.schema, self.rows)

    @property
    def yaml(self) -> str:
        body = insert_sql(self.schema, self.rows, indent="    ")
        return f"- name: {self.name}\n  sql: |\n{body}\n" if body else f'- name: {self.name}\n  sql: ""\n'


def _size(rows: Rows) -> int:
    return sum(len(r) for r in rows.values())


class Search:
    """The killer search for one question: `find(survivors)` maps each to a Killer or None."""

    def __init__(self, question: SqlQuestion, checker: Checker, candidates: int = CANDIDATES):
        self.question, self.checker, self.budget = question, checker, candidates
        self.schema, datasets = read_tables(question)
        seed = int(hashlib.sha256(f"{question.id}\x00{question.solution}".encode()).hexdigest()[:12], 16)
        self.generator = Generator(question, self.schema, datasets, seed)
        self.identity = parse(question.solution).sql(dialect="duckdb")
        self.taken = {d.name for d in question.datasets}

    def find(self, survivors: list[Outcome], shrink: bool = True) -> dict[str, Killer | None]:
        probe = Probe(self.question, self.schema)
        try:
            found = self._screen(probe, survivors)
            if shrink:
                found = {d: self._shrink(probe, rows, self._sql(survivors, d)) for d, rows in found.items()}
        finally:
            probe.close()
        confirmed = self._confirm({d: rows for d, rows in found.items()}, survivors)
        by_description = {o.description: o for o in survivors}
        return {
            o.description: Killer(self._name(by_description[o.description], confirmed[o.description]), confirmed[o.description], self.schema)
            if o.description in confirmed else None
            for o in survivors
        }

    @staticmethod
    def _sql(survivors: list[Outcome], description: str) -> str:
        return next(o.sql for o in survivors if o.description == description)

    # ---- screening --------------------------------------------------------------------------

    def _kills(self, probe: Probe, rows: Rows, queries: list[str]) -> list[bool]:
        """Which queries `rows` reject (none when the rows are invalid or the identity differs)."""
        if violations(self.schema, rows):
            return [False] * len(queries)
        verdicts = probe.rejected(rows, queries)
        if verdicts is None or any(verdicts) and probe.rejected(rows, [self.identity]) != [False]:
            return [False] * len(queries)
        return verdicts

    def _screen(self, probe: Probe, survivors: list[Outcome]) -> dict[str, Rows]:
        found: dict[str, Rows] = {}
        seen: set[str] = set()
        remaining = list(survivors)
        for attempt in range(self.budget * 3):
            if not remaining or len(seen) >= self.budget:
                break
            aimed = attempt % 4 < 2
            self.generator.aim(remaining[attempt // 2 % len(remaining)].sql if aimed else None)
            rows = self.generator.perturb() if attempt % 2 else self.generator.draw()
            text = insert_sql(self.schema, rows)
            if text in seen:
                continue
            seen.add(text)
            for outcome, killed in zip(remaining, self._kills(probe, rows, [o.sql for o in remaining])):
                if killed:
                    found[outcome.description] = rows
            remaining = [o for o in remaining if o.description not in found]
        return found

    # ---- shrinking --------------------------------------------------------------------------

    def _shrink(self, probe: Probe, rows: Rows, mutant_sql: str) -> Rows:
        for _ in range(SHRINK_STEPS):
            better = next((v for v in self._smaller(rows) if self._kills(probe, v, [mutant_sql])[0]), None)
            if better is None:
                better = next((v for v in self._simpler(rows) if self._kills(probe, v, [mutant_sql])[0]), None)
            if better is None:
                return rows
            rows = better
        return rows

    def _smaller(self, rows: Rows) -> list[Rows]:
        """Emptied tables, then halves dropped, then single rows dropped: biggest cuts first."""
        variants = [{**rows, table: []} for table, table_rows in rows.items() if table_rows]
        for table, table_rows in rows.items():
            if len(table_rows) > 3:
                half = len(table_rows) // 2
                variants += [{**rows, table: table_rows[half:]}, {**rows, table: table_rows[:half]}]
        for table, table_rows in rows.items():
            if len(table_rows) > 1:
                variants += [{**rows, table: table_rows[:i] + table_rows[i + 1 :]} for i in range(len(table_rows))]
        return variants

    def _simpler(self, rows: Rows) -> list[Rows]:
        """One value made equal to the value above it in its column: fewer values to read."""
        variants = []
        for table, table_rows in rows.items():
            for i in range(1, len(table_rows)):
                for c, value in enumerate(table_rows[i]):
                    above = table_rows[i - 1][c]
                    if value != above and value is not None and above is not None:
                        row = table_rows[i][:c] + (above,) + table_rows[i][c + 1 :]
                        variants.append({**rows, table: table_rows[:i] + [row] + table_rows[i + 1 :]})
        return variants

    # ---- confirming -------------------------------------------------------------------------

    def _confirm(self, found: dict[str, Rows], survivors: list[Outcome]) -> dict[str, Rows]:
        """The killers the sandbox agrees with, graded next to the question's own datasets."""
        if not found:
            return {}
        names = {description: f"killer-{i}" for i, description in enumerate(found)}
        task = SqlTask(
            schema=self.question.schema_sql,
            datasets=tuple(Dataset(d.name, d.sql, d.visible) for d in self.question.datasets)
            + tuple(Dataset(names[d], insert_sql(self.schema, rows)) for d, rows in found.items()),
            solution=self.question.solution,
            order_matters=self.question.order_matters,
            tolerance=self.question.tolerance,
        )
        sqls = {o.description: o.sql for o in survivors}
        futures = {d: self.checker.submit_check(task, sqls[d]) for d in found}
        try:
            if self.checker.check_sync(task, self.identity).verdict is not Verdict.CORRECT:
                return {}
            results = {d: f.result() for d, f in futures.items()}
        except TaskError:
            return {}
        sample = self.question.sample.name
        return {d: found[d] for d, result in results.items() if names[d] in rejecting(result, sample)}

    # ---- naming -----------------------------------------------------------------------------

    def _name(self, outcome: Outcome, rows: Rows) -> str:
        """A trap name from what the edit touched and what the killer holds."""
        focus = outcome.focus.replace("_", "-") or "value"
        empty = [t.replace("_", "-") for t in self.schema.tables if not rows.get(t)]
        focus_null = any(
            row[i] is None
            for table, columns in self.schema.tables.items()
            for i, column in enumerate(columns) if column.name == outcome.focus
            for row in rows.get(table, [])
        )
        text, operator = outcome.description, outcome.operator
        if operator in ("comparison", "ranking", "order") and "BETWEEN" not in text or "tie-break" in text:
            name = f"tie-on-{focus}"
        elif operator == "constant" or "BETWEEN" in text:
            name = f"{focus}-on-the-boundary"
        elif focus_null:
            name = f"null-{focus}"
        elif empty and operator in ("join", "null", "aggregate"):
            name = f"empty-{empty[0]}"
        else:
            name = {
                "join": f"unmatched-{focus}",
                "aggregate": f"repeated-{focus}" if "DISTINCT" in text else f"several-{focus}-values",
                "distinct": "duplicate-rows",
                "group": f"shared-{focus}",
                "date": f"{focus}-span-over-an-hour" if "EPOCH" in text or "MINUTE" in text else f"{focus}-in-two-years",
                "cast": "fractional-ratio",
                "window": f"window-edge-on-{focus}",
                "null": f"null-{focus}",
            }.get(operator, f"{operator}-{focus}")
        name = "-".join(part for part in name.lower().split("-") if part)[:60]
        candidate, n = name, 2
        while candidate in self.taken:
            candidate, n = f"{name}-{n}", n + 1
        self.taken.add(candidate)
        return candidate


def suggest_killers(question: SqlQuestion, analysis: Analysis, checker: Checker, descriptions: list[str]) -> Analysis:
    """Search killers for the named survivors not searched yet; record each (YAML or None)."""
    wanted = [o for o in analysis.survivors if o.description in descriptions and o.description not in analysis.killers]
    if wanted:
        for description, killer in Search(question, checker).find(wanted).items():
            analysis.killers[description] = killer.yaml if killer else None
    return analysis
