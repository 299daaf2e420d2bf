"""Helpers the evaluation scripts share: where ../shared data is, and importing newsfold uninstalled."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))


def require(path: Path) -> Path:
    """Exit with a clear message when evaluation data is missing (it lives in ../shared, never here)."""
    if not path.exists():
        raise SystemExit(
            f"evaluation data not found: {path}\n(real data lives in ../shared/data beside the repository)"
        )
    return path
