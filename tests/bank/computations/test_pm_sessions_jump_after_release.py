"""pm-sessions-jump-after-release: every computed number in the model answer, recomputed."""


from printed import question, rounds_to

ANSWER = question("pm-sessions-jump-after-release")["answer"]
TEXT = " ".join(ANSWER.split())


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("3.0 × 8.0 = 24.0 minutes", "24.0", 3.0 * 8.0),
    ("3.6 × 6.7 ≈ 24.1 minutes", "24.1", 3.6 * 6.7),
    ("Not to report +20% engagement", "20", (3.6 / 3.0 - 1) * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
