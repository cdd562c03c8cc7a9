"""Recomputes the numbers in the model answer of ml-prompt-injection-email-assistant."""


from printed import question, shown_in

ANSWER = question("ml-prompt-injection-email-assistant")["answer"]


shown = shown_in(ANSWER)


def test_daily_chance_of_a_successful_injection():
    per_attempt, attempts = 0.005, 1000
    assert shown(f"{1 - (1 - per_attempt) ** attempts:.3f}")
    assert shown(f"{per_attempt * attempts:.0f}")
