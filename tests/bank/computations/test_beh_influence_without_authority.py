"""beh-influence-without-authority: every computed number in the model answer, recomputed."""


from printed import question, rounds_to

ANSWER = question("beh-influence-without-authority")["answer"]
TEXT = " ".join(ANSWER.split())


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("teams showed numbers 9 points apart for the same cohort", "9", 40 - 31),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)


def test_the_stated_relations():
    assert "showed the spread (from 31% to 40%)" in TEXT
