"""pm-ctr-position-bias: every computed number in the model answer, recomputed."""


from printed import question, rounds_to

ANSWER = question("pm-ctr-position-bias")["answer"]
TEXT = " ".join(ANSWER.split())


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("A: 8% / 8% = **1.0×**", "1.0", 8 / 8),
    ("B: 3% / 2% = **1.5×**", "1.5", 3 / 2),
    ("(2% / 8%), B's CTR if moved to slot 1 would be about 3% / 0.25 = 12%", "0.25", 2 / 8),
    ("3% / 0.25 = 12%", "12", 3 / (2 / 8)),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
