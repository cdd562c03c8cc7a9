"""Recomputes the numbers in the model answer of mlsd-code-assistant-offline-online-eval."""


from printed import question, shown_in

ANSWER = question("mlsd-code-assistant-offline-online-eval")["answer"]


shown = shown_in(ANSWER)


def retained(shown_per_day, acceptance, characters, kept):
    return shown_per_day * acceptance * characters * kept


def test_retained_characters():
    a = retained(400, 0.25, 120, 0.70)
    b = retained(500, 0.32, 45, 0.85)
    assert shown(f"**{a:,.0f}**") and shown(f"**{b:,.0f}**")
    assert shown(f"{1 - b / a:.0%}")
