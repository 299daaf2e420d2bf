"""The public surface is what ``__all__`` says: sorted, importable, and nothing private in it."""

from __future__ import annotations

import newsfold


def test_all_is_sorted_and_importable() -> None:
    assert newsfold.__all__ == sorted(newsfold.__all__)
    for name in newsfold.__all__:
        assert not name.startswith("_")
        assert getattr(newsfold, name) is not None
