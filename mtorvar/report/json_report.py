"""JSON report: the ``Report`` model's own dump, so no format can drift from the model."""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from pathlib import Path

from pydantic import ValidationError

from mtorvar.errors import InputError, UsageError
from mtorvar.models.report import Report


def creation_time() -> str | None:
    """ISO-8601 UTC time: from ``SOURCE_DATE_EPOCH`` when set (reproducible builds), else now."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or epoch.strip() == "":
        moment = datetime.now(timezone.utc)
    else:
        try:
            moment = datetime.fromtimestamp(int(epoch.strip()), timezone.utc)
        except (ValueError, OverflowError, OSError):
            raise UsageError(
                f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp",
                hint="set it to an integer number of seconds, e.g. 1700000000, or unset it",
            ) from None
    return moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def report_to_dict(report: Report) -> dict[str, object]:
    """The JSON-compatible dump every machine-readable format starts from."""
    return report.model_dump(mode="json")


def render_json(report: Report) -> bytes:
    """Sorted keys, 2-space indent, UTF-8, trailing newline: byte-stable for equal reports."""
    text = json.dumps(report_to_dict(report), sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def load_report(path: str | Path) -> Report:
    """Read a report written by ``render_json``; InputError names the file on any problem."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read report: {exc.strerror or exc}", file=name,
                         hint="pass a JSON report written by `mtorvar annotate -O json`") from None
    except UnicodeDecodeError:
        raise InputError("report is not UTF-8 text", file=name,
                         hint="pass a JSON report written by `mtorvar annotate -O json`") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON (line {exc.lineno}: {exc.msg})", file=name,
                         hint="pass a JSON report written by `mtorvar annotate -O json`") from None
    try:
        return Report.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise InputError(f"not an mtorvar report: {where}: {first['msg']}", file=name,
                         hint="regenerate it with this mtorvar version") from None
