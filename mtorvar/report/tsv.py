"""TSV report: one row per variant × sample, for spreadsheets and R (``read.delim``).

Empty cells mean "no value"; tabs, newlines and backslashes inside values are escaped as
``\\t``, ``\\n``, ``\\r`` and ``\\\\`` so every row has exactly the header's column count.
"""

from __future__ import annotations

from collections.abc import Iterator

from mtorvar.models.base import DRUG_CLASSES
from mtorvar.models.report import RegionOut, Report, SampleInfo, VariantOut
from mtorvar.models.variant import Observation

VARIANT_COLUMNS = (
    "variant_id", "chrom", "pos", "ref", "alt", "gene", "transcript", "hgvs_c", "hgvs_p",
    "consequence", "variant_class", "domains", "clonality",
)
SAMPLE_COLUMNS = (
    "sample", "role", "region", "state", "evidence", "depth", "alt_reads", "vaf",
    "ccf", "ccf_low", "ccf_high",
)
PREDICTION_COLUMNS = tuple(DRUG_CLASSES)
REGION_COLUMNS = tuple(f"sample_{cls}" for cls in DRUG_CLASSES)
COLUMNS = (*VARIANT_COLUMNS, *SAMPLE_COLUMNS, "rules", *PREDICTION_COLUMNS, *REGION_COLUMNS,
           "warnings")

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def cell(value: object) -> str:
    """One TSV cell: None → empty, floats without binary noise, specials escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(value, ".6g")
    if isinstance(value, (tuple, list)):
        return ";".join(cell(v) for v in value)
    return str(value).translate(_ESCAPES)


def _variant_cells(v: VariantOut) -> list[str]:
    values: list[object] = [v.id, v.chrom, v.pos, v.ref, v.alt, v.gene, v.transcript, v.hgvs_c,
                            v.hgvs_p, v.consequence, v.variant_class, v.domains, v.clonality]
    return [cell(x) for x in values]


def _sample_cells(info: SampleInfo | None, name: str, obs: Observation | None) -> list[str]:
    role = info.role if info else None
    region = info.region if info else None
    if obs is None:
        return [cell(x) for x in (name, role, region)] + [""] * 8
    values: list[object] = [name, role, region, obs.state, obs.evidence, obs.depth,
                            obs.alt_reads, obs.vaf, obs.ccf, obs.ccf_low, obs.ccf_high]
    return [cell(x) for x in values]


def _prediction_cells(v: VariantOut, region: RegionOut | None) -> list[str]:
    rules = cell(tuple(m.rule_id for m in v.matches))
    variant_calls = [cell(v.predictions[c].call) if c in v.predictions else ""
                     for c in DRUG_CLASSES]
    region_calls = [cell(region.predictions[c].call)
                    if region is not None and c in region.predictions else ""
                    for c in DRUG_CLASSES]
    return [rules, *variant_calls, *region_calls]


def _sample_order(report: Report, variant: VariantOut) -> list[str]:
    """Report sample order, then any sample only the variant knows (sorted, for determinism)."""
    names = [s.name for s in report.samples]
    extra = sorted(set(variant.observations) - set(names))
    return names + extra


def iter_rows(report: Report) -> Iterator[list[str]]:
    """Data rows (no header); a variant with no sample at all still gets one row."""
    info = {s.name: s for s in report.samples}
    regions = {r.sample: r for r in report.regions}
    for variant in report.variants:
        names = _sample_order(report, variant) or [""]
        for name in names:
            yield [*_variant_cells(variant),
                   *_sample_cells(info.get(name), name, variant.observations.get(name)),
                   *_prediction_cells(variant, regions.get(name)),
                   cell(variant.warnings)]


def render_tsv(report: Report) -> bytes:
    """Header line plus one row per variant × sample, UTF-8, LF line endings."""
    lines = ["\t".join(COLUMNS)]
    lines.extend("\t".join(row) for row in iter_rows(report))
    return ("\n".join(lines) + "\n").encode("utf-8")
