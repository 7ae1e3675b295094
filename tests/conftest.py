"""Shared test fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# CI runs the property tests on a fixed stream of examples, so a landing never depends on the
# draw; local runs keep exploring new examples (and found a real htslib crash that way).
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

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
