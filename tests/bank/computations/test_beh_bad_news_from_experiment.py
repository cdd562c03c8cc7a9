"""beh-bad-news-from-experiment: every computed number in the model answer, recomputed."""

from math import sqrt

from printed import question, rounds_to

ANSWER = question("beh-bad-news-from-experiment")["answer"]
TEXT = " ".join(ANSWER.split())


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
N = 180_000
SE = sqrt(0.314 * 0.686 / N + 0.308 * 0.692 / N)
PRINTED = [
    ("day-28 retention −0.6 points (from 31.4% to 30.8%)", "0.6", (0.314 - 0.308) * 100),
    ("95% CI [−0.9, −0.3]", "0.9", (0.006 + 1.96 * SE) * 100),
    ("95% CI [−0.9, −0.3]", "0.3", (0.006 - 1.96 * SE) * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)


def test_the_stated_relations():
    # "SRM was fine (50.02/49.98)": a chi-square of 0.06 on 1 degree of freedom
    treated = 2 * N * 0.5002
    assert 2 * (treated - N) ** 2 / N < 3.84 and "SRM was fine (50.02/49.98)" in TEXT
