"""Recomputes the numbers in the model answer of ml-kv-cache-memory-and-decode-speed."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
ANSWER = yaml.safe_load((ROOT / "content/questions/ml/ml-kv-cache-memory-and-decode-speed.yaml").read_text(encoding="utf-8"))["answer"]

LAYERS, HEADS, HEAD_DIM, BYTES = 32, 32, 128, 2
PARAMS, GPU_GB, RESERVED_GB, BANDWIDTH_GB_S, CONTEXT = 7.0e9, 80, 6, 2000, 4096


def shown(text: str) -> bool:
    """The answer prints this number as a whole token."""
    return re.search(rf"(?<![\d.]){re.escape(text)}(?!\d|\.\d)", ANSWER) is not None


def cache_per_token(kv_heads=HEADS):
    return 2 * LAYERS * kv_heads * HEAD_DIM * BYTES


def free_gb():
    return GPU_GB - PARAMS * BYTES / 1e9 - RESERVED_GB


def step_ms(batch, chat_gb):
    return (PARAMS * BYTES / 1e9 + batch * chat_gb) / BANDWIDTH_GB_S * 1000


def test_cache_sizes():
    per_token = cache_per_token()
    assert shown(f"{per_token:,} bytes") and shown(f"{per_token / 1e6:.2f} MB")
    chat = per_token * CONTEXT / 1e9
    assert shown(f"{chat:.2f} GB") and shown(f"{chat:.3f}")
    assert shown(f"{free_gb():.0f} GB") and shown(f"{free_gb() / chat:.1f}") and shown(f"**{int(free_gb() / chat)}**")


def test_grouped_query_attention():
    per_token = cache_per_token(kv_heads=8)
    assert cache_per_token() / per_token == 4
    assert shown(f"{per_token:,} bytes") and shown(f"{per_token / 1e6:.2f} MB")
    chat = per_token * CONTEXT / 1e9
    assert shown(f"{chat:.2f}") and shown(f"{chat:.3f}") and shown(f"**{int(free_gb() / chat)}**")


def test_decode_speed():
    chat = cache_per_token() * CONTEXT / 1e9
    one = step_ms(1, chat)
    assert shown(f"{14 + chat:.1f} GB") and shown(f"{one:.1f} ms") and shown(f"{1000 / one:.0f} tokens/s")
    full = step_ms(27, chat)
    assert shown(f"{27 * chat:.1f}") and shown(f"{14 + 27 * chat:.1f} GB")
    assert shown(f"{full:.1f} ms") and shown(f"{27 * 1000 / full:.0f} tokens/s") and shown(f"{1000 / full:.0f} per chat")
    gqa_chat = cache_per_token(8) * CONTEXT / 1e9
    gqa = step_ms(111, gqa_chat)
    assert shown(f"{14 + 111 * gqa_chat:.1f} GB") and shown(f"{gqa:.1f} ms")
    assert shown(f"{111 * 1000 / gqa:,.0f}")
