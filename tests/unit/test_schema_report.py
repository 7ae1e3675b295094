"""The committed JSON Schema must match the models, and reports must validate against it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtorvar.report.json_report import render_json
from mtorvar.report.schema import render_report_schema, report_json_schema
from tests.unit.report_factory import empty_report, make_report

COMMITTED = Path(__file__).resolve().parents[2] / "schemas" / "report.schema.json"


def test_committed_schema_matches_models() -> None:
    assert COMMITTED.is_file(), "schemas/report.schema.json is missing"
    committed = json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert committed == report_json_schema(), (
        "schemas/report.schema.json differs from the models; regenerate it with "
        "`mtorvar schema report > schemas/report.schema.json` and commit the result"
    )
    assert COMMITTED.read_text(encoding="utf-8") == render_report_schema()


def test_schema_names_contract_fields() -> None:
    schema = report_json_schema()
    props = schema["properties"]
    for key in ("schema_version", "tool", "knowledge_base", "input", "samples", "variants",
                "regions", "tumor", "warnings", "disclaimer"):
        assert key in props
    assert "1.0" in schema["description"]


@pytest.mark.parametrize("report", [make_report(), empty_report()])
def test_rendered_reports_validate_against_schema(report: object) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.validate(json.loads(render_json(report)), report_json_schema())  # type: ignore[arg-type]


def test_schema_rejects_unknown_call() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    data = json.loads(render_json(make_report()))
    data["variants"][0]["predictions"]["rapalog"]["call"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, report_json_schema())


def test_cli_schema_report_prints_committed_file() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "mtorvar", "schema", "report"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0 and "No such command" in done.stderr:
        pytest.skip("`mtorvar schema report` is not wired yet")
    assert done.returncode == 0, done.stderr
    assert done.stdout == COMMITTED.read_text(encoding="utf-8")
