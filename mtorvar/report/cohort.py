"""Cohort summary across tumours: one row per tumour, plus per-variant recurrence.

Built from finished reports (``mtorvar cohort REPORT.json …``), so a cohort of thousands of
VCFs can be annotated in parallel (Snakemake, Nextflow) and aggregated at the end.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from pydantic import Field

from mtorvar.errors import UsageError
from mtorvar.models.base import DRUG_CLASSES, DrugClass, Frozen, TumorCall
from mtorvar.models.report import DISCLAIMER, SCHEMA_VERSION, Report, VariantOut
from mtorvar.report.json_report import load_report
from mtorvar.report.tsv import cell


class CohortTumour(Frozen):
    name: str
    input: str
    genome_build: str | None = None
    knowledge_base_version: str
    n_tumour_samples: int
    n_variants: int
    verdicts: dict[DrugClass, TumorCall] = Field(default_factory=dict)
    effective_in_all_samples: tuple[DrugClass, ...] = ()
    resistant_subclones: tuple[str, ...] = ()  # variant labels, e.g. "MTOR p.F2108L"
    variants: tuple[str, ...] = ()  # labels of variants matched by at least one rule


class CohortVariant(Frozen):
    gene: str | None = None
    hgvs_p: str | None = None
    hgvs_c: str | None = None
    label: str
    n_tumours: int
    tumours: tuple[str, ...]
    clonality: dict[str, str] = Field(default_factory=dict)  # tumour -> clonality
    rules: tuple[str, ...] = ()


class Cohort(Frozen):
    schema_version: str = SCHEMA_VERSION
    tumours: tuple[CohortTumour, ...] = ()
    variants: tuple[CohortVariant, ...] = ()
    warnings: tuple[str, ...] = ()
    disclaimer: str = DISCLAIMER


def default_names(paths: Sequence[str | Path]) -> list[str]:
    """Tumour names from report file names: ``T1.json`` → ``T1``, ``T1.report.json`` → ``T1``."""
    names = []
    for path in paths:
        name = Path(path).name
        for suffix in (".json", ".report", ".mtorvar"):
            name = name.removesuffix(suffix)
        names.append(name)
    return names


def _label(v: VariantOut) -> str:
    change = v.hgvs_p or v.hgvs_c or v.id
    return f"{v.gene} {change}" if v.gene else change


def _tumour_row(name: str, report: Report) -> CohortTumour:
    labels = {v.id: _label(v) for v in report.variants}
    return CohortTumour(
        name=name,
        input=report.input.path,
        genome_build=report.input.genome_build,
        knowledge_base_version=report.knowledge_base.version,
        n_tumour_samples=sum(1 for s in report.samples if s.role == "tumor"),
        n_variants=len(report.variants),
        verdicts={cls: p.call for cls, p in report.tumor.predictions.items()},
        effective_in_all_samples=report.tumor.effective_in_all_samples,
        resistant_subclones=tuple(labels.get(k, k) for k in report.tumor.resistant_subclones),
        variants=tuple(dict.fromkeys(_label(v) for v in report.variants if v.matches)),
    )


def _variant_key(v: VariantOut) -> tuple[str, str]:
    """Recurrence is counted per protein change (coding change, then site, when none)."""
    return (v.gene or "", v.hgvs_p or v.hgvs_c or v.id)


def _is_carried(v: VariantOut, normals: set[str]) -> bool:
    """A variant counts for a tumour when present in a tumour sample (or has no samples)."""
    tumour = [o for s, o in v.observations.items() if s not in normals]
    return not tumour or any(o.state == "present" for o in tumour)


def _recurrence(named: Sequence[tuple[str, Report]]) -> tuple[CohortVariant, ...]:
    seen: dict[tuple[str, str], dict[str, VariantOut]] = {}
    for name, report in named:
        normals = {s.name for s in report.samples if s.role == "normal"}
        for v in report.variants:
            if v.skipped or not _is_carried(v, normals):
                continue
            seen.setdefault(_variant_key(v), {}).setdefault(name, v)
    rows = []
    for (gene, _), by_tumour in seen.items():
        first = next(iter(by_tumour.values()))
        rules = sorted({m.rule_id for v in by_tumour.values() for m in v.matches})
        rows.append(CohortVariant(
            gene=gene or None, hgvs_p=first.hgvs_p, hgvs_c=first.hgvs_c, label=_label(first),
            n_tumours=len(by_tumour), tumours=tuple(by_tumour),
            clonality={t: v.clonality for t, v in by_tumour.items()}, rules=tuple(rules)))
    rows.sort(key=lambda r: (-r.n_tumours, r.gene or "", r.label))
    return tuple(rows)


def build_cohort(reports: Sequence[Report], names: Sequence[str]) -> Cohort:
    """One row per tumour (input order) and per-variant recurrence across tumours."""
    if len(reports) != len(names):
        raise UsageError(f"{len(reports)} reports but {len(names)} names",
                         hint="give one name per report")
    duplicates = sorted({n for n in names if list(names).count(n) > 1})
    if duplicates:
        raise UsageError(f"duplicate tumour name(s): {', '.join(duplicates)}",
                         hint="rename the report files or pass distinct names")
    named = list(zip(names, reports, strict=True))
    warnings = []
    kb_versions = sorted({r.knowledge_base.version for r in reports})
    if len(kb_versions) > 1:
        warnings.append(f"reports use different knowledge-base versions: {', '.join(kb_versions)}")
    builds = sorted({r.input.genome_build for r in reports if r.input.genome_build})
    if len(builds) > 1:
        warnings.append(f"reports use different genome builds: {', '.join(builds)}")
    return Cohort(tumours=tuple(_tumour_row(n, r) for n, r in named),
                  variants=_recurrence(named), warnings=tuple(warnings))


def cohort_from_files(paths: Sequence[str | Path]) -> Cohort:
    """Load report JSON files (InputError names a bad one) and name tumours by file name."""
    if not paths:
        raise UsageError("no report given", hint="pass the JSON files `mtorvar annotate` wrote")
    return build_cohort([load_report(p) for p in paths], default_names(paths))


TUMOUR_COLUMNS = ("tumour", "input", "genome_build", "knowledge_base_version",
                  "n_tumour_samples", "n_variants", *DRUG_CLASSES, "effective_in_all_samples",
                  "resistant_subclones", "rule_matched_variants")
VARIANT_COLUMNS = ("gene", "hgvs_p", "hgvs_c", "label", "n_tumours", "tumours", "clonality",
                   "rules")


def _table(columns: Sequence[str], rows: list[list[object]]) -> bytes:
    lines = ["\t".join(columns)] + ["\t".join(cell(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def render_cohort_tsv(cohort: Cohort) -> bytes:
    """One row per tumour; verdict columns are the tumour-level call per drug class."""
    rows: list[list[object]] = [
        [t.name, t.input, t.genome_build, t.knowledge_base_version, t.n_tumour_samples,
         t.n_variants, *(t.verdicts.get(c) for c in DRUG_CLASSES), t.effective_in_all_samples,
         t.resistant_subclones, t.variants]
        for t in cohort.tumours]
    return _table(TUMOUR_COLUMNS, rows)


def render_recurrence_tsv(cohort: Cohort) -> bytes:
    """One row per variant (protein change), most recurrent first."""
    rows: list[list[object]] = [
        [v.gene, v.hgvs_p, v.hgvs_c, v.label, v.n_tumours, v.tumours,
         tuple(f"{t}={c}" for t, c in v.clonality.items()), v.rules]
        for v in cohort.variants]
    return _table(VARIANT_COLUMNS, rows)


def recurrence_path(tsv_path: str) -> str:
    """Where the recurrence table goes beside a cohort TSV: ``x.tsv`` → ``x.variants.tsv``."""
    stem = tsv_path.removesuffix(".tsv")
    return f"{stem}.variants.tsv"


def render_cohort_json(cohort: Cohort) -> bytes:
    text = json.dumps(cohort.model_dump(mode="json"), sort_keys=True, indent=2,
                      ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def write_cohort(paths: Sequence[str], output: str, fmt: str) -> None:
    """``mtorvar cohort``: one row per tumour; beside a TSV file, the recurrence table."""
    from mtorvar.io.atomic import atomic_output

    if not paths:
        raise UsageError("no report given", hint="pass report JSON files from mtorvar annotate")
    cohort = cohort_from_files(paths)
    if fmt == "json":
        with atomic_output(output) as handle:
            handle.write(render_cohort_json(cohort))
        return
    with atomic_output(output) as handle:
        handle.write(render_cohort_tsv(cohort))
    if output != "-":
        with atomic_output(recurrence_path(output)) as handle:
            handle.write(render_recurrence_tsv(cohort))
