"""Recomputes the numbers in the model answer of mlsd-credit-model-drift-alerting."""


from printed import question, shown_in

ANSWER = question("mlsd-credit-model-drift-alerting")["answer"]


shown = shown_in(ANSWER)


def test_false_pages():
    features, p = 150, 0.01
    assert shown(f"**{features * p:.1f}**")
    assert shown(f"**{1 - (1 - p) ** features:.2f}**")


def test_psi_sampling_noise():
    bins = 10
    assert shown(f"**{(bins - 1) / 20000:.5f}**")
    assert shown(f"**{(bins - 1) / 300:.2f}**")
