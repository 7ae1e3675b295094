"""Shared test fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = ROOT / "fixtures"


@pytest.fixture
def shared_dir() -> Path:
    """``../shared`` beside the checkout; tests needing it skip cleanly when it is absent."""
    if not (SHARED / "testdata" / "real").is_dir():
        pytest.skip("../shared/testdata is not present")
    return SHARED


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES
