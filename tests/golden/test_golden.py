"""Golden tests: run the CLI on each ``fixtures/cases/<name>/`` and compare parsed JSON.

A case folder holds its input VCF(s), ``args.txt`` (the arguments after ``mtorvar``, shell
quoted, run inside the case folder with output to stdout) and ``expected.json``. Optional:
``exit_code.txt`` (default 0). Volatile fields (tool version, creation time, command line,
input paths and checksums, knowledge-base checksum) are ignored.

Regenerate after an intended change: ``MTORVAR_UPDATE_GOLDEN=1 python -m pytest tests/golden``
then review the diff of ``fixtures/cases/*/expected.json`` before committing.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "fixtures" / "cases"
UPDATE = os.environ.get("MTORVAR_UPDATE_GOLDEN") == "1"
IGNORED = "<ignored>"
# (path of keys) → replaced by IGNORED wherever present.
VOLATILE: tuple[tuple[str, ...], ...] = (
    ("tool", "version"),
    ("created",),
    ("command_line",),
    ("input", "path"),
    ("input", "paths"),
    ("input", "sha256"),
    ("knowledge_base", "sha256"),
    ("knowledge_base", "version"),
)


def _cases() -> list[Path]:
    if not CASES.is_dir():
        return []
    return sorted(p for p in CASES.iterdir() if (p / "args.txt").is_file())


def normalise(report: Any) -> Any:
    """The report with volatile fields replaced, so comparisons see only what matters."""
    if not isinstance(report, dict):
        return report
    out = json.loads(json.dumps(report))
    for path in VOLATILE:
        node = out
        for key in path[:-1]:
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, dict) and path[-1] in node:
            node[path[-1]] = IGNORED
    return out


def differences(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """Human-readable JSON paths where two parsed documents differ."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual)):
            if key not in actual:
                found.append(f"{where}.{key}: missing")
            elif key not in expected:
                found.append(f"{where}.{key}: unexpected {json.dumps(actual[key])[:80]}")
            else:
                found += differences(expected[key], actual[key], f"{where}.{key}")
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items expected, got {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in differences(e, a, f"{where}[{i}]")]
    if expected != actual:
        return [f"{where}: expected {json.dumps(expected)[:80]}, got {json.dumps(actual)[:80]}"]
    return []


def run_case(case: Path) -> subprocess.CompletedProcess[str]:
    args = shlex.split((case / "args.txt").read_text(encoding="utf-8"))
    env = {**os.environ, "SOURCE_DATE_EPOCH": "0", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "mtorvar", *args], cwd=case, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_golden_case(case: Path) -> None:
    done = run_case(case)
    exit_file = case / "exit_code.txt"
    expected_exit = int(exit_file.read_text().strip()) if exit_file.is_file() else 0
    assert done.returncode == expected_exit, f"exit {done.returncode}: {done.stderr[-1500:]}"
    if expected_exit != 0:
        assert done.stderr.count("\n") >= 1
        assert "Traceback" not in done.stderr
        return
    actual = normalise(json.loads(done.stdout))
    expected_path = case / "expected.json"
    if UPDATE:
        expected_path.write_text(json.dumps(actual, sort_keys=True, indent=2,
                                            ensure_ascii=False) + "\n", encoding="utf-8")
        pytest.skip(f"updated {expected_path.relative_to(ROOT)}")
    assert expected_path.is_file(), (
        f"{expected_path} is missing; create it with MTORVAR_UPDATE_GOLDEN=1")
    expected = normalise(json.loads(expected_path.read_text(encoding="utf-8")))
    found = differences(expected, actual)
    assert not found, "report differs from expected.json:\n  " + "\n  ".join(found[:25])


@pytest.mark.parametrize("case", _cases()[:1], ids=lambda p: p.name)
def test_golden_run_is_byte_identical_with_source_date_epoch(case: Path) -> None:
    first, second = run_case(case), run_case(case)
    assert first.returncode == second.returncode
    assert first.stdout == second.stdout


def test_normalise_and_differences() -> None:
    report = {"tool": {"name": "mtorvar", "version": "9"}, "created": "x",
              "input": {"path": "/a/b.vcf", "genome_build": "GRCh38"}, "variants": [1, 2]}
    norm = normalise(report)
    assert norm["tool"] == {"name": "mtorvar", "version": IGNORED}
    assert norm["input"]["genome_build"] == "GRCh38"
    assert report["created"] == "x"  # input untouched
    changed = {**norm, "variants": [1, 3], "extra": True}
    assert differences(norm, changed) == ["$.extra: unexpected true",
                                          "$.variants[1]: expected 2, got 3"]
