"""Recomputes the numbers in the model answer of mlsd-multi-tenant-lora-serving."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml-system-design/mlsd-multi-tenant-lora-serving.yaml").read_text(encoding="utf-8"))["answer"]

RANK, WIDTH, KV_WIDTH, LAYERS, BASE, TENANTS = 16, 4096, 1024, 32, 8.0e9, 300


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def adapter_parameters():
    q_or_o = RANK * (WIDTH + WIDTH)
    k_or_v = RANK * (WIDTH + KV_WIDTH)
    return q_or_o, k_or_v, 2 * q_or_o + 2 * k_or_v


def test_adapter_size():
    q_or_o, k_or_v, per_layer = adapter_parameters()
    assert shown(f"{q_or_o:,}") and shown(f"{k_or_v:,}") and shown(f"**{per_layer:,}**")
    total = per_layer * LAYERS
    assert shown(f"**{total:,} ≈ {total / 1e6:.1f}M**") and shown(f"**{total * 2 / 1e6:.1f} MB**")


def test_fleet_memory_and_compute():
    total = adapter_parameters()[2] * LAYERS
    assert shown(f"**{TENANTS * total * 2 / 1e9:.1f} GB**")
    assert shown(f"**{TENANTS * BASE * 2 / 1e12:.1f} TB**")
    assert round(TENANTS * BASE * 2 / 80e9) == 60
    assert shown(f"**{total / BASE:.2%}**")
    assert round(total * 2 / 25e9 * 1000) == 1  # 27 MB over ~25 GB/s PCIe ≈ 1 ms
