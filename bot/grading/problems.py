"""What an answer can be instead of a query to run: refused, unparsable, or written in a
dialect whose meaning DuckDB cannot keep. Each carries the member-facing message."""


class Refused(Exception):
    """The answer is not one read-only query; it must never run."""


class SyntaxProblem(Exception):
    """The answer could not be parsed in its dialect."""


class Unsupported(SyntaxProblem):
    """The answer uses a construct whose meaning in its dialect DuckDB cannot keep."""
