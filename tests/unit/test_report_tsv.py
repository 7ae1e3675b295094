"""TSV report: one row per variant × sample, rectangular, escaped, deterministic."""

from __future__ import annotations

import csv
import io

from mtorvar.models.report import SampleInfo
from mtorvar.report.tsv import COLUMNS, cell, render_tsv
from tests.unit.report_factory import empty_report, make_report


def _rows(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode()), delimiter="\t",
                               quoting=csv.QUOTE_NONE))


def test_one_row_per_variant_and_sample() -> None:
    report = make_report()
    rows = _rows(render_tsv(report))
    assert len(rows) == len(report.variants) * len(report.samples)
    assert [r["sample"] for r in rows[:4]] == ["N", "R1", "R2", "R3"]
    assert [r["variant_id"] for r in rows[::4]] == [v.id for v in report.variants]


def test_row_content_for_private_frb_mutation() -> None:
    rows = _rows(render_tsv(make_report()))
    r2 = next(r for r in rows if r["hgvs_p"] == "p.F2108L" and r["sample"] == "R2")
    assert r2["state"] == "present"
    assert r2["depth"] == "120"
    assert r2["alt_reads"] == "30"
    assert r2["vaf"] == "0.25"
    assert r2["clonality"] == "private"
    assert r2["rules"] == "MTOR-FRB-F2108"
    assert r2["rapalog"] == "resistant"
    assert r2["torki"] == "sensitive"
    assert r2["sample_rapalog"] == "resistant"
    normal = next(r for r in rows if r["hgvs_p"] == "p.F2108L" and r["sample"] == "N")
    assert normal["role"] == "normal"
    assert normal["sample_rapalog"] == ""  # no region call for the normal


def test_intronic_variant_has_empty_protein_and_prediction_cells() -> None:
    rows = _rows(render_tsv(make_report()))
    intr = next(r for r in rows if r["variant_id"] == "1:11150000:T>C")
    assert intr["hgvs_p"] == ""
    assert intr["rules"] == ""
    assert intr["rapalog"] == ""
    assert intr["warnings"] == "germline-like: present in the normal"


def test_rows_are_rectangular_and_escaped() -> None:
    report = make_report(samples=(*make_report().samples, SampleInfo(name="R\t4\nx")),
                         warnings=())
    raw = render_tsv(report)
    lines = raw.decode().split("\n")
    assert lines[-1] == ""
    assert all(line.count("\t") == len(COLUMNS) - 1 for line in lines[:-1])
    assert "R\\t4\\nx" in raw.decode()


def test_cell_formatting() -> None:
    assert cell(None) == ""
    assert cell(0.1 + 0.2) == "0.3"
    assert cell(True) == "true"
    assert cell(("a", "b")) == "a;b"
    assert cell("back\\slash") == "back\\\\slash"


def test_deterministic_and_header_only_when_empty() -> None:
    assert render_tsv(make_report()) == render_tsv(make_report())
    assert render_tsv(empty_report()).decode() == "\t".join(COLUMNS) + "\n"


def test_render_report_dispatches_text_formats() -> None:
    import json

    import pytest

    from mtorvar.errors import UsageError
    from mtorvar.report.formats import render_report

    report = make_report()
    assert json.loads(render_report(report, "json"))["schema_version"] == "1.0"
    assert render_report(report, "tsv") == render_tsv(report)
    assert render_report(report, "html").startswith(b"<!DOCTYPE html>")
    with pytest.raises(UsageError, match="vcf"):
        render_report(report, "vcf")
