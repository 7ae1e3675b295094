"""Helpers for CLI tests: run ``mtorvar`` in-process (fast) or as a subprocess (real exit)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from mtorvar.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "fixtures" / "example"


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line.strip()]

    def assert_one_line_error(self, code: int) -> None:
        """Exit ``code``, one ``mtorvar: error:`` line on stderr, no traceback."""
        assert self.code == code, (self.code, self.err)
        assert len(self.err_lines) == 1, self.err
        assert self.err_lines[0].startswith("mtorvar: error: "), self.err
        assert "Traceback" not in self.err


CliRunner = Callable[..., Run]


@pytest.fixture
def cli(capfd: pytest.CaptureFixture[str]) -> CliRunner:
    """``cli(*args)`` runs ``mtorvar.cli.main`` in this process and captures fd 1/2."""

    def run(*args: str | Path) -> Run:
        capfd.readouterr()
        code = main([str(a) for a in args])
        captured = capfd.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def run_subprocess(*args: str | Path, stdin: bytes | None = None,
                   env: dict[str, str] | None = None, cwd: Path | None = None
                   ) -> subprocess.CompletedProcess[bytes]:
    """``python -m mtorvar ARGS`` with a fixed SOURCE_DATE_EPOCH unless ``env`` overrides."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", **(env or {})}
    return subprocess.run([sys.executable, "-m", "mtorvar", *map(str, args)], input=stdin,
                          capture_output=True, env=full_env, cwd=cwd or ROOT, timeout=120,
                          check=False)


@pytest.fixture
def fixed_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
