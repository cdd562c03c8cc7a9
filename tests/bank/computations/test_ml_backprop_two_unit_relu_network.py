"""Recomputes the numbers in the model answer of ml-backprop-two-unit-relu-network."""

import math
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-backprop-two-unit-relu-network.yaml").read_text(encoding="utf-8"))["answer"]

X = (1.0, 2.0)
Y = 1.0
W1 = ((0.5, 0.25), (-1.0, 0.25))
B1 = (0.0, 0.0)
W2 = (2.0, -1.0)
B2 = -1.0


def shown(number: float, places: int = 3) -> bool:
    """The answer prints this number, rounded, as a whole token (with a real minus sign)."""
    text = f"{number:.{places}f}".replace("-", "−")
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def forward(w1, b1, w2, b2):
    u = [w1[j][0] * X[0] + w1[j][1] * X[1] + b1[j] for j in range(2)]
    h = [max(0.0, v) for v in u]
    z = w2[0] * h[0] + w2[1] * h[1] + b2
    p = 1 / (1 + math.exp(-z))
    return u, h, z, p, -(Y * math.log(p) + (1 - Y) * math.log(1 - p))


def gradients():
    u, h, z, p, _ = forward(W1, B1, W2, B2)
    dz = p - Y
    dh = [dz * W2[0], dz * W2[1]]
    du = [dh[j] * (u[j] > 0) for j in range(2)]
    return {"w2": [dz * h[0], dz * h[1]], "b2": dz, "h": dh, "u": du,
            "W1": [[du[j] * X[i] for i in range(2)] for j in range(2)], "b1": du}


def test_forward_pass():
    u, h, z, p, loss = forward(W1, B1, W2, B2)
    assert u == [1.0, -0.5] and h == [1.0, 0.0] and z == 1.0
    assert shown(p) and shown(loss)


def test_backward_pass_matches_finite_differences():
    g = gradients()
    assert shown(g["b2"]) and shown(g["w2"][0]) and shown(g["h"][0]) and shown(g["h"][1])
    assert shown(g["W1"][0][0]) and shown(g["W1"][0][1]) and g["W1"][1] == [0.0, 0.0]
    eps = 1e-5
    plus = ((W1[0][0], W1[0][1] + eps), W1[1])
    minus = ((W1[0][0], W1[0][1] - eps), W1[1])
    numeric = (forward(plus, B1, W2, B2)[4] - forward(minus, B1, W2, B2)[4]) / (2 * eps)
    assert abs(numeric - g["W1"][0][1]) < 1e-8
    assert shown(numeric, 4)


def test_one_step_lowers_the_loss():
    g, eta = gradients(), 0.1
    w1 = [[W1[j][i] - eta * g["W1"][j][i] for i in range(2)] for j in range(2)]
    b1 = [B1[j] - eta * g["b1"][j] for j in range(2)]
    w2 = [W2[i] - eta * g["w2"][i] for i in range(2)]
    b2 = B2 - eta * g["b2"]
    for value in (w1[0][0], w1[0][1], b1[0], w2[0], b2):
        assert shown(value, 4)
    u, _, z, p, loss = forward(w1, b1, w2, b2)
    assert shown(u[0]) and shown(z) and shown(p) and shown(loss)
    assert loss < forward(W1, B1, W2, B2)[4]
