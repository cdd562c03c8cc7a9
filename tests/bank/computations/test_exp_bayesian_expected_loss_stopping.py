"""Recomputes the numbers in exp-bayesian-expected-loss-stopping."""

from pathlib import Path

import yaml
from scipy import integrate, special, stats

FILE = Path(__file__).resolve().parents[3] / "content/questions/experimentation/exp-bayesian-expected-loss-stopping.yaml"
ANSWER = " ".join(yaml.safe_load(FILE.read_text(encoding="utf-8"))["answer"].split())  # one space between words
EPSILON = 0.0001


def posterior(conversions, visitors):
    return stats.beta(1 + conversions, 1 + visitors - conversions)


def expected_shortfall(x, y):
    """E[max(X − Y, 0)] for independent Beta X and Y, via E[(X − y)+] in closed form."""
    a, b = x.args
    mean_x = a / (a + b)

    def given_y(v):
        return y.pdf(v) * (mean_x * special.betaincc(a + 1, b, v) - v * special.betaincc(a, b, v))

    return integrate.quad(given_y, y.ppf(1e-10), y.ppf(1 - 1e-10), limit=200)[0]


def p_greater(x, y):
    return integrate.quad(lambda v: x.pdf(v) * y.cdf(v), x.ppf(1e-10), x.ppf(1 - 1e-10), limit=200)[0]


def look(n, a_conv, b_conv):
    a, b = posterior(a_conv, n), posterior(b_conv, n)
    return p_greater(b, a), expected_shortfall(b, a), expected_shortfall(a, b), b.mean() - a.mean()


def test_each_look_and_its_decision():
    for n, a_conv, b_conv, decision in [(10_000, 400, 430, "continue"), (20_000, 800, 860, "stop, ship B")]:
        p, loss_a, loss_b, _ = look(n, a_conv, b_conv)
        assert f"| {p:.1%} | {loss_a * 100:.3f} pp | {loss_b * 100:.3f} pp | {decision}" in ANSWER
        assert (loss_b < EPSILON) == (decision != "continue")


def test_the_loss_identity():
    _, loss_a, loss_b, diff = look(10_000, 400, 430)
    assert abs((loss_a - loss_b) - diff) < 1e-9
    assert f"{loss_a * 100:.3f} − {loss_b * 100:.3f} = {diff * 100:.3f} pp" in ANSWER


def test_epsilon_in_money():
    conversions = EPSILON * 2_000_000
    assert f"= {conversions:.0f} conversions a year, × $30 =" in ANSWER
    assert f"**${conversions * 30:,.0f} a year**" in ANSWER
