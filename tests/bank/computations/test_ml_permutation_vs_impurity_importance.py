"""Recomputes the numbers in the model answer of ml-permutation-vs-impurity-importance."""


from printed import question, shown_in

ANSWER = question("ml-permutation-vs-impurity-importance")["answer"]

BASELINE = 0.840
IMPURITY = {"support_calls_30d": 0.25, "customer_id_hash": 0.22, "total_charges": 0.20,
            "tenure_months": 0.18, "monthly_charges": 0.15}
PERMUTED = {"support_calls_30d": 0.781, "customer_id_hash": 0.839, "total_charges": 0.826,
            "tenure_months": 0.829, "monthly_charges": 0.808}


shown = shown_in(ANSWER)


def test_ranking_table():
    drops = {f: BASELINE - auc for f, auc in PERMUTED.items()}
    by_drop = sorted(drops, key=drops.get, reverse=True)
    by_impurity = sorted(IMPURITY, key=IMPURITY.get, reverse=True)
    for rank, feature in enumerate(by_drop, start=1):
        row = f"| {feature} | **{drops[feature]:.3f}** | {rank} | {by_impurity.index(feature) + 1} |"
        assert row in ANSWER, row


def test_correlated_pair():
    single = (BASELINE - PERMUTED["tenure_months"]) + (BASELINE - PERMUTED["total_charges"])
    joint = BASELINE - 0.790
    assert shown(f"{single:.3f}") and shown(f"{joint:.3f}")
    assert round(joint / single) == 2
    assert shown(f"{BASELINE - 0.838:.3f}")
