"""Recomputes the numbers in the model answer of ml-lora-parameter-count-and-memory."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-lora-parameter-count-and-memory.yaml").read_text(encoding="utf-8"))["answer"]

D, FF, LAYERS, VOCAB = 4096, 11008, 32, 32000


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def lora(r, d_in, d_out):
    return r * (d_in + d_out)


def base_model():
    attention = 4 * D * D
    mlp = 3 * D * FF
    embeddings = 2 * VOCAB * D
    return attention, mlp, embeddings, (attention + mlp) * LAYERS + embeddings


def test_base_parameter_count():
    attention, mlp, embeddings, total = base_model()
    for n in (attention, mlp, attention + mlp, (attention + mlp) * LAYERS, embeddings, total):
        assert shown(f"{n:,}")
    assert shown(f"{(attention + mlp) / 1e6:.1f}M") and shown(f"{total / 1e9:.2f}B")


def test_trainable_parameters():
    total = base_model()[3]
    a = 2 * lora(8, D, D) * LAYERS
    assert shown(f"{lora(8, D, D):,}") and shown(f"{a:,}") and shown(f"{a / total:.3%}")
    attention, mlp = 4 * lora(16, D, D), 3 * lora(16, D, FF)
    b = (attention + mlp) * LAYERS
    assert shown(f"{attention:,}") and shown(f"{mlp:,}") and shown(f"{attention + mlp:,}")
    assert shown(f"{b:,}") and shown(f"{b / 1e6:.1f}M") and shown(f"{b / total:.2%}")


def test_memory():
    total = base_model()[3]
    a = 2 * lora(8, D, D) * LAYERS
    b = (4 * lora(16, D, D) + 3 * lora(16, D, FF)) * LAYERS
    assert shown(f"{total * 16 / 1e9:.0f} GB") and shown(f"{total * 2 / 1e9:.1f} GB")
    assert shown(f"{a * 16 / 1e6:.0f} MB") and shown(f"{a * 2 / 1e6:.1f} MB") and shown(f"{b * 2 / 1e6:.0f} MB")
    assert shown(f"{total * 0.5 / 1e9:.1f} GB")  # 4-bit base
