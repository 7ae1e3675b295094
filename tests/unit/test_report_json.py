"""JSON report: the model's own dump, sorted, reproducible, loadable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtorvar.errors import InputError, UsageError
from mtorvar.report.json_report import creation_time, load_report, render_json
from tests.unit.report_factory import empty_report, make_report


def test_render_json_is_the_model_dump_with_sorted_keys() -> None:
    report = make_report()
    raw = render_json(report)
    assert raw.endswith(b"}\n")
    data = json.loads(raw)
    assert data == report.model_dump(mode="json")
    assert list(data) == sorted(data)
    variant = data["variants"][0]
    assert list(variant) == sorted(variant)
    assert variant["hgvs_p"] == "p.F2108L"
    assert variant["matches"][0]["predictions"]["rapalog"] == {"call": "resistant", "note": None}


def test_render_json_contract_fields_present() -> None:
    data = json.loads(render_json(make_report()))
    for key in ("schema_version", "tool", "knowledge_base", "input", "samples", "variants",
                "regions", "tumor", "warnings", "disclaimer"):
        assert key in data
    assert data["schema_version"] == "1.0"
    assert data["disclaimer"].startswith("Research use only")
    assert data["tumor"]["predictions"]["rapalog"]["call"] == "heterogeneous"
    assert [s["name"] for s in data["samples"]] == ["N", "R1", "R2", "R3"]


def test_render_json_keeps_non_ascii_and_is_deterministic() -> None:
    report = make_report(warnings=("région R2: Δ depth",))
    first, second = render_json(report), render_json(report)
    assert first == second
    assert "région R2: Δ depth".encode() in first


def test_creation_time_from_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert creation_time() == "2023-11-14T22:13:20Z"


def test_creation_time_now_when_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    stamp = creation_time()
    assert stamp is not None
    assert stamp.endswith("Z")
    assert stamp[:2] == "20"


def test_creation_time_rejects_garbage(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(UsageError, match="SOURCE_DATE_EPOCH"):
        creation_time()


def test_load_report_round_trips(tmp_path: Path) -> None:
    for report in (make_report(), empty_report()):
        path = tmp_path / "r.json"
        path.write_bytes(render_json(report))
        assert load_report(path) == report


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"{not json", "not valid JSON"), (b'{"schema_version": "1.0"}', "not an mtorvar report"),
     (b"\xff\xfe", "not UTF-8")],
)
def test_load_report_errors_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        load_report(path)
    assert str(path) in info.value.one_line()
    assert "\n" not in info.value.one_line()


def test_load_report_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read report"):
        load_report(tmp_path / "nope.json")
