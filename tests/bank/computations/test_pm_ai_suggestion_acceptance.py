"""pm-ai-suggestion-acceptance: every computed number in the model answer, recomputed."""


from printed import question, rounds_to

ANSWER = question("pm-ai-suggestion-acceptance")["answer"]
TEXT = " ".join(ANSWER.split())


# (text in the answer, the number in it as printed, the number computed from the prompt[, rounding unit])
PRINTED = [
    ("50 shown × 28% = **14.0** accepted", "14.0", 50 * 0.28),
    ("35 shown × 34% = **11.9** accepted", "11.9", 35 * 0.34),
    ("(11.9 / 14.0 ≈ 0.85)", "0.85", 11.9 / 14.0),
    ("helps about 15% less often", "15", (1 - (35 * 0.34) / (50 * 0.28)) * 100),
]


def test_every_printed_number_is_the_computed_one():
    for snippet, printed, value, *unit in PRINTED:
        assert snippet in TEXT, snippet
        assert printed in snippet and rounds_to(value, printed, *unit), (snippet, printed, value)
