"""JSON Schema of the report, generated from the models (committed in schemas/)."""

from __future__ import annotations

import json
from typing import Any

from mtorvar.models.report import SCHEMA_VERSION, Report

SCHEMA_ID = f"urn:mtorvar:schema:report:{SCHEMA_VERSION}"


def report_json_schema() -> dict[str, Any]:
    """JSON Schema of what ``render_json`` writes (serialization mode), with id and version."""
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = SCHEMA_ID
    schema["description"] = (
        f"mtorvar report, schema_version {SCHEMA_VERSION}. Generated from the pydantic models "
        "by `mtorvar schema report`; do not edit by hand."
    )
    return schema


def report_json_schema_text() -> str:
    """The schema as committed: sorted keys, 2-space indent, trailing newline."""
    return json.dumps(report_json_schema(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


render_report_schema = report_json_schema_text  # the name the report tests use
