"""beh-decision-incomplete-data: every computed number in the model answer, recomputed."""

from math import sqrt

from printed import question, rounds_to

ANSWER = question("beh-decision-incomplete-data")["answer"]
TEXT = " ".join(ANSWER.split())


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("Reviewers judged 38% likely fraud, ±7 points at 95%", "7", 1.96 * sqrt(0.38 * 0.62 / 200) * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
