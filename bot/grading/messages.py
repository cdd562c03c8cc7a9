"""What a member reads when a query cannot run, in the member's own terms and dialect.

sqlglot (the translator) and DuckDB (the engine) describe problems with their own class
and function names: "Required keyword: 'this' missing for <class '…Where'>", or
`date_diff(TIMESTAMP, TIMESTAMP, DATE)` for what the member wrote as DATEDIFF. A member
wrote neither, so every message is said here again: where (line, column, the token near
it), what is wrong, and each function as the member spelled it.
"""

from __future__ import annotations

import re

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, SqlglotError, TokenError

DIALECT_NAMES = {
    "duckdb": "DuckDB", "postgres": "PostgreSQL", "mysql": "MySQL", "bigquery": "BigQuery",
    "snowflake": "Snowflake", "sqlite": "SQLite", "tsql": "T-SQL", "oracle": "Oracle",
    "redshift": "Redshift", "trino": "Trino", "spark": "Spark SQL",
}

_INTERNAL_PATH = re.compile(r"(?<![\w)\]])(/[\w.+-]+){2,}")


def clean_message(message: str) -> str:
    """A database message fit for a member: no internal paths, no multi-page hints."""
    message = _INTERNAL_PATH.sub("<path>", message)
    message = message.split("\n\nPossible solutions:")[0]
    lines = [line.rstrip() for line in message.strip().splitlines()]
    return "\n".join(lines[:6])[:600]


# ---- the translator's parse errors -----------------------------------------------------

# What a clause sqlglot found empty needs, by the name of sqlglot's node for it.
_MISSING = {
    "Where": "WHERE needs a condition",
    "Having": "HAVING needs a condition",
    "Qualify": "QUALIFY needs a condition",
    "Order": "ORDER BY needs at least one expression",
    "Group": "GROUP BY needs at least one expression",
    "Limit": "LIMIT needs a number",
    "Offset": "OFFSET needs a number",
    "Fetch": "FETCH needs a number of rows",
    "Join": "JOIN needs a table",
    "From": "FROM needs a table",
    "Alias": "AS needs a name",
    "Cast": "CAST needs a value and a type: CAST(value AS type)",
    "In": "IN needs a list or a subquery",
    "Between": "BETWEEN needs two bounds: BETWEEN low AND high",
    "Case": "CASE needs at least one WHEN … THEN …",
}
_REQUIRED = re.compile(r"Required keyword: '\w+' missing for <class '[\w.]*?(\w+)'>")
_TOKEN = re.compile(r"<Token token_type: [\w.]+, text: (.*?), line: \d+.*?>")
_INTERNALS = re.compile(r"<class '[^']*'>|<Token[^>]*>|\bsqlglot\b[\w.]*", re.IGNORECASE)


def syntax_error(error: SqlglotError, sql: str, dialect: str) -> str:
    """A parse error from the translator, said with the member's position and token."""
    if isinstance(error, TokenError):
        return (f"{dialect} syntax error: a quote ('…' or \"…\") or a comment (/* … */) "
                "is opened and never closed.")
    details = error.errors[0] if isinstance(error, ParseError) and error.errors else {}
    description = str(details.get("description") or error)
    token = str(details.get("highlight") or "").strip()
    where = ""
    if details.get("line"):
        line, col = int(details["line"]), int(details.get("col") or 0)
        column = max(1, col - len(token) + 1) if token else col  # sqlglot gives the token's end
        where = f" at line {line}, column {column}" + (f", near `{_short(token)}`" if token else "")
    return f"{dialect} syntax error{where}: {_plain(description, token)}."


def _plain(description: str, token: str) -> str:
    required = _REQUIRED.search(description)
    if required:
        return _MISSING.get(required.group(1), f"something is missing after `{_short(token)}`" if token else "something is missing")
    if description.startswith("Invalid expression / Unexpected token"):
        return "this does not read as SQL here (a missing comma, operator or keyword?)"
    if description == "Expecting )":
        return "a closing parenthesis `)` is missing"
    if description == "Expecting (":
        return "an opening parenthesis `(` is expected here"
    description = re.sub(r"but got <Token token_type: TokenType\.SENTINEL[^>]*>", "but the query ends", description)
    description = _TOKEN.sub(lambda m: f"`{_short(m.group(1))}`", description)
    description = _INTERNALS.sub("", description).strip().rstrip(".")
    return description[0].lower() + description[1:] if description else "the query does not parse"


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---- what the translation cannot keep -----------------------------------------------------

_UNSUPPORTED_EXPRESSION = re.compile(r"expression '(\w+)'")
_UNSUPPORTED_ARGUMENT = re.compile(r"Argument '(\w+)' is not supported")


def unsupported(error: SqlglotError, dialect: str) -> str:
    """sqlglot's "not supported when targeting DuckDB", naming the member's function."""
    text = str(error)
    name = DIALECT_NAMES.get(dialect, dialect)
    if "(+)" in text:
        return f"{name}'s (+) outer join cannot be checked here; write LEFT JOIN … ON … instead."
    if "'ToChar'" in text and dialect == "oracle":
        return (f"{name}'s TO_CHAR with this format cannot be checked here; date formats made "
                "of YYYY, YY, MM, DD, DDD, HH24, MI and SS can, or use EXTRACT.")
    named = _UNSUPPORTED_EXPRESSION.search(text)
    if not named:  # sqlglot's own words would show the translation: say less
        return f"This {name} query uses something that cannot be translated to DuckDB with its {name} meaning; write it another way."
    construct = _sql_name(named.group(1))
    argument = _UNSUPPORTED_ARGUMENT.search(text)
    what = f"{construct} with a {argument.group(1)} argument" if argument else construct
    return f"{name}'s {what} cannot be checked here with its {name} meaning; write it another way."


def untranslatable(dialect: str) -> str:
    """The translator failed on its own (a sqlglot bug): its words would mean nothing here."""
    return (f"cannot translate this {dialect} query to DuckDB; write it another way, or "
            "send it as DuckDB SQL (a ```duckdb fence).")


def _sql_name(class_name: str) -> str:
    """ToChar -> TO_CHAR: the SQL name of a sqlglot node class, as members write it."""
    node = getattr(exp, class_name, None)
    if isinstance(node, type) and issubclass(node, exp.Func):
        return node.sql_names()[0]
    return re.sub(r"(?<!^)(?=[A-Z])", "_", class_name).upper()


# ---- DuckDB's errors, about a query that may be a translation -------------------------------

_SIGNATURE = re.compile(r"(['\"]?)([A-Za-z_][\w]*)\(([^()'\"]*)\)\1")
_NO_SUCH_FUNCTION = re.compile(r"(Scalar|Aggregate|Table) Function with name (\w+) does not exist!?")


def duckdb_error(message: str, sql: str, dialect: str) -> str:
    """DuckDB's message about running `sql` (translated from `dialect`), in the member's terms.

    A DuckDB answer is its own SQL, so DuckDB's message stands. A translated answer's
    message speaks of the translation: keep its first line, drop DuckDB's suggestions and
    the quoted translated text, and name each function as the member wrote it.
    """
    message = clean_message(message)
    if dialect == "duckdb":
        return message
    first = message.split("\n", 1)[0].strip()
    parser = _PARSER_ERROR.match(first)
    if parser:
        return _parser_error(parser.group(1), sql, dialect)
    if first.startswith("Parser Error: "):
        detail = first[len("Parser Error: "):].rstrip(".")
        return f"{dialect} syntax error: {detail[:1].lower()}{detail[1:]}."
    if "Division by zero" in first:  # DuckDB quotes the translated `//` and its own TRY()
        return "Division by zero: a divisor is 0 in some row; NULLIF(divisor, 0) makes the result NULL instead."
    first = first.split(" Did you mean", 1)[0]
    first = first.split(" You might need to add explicit type casts.", 1)[0]
    first = re.sub(r"\s*Either add it to the GROUP BY list.*$", "", first)
    spelled = _functions_as_written(sql, dialect)
    written = {name.lower() for name in re.findall(r"[A-Za-z_]\w*", sql)}

    def as_written(name: str) -> str | None:
        if name.lower() in written:
            return name.upper()
        return spelled.get(name.lower())

    def signature(match: re.Match) -> str:
        name = as_written(match.group(2))
        if name is None:
            return "a function"
        return f"{name}(…)" if match.group(3).strip() else f"{name}()"

    missing = _NO_SUCH_FUNCTION.search(first)
    if missing:
        name = as_written(missing.group(2)) or "a function"
        return (f"{name} does not exist in DuckDB, which checks answers, and the translation "
                f"from {DIALECT_NAMES.get(dialect, dialect)} has no equivalent; write it with other functions.")
    first = _SIGNATURE.sub(signature, first)
    first = first.replace("STRING_LITERAL", "a text literal").replace("INTEGER_LITERAL", "an integer literal")
    for ours, theirs in spelled.items():  # a bare name too: "… in COALESCE" for their NVL
        if ours not in written:
            first = re.sub(rf"(?<![\w.]){re.escape(ours)}(?![\w(])", theirs, first, flags=re.IGNORECASE)
    if "No function matches the given name and argument types" in first:
        call = re.search(r"types (.*?)\.?$", first)
        name = call.group(1) if call else "a function"
        return (f"{name} cannot take these arguments: check each argument's type "
                f"(CAST(… AS …) converts one).")
    return first


_PARSER_ERROR = re.compile(r"Parser Error: syntax error (at end of input|at or near \"(.*)\")")


def _parser_error(where: str, sql: str, dialect: str) -> str:
    """DuckDB could not parse the translation: say where in the member's own text."""
    if where == "at end of input":
        return f"{dialect} syntax error: the query ends too early (is something missing at the end?)."
    token = where[len('at or near "'):-1]
    found = [m.start() for m in re.finditer(rf"(?<!\w){re.escape(token)}(?!\w)", sql, re.IGNORECASE)]
    place = ""
    if len(found) == 1:
        before = sql[: found[0]]
        place = f" at line {before.count(chr(10)) + 1}, column {found[0] - before.rfind(chr(10))}"
    return f"{dialect} syntax error{place}, near `{_short(token)}`: this does not read as SQL here."


def _functions_as_written(sql: str, dialect: str) -> dict[str, str]:
    """DuckDB function name -> the member's own name for it, for each function they called."""
    try:
        trees = [t for t in sqlglot.parse(sql, read=dialect) if t is not None]
    except Exception:  # only wording depends on it; sqlglot fails in more ways than SqlglotError
        return {}
    names: dict[str, str] = {}
    lowered = sql.lower()
    for tree in trees:
        for func in tree.find_all(exp.Func):
            try:
                theirs = re.match(r"\s*([A-Za-z_]\w*)\s*\(", func.sql(dialect=dialect))
                ours = re.match(r"\s*([A-Za-z_]\w*)\s*\(", func.sql(dialect="duckdb"))
            except Exception:
                continue
            if theirs and ours and re.search(rf"\b{re.escape(theirs.group(1).lower())}\s*\(", lowered):
                names.setdefault(ours.group(1).lower(), theirs.group(1).upper())
    return names
