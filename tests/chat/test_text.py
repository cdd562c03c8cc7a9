"""The platform-neutral splitter: parts within the limit, cut at line ends, fences kept whole."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.chat.text import FENCE, split_text


def fences_balance(part: str) -> bool:
    return sum(line.count(FENCE) for line in part.split("\n")) % 2 == 0


def prose(text: str) -> str:
    """What is not a fence line, without whitespace: the splitter adds fence lines and line breaks only."""
    return "".join("".join(line.split()) for line in text.split("\n") if not line.strip().startswith(FENCE))


def test_a_short_text_is_one_part():
    assert split_text("hello\nworld", 100) == ["hello\nworld"]


def test_cuts_fall_at_line_ends():
    text = "\n".join(f"line {i:02d} " + "x" * 30 for i in range(10))
    parts = split_text(text, 100)
    assert all(len(p) <= 100 for p in parts) and len(parts) > 1
    assert "\n".join(parts) == text  # nothing added, nothing lost: whole lines per part
    assert all(p.split("\n")[0].startswith("line ") for p in parts)


def test_a_code_fence_open_at_a_cut_is_closed_and_reopened_with_its_language():
    text = "Intro\n```sql\n" + "\n".join(f"SELECT {i} AS n_{i};" for i in range(30)) + "\n```\nAfter"
    parts = split_text(text, 120)
    assert len(parts) > 2 and all(len(p) <= 120 for p in parts)
    assert all(fences_balance(p) for p in parts)
    assert all(p.startswith("```sql\n") for p in parts[1:-1])
    assert parts[-1].endswith("```\nAfter")
    assert prose("\n".join(parts)) == prose(text)


def test_a_long_line_breaks_at_a_space_and_a_long_word_hard():
    words = " ".join(["word"] * 60)
    parts = split_text(words, 50)
    assert all(len(p) <= 50 for p in parts) and " ".join(parts).split() == words.split()
    solid = "y" * 130
    parts = split_text(solid, 50)
    assert all(len(p) <= 50 for p in parts) and "".join("".join(parts).split()) == solid


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="ab c\t&<>*_", max_size=120),
            st.sampled_from([FENCE, "```python", "```sql", "| a | b |", ""]),
        ),
        max_size=60,
    ),
    st.integers(min_value=40, max_value=400),
)
def test_any_text_splits_within_the_limit_and_loses_nothing(lines, limit):
    text = "\n".join(lines)
    parts = split_text(text, limit)
    assert all(len(p) <= limit for p in parts)
    assert all(fences_balance(p) for p in parts[:-1])  # a cut inside a fence closes it
    assert prose("\n".join(parts)) == prose(text)
