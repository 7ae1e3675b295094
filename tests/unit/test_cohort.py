"""Cohort summary: one row per tumour, per-variant recurrence across tumours."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from mtorvar.errors import InputError, UsageError
from mtorvar.models.report import KnowledgeBaseInfo, Report
from mtorvar.report.cohort import (
    TUMOUR_COLUMNS,
    build_cohort,
    cohort_from_files,
    default_names,
    recurrence_path,
    render_cohort_json,
    render_cohort_tsv,
    render_recurrence_tsv,
)
from mtorvar.report.json_report import render_json
from tests.unit.report_factory import empty_report, make_report


def _second_tumour() -> Report:
    """T2 carries only TSC2 Q1178* and KRAS G12D (G12D absent in every sample elsewhere)."""
    base = make_report()
    keep = [v for v in base.variants if v.gene in ("TSC2", "KRAS")]
    kras_d = next(v for v in keep if v.hgvs_p == "p.G12D")
    not_there = {s: o.model_copy(update={"state": "absent"}) for s, o in
                 kras_d.observations.items()}
    keep = [v.model_copy(update={"observations": not_there}) if v is kras_d else v for v in keep]
    return base.model_copy(update={"variants": tuple(keep)})


def _tsv(raw: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(raw.decode()), delimiter="\t",
                               quoting=csv.QUOTE_NONE))


def test_one_row_per_tumour_with_verdicts() -> None:
    cohort = build_cohort([make_report(), empty_report()], ["T1", "T0"])
    rows = _tsv(render_cohort_tsv(cohort))
    assert [r["tumour"] for r in rows] == ["T1", "T0"]
    t1 = rows[0]
    assert t1["rapalog"] == "heterogeneous"
    assert t1["rapalink"] == "sensitive"
    assert t1["effective_in_all_samples"] == "rapalink"
    assert t1["resistant_subclones"] == "MTOR p.F2108L"
    assert t1["n_tumour_samples"] == "3"
    assert "TSC2 p.Q1178*" in t1["rule_matched_variants"].split(";")
    assert rows[1]["rapalog"] == ""
    assert rows[1]["n_variants"] == "0"
    assert list(rows[0]) == list(TUMOUR_COLUMNS)


def test_recurrence_counts_tumours_carrying_the_variant() -> None:
    cohort = build_cohort([make_report(), _second_tumour()], ["T1", "T2"])
    by_label = {v.label: v for v in cohort.variants}
    tsc2 = by_label["TSC2 p.Q1178*"]
    assert tsc2.n_tumours == 2
    assert tsc2.tumours == ("T1", "T2")
    assert tsc2.clonality == {"T1": "truncal", "T2": "truncal"}
    assert tsc2.rules == ("TSC2-LOF",)
    assert by_label["KRAS p.G12D"].tumours == ("T1",)  # absent everywhere in T2
    assert by_label["MTOR p.F2108L"].n_tumours == 1
    assert cohort.variants[0].n_tumours == 2  # most recurrent first
    rows = _tsv(render_recurrence_tsv(cohort))
    first = rows[0]
    assert first["n_tumours"] == "2"
    assert first["tumours"] == "T1;T2"


def test_present_only_in_normal_does_not_count() -> None:
    base = make_report()
    germline = base.variants[1]
    only_normal = {s: o.model_copy(update={"state": "present" if s == "N" else "absent"})
                   for s, o in germline.observations.items()}
    report = base.model_copy(update={"variants": (
        germline.model_copy(update={"observations": only_normal}),)})
    assert build_cohort([report], ["T"]).variants == ()


def test_warns_on_mixed_knowledge_bases_and_rejects_bad_names() -> None:
    other = make_report(knowledge_base=KnowledgeBaseInfo(version="2025.2", sha256="0" * 64))
    cohort = build_cohort([make_report(), other], ["A", "B"])
    assert any("knowledge-base versions" in w for w in cohort.warnings)
    with pytest.raises(UsageError, match="duplicate"):
        build_cohort([make_report(), other], ["A", "A"])
    with pytest.raises(UsageError, match="1 reports but 2 names"):
        build_cohort([make_report()], ["A", "B"])


def test_json_and_helpers() -> None:
    cohort = build_cohort([make_report()], ["T1"])
    data = json.loads(render_cohort_json(cohort))
    assert data["tumours"][0]["verdicts"]["rapalog"] == "heterogeneous"
    assert data["disclaimer"].startswith("Research use only")
    assert render_cohort_json(cohort) == render_cohort_json(build_cohort([make_report()], ["T1"]))
    assert default_names(["a/T1.json", "b/T2.report.json", "T3"]) == ["T1", "T2", "T3"]
    assert recurrence_path("out/cohort.tsv") == "out/cohort.variants.tsv"


def test_cohort_from_files(tmp_path: Path) -> None:
    paths = []
    for name, report in (("T1", make_report()), ("T2", _second_tumour())):
        path = tmp_path / f"{name}.json"
        path.write_bytes(render_json(report))
        paths.append(path)
    cohort = cohort_from_files(paths)
    assert [t.name for t in cohort.tumours] == ["T1", "T2"]
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(InputError, match="not valid JSON") as info:
        cohort_from_files([*paths, tmp_path / "bad.json"])
    assert "bad.json" in info.value.one_line()
    with pytest.raises(UsageError, match="no report"):
        cohort_from_files([])
