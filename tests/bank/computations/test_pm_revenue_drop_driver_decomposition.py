"""pm-revenue-drop-driver-decomposition: every number of the decomposition, recomputed."""

from math import log
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/product-metrics/pm-revenue-drop-driver-decomposition.yaml").read_text(encoding="utf-8"))["answer"]
TEXT = " ".join(ANSWER.split())
V0, V1, C0, C1, ORDERS_PER_BUYER, A0, A1 = 1_000_000, 1_020_000, 0.040, 0.038, 1.25, 40.0, 38.0


def test_the_identity_and_the_log_split():
    r0, r1 = V0 * C0 * ORDERS_PER_BUYER * A0, V1 * C1 * ORDERS_PER_BUYER * A1
    logs = {"visitors": log(V1 / V0), "conversion": log(C1 / C0), "aov": log(A1 / A0), "revenue": log(r1 / r0)}
    assert abs(sum(v for k, v in logs.items() if k != "revenue") - logs["revenue"]) < 1e-12  # the split is exact
    printed = [
        (f"${r0 / 1e6:.2f}M", "**$2.00M**"), (f"{V1 * C1 * ORDERS_PER_BUYER:,.0f}", "48,450 orders"),
        (f"${r1 / 1e6:.2f}M", "**$1.84M**"), (f"{r1 / r0 - 1:.1%}".replace("-", "−"), "(−7.9%)"),
        (f"{logs['visitors']:+.3f}", "| +0.020 |"), (f"{logs['conversion']:.3f}".replace("-", "−"), "| −0.051 |"),
        (f"{r1 / r0:.3f}", "| 0.921 |"), (f"{logs['revenue']:.3f}".replace("-", "−"), "| −0.083 |"),
        (f"{logs['conversion'] / logs['revenue']:.0%}", "about **62%**"),
        (f"{-logs['visitors'] / logs['revenue']:.0%}", "about **24%**"),
        (f"${V1 * (C0 - C1) * ORDERS_PER_BUYER * A1 / 1e3:.0f}k", "about $97k"),
        (f"${V1 * C1 * ORDERS_PER_BUYER * (A0 - A1) / 1e3:.0f}k", "about $97k too"),
    ]
    for value, text in printed:
        assert text in TEXT, text
        assert value.lstrip("$").rstrip("Mk%") in text, (value, text)
    assert abs(logs["aov"] - logs["conversion"]) < 1e-12  # "AOV | 0.95 | −0.051"


def test_mix_versus_real_change():
    buyers = V1 * C1
    returning = 600_000 * 0.055
    new_conversion = (buyers - returning) / 420_000
    mix_only = (returning + 420_000 * 0.0175) / V1
    printed = [
        (f"{buyers:,.0f}", "= 38,760"), (f"{returning:,.0f}", "giving 33,000"), (f"{buyers - returning:,.0f}", "supplied 5,760"),
        (f"{new_conversion:.2%}", "≈ **1.37%**"), (f"{420_000 * 0.0175:,.0f}", "(33,000 + 7,350)"),
        (f"{mix_only:.2%}", "≈ **3.96%**"), (f"{(C0 - mix_only) * 100:.2f}", "explains **0.04**"),
        (f"{(mix_only - C1) * 100:.2f}", "the other 0.16"),
    ]
    for value, text in printed:
        assert text in TEXT, text
        assert value in text, (value, text)
    assert (V0 - 400_000) * 0.055 + 400_000 * 0.0175 == V0 * C0  # the segment table adds up to last week's 4.0%
