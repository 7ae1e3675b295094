"""Human-readable summary on stderr: sample × drug-class calls and variant × sample presence.

Readable at a glance: calls are coloured (green sensitive, red resistant, yellow reduced,
magenta heterogeneous), presence uses ● present, ○ absent, ? not assessed, F filtered. With
more samples than fit the width, the matrix collapses to one glyph string per variant with a
numbered sample key.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from mtorvar.models.base import DRUG_CLASSES, DrugClass
from mtorvar.models.report import RegionOut, Report, SampleInfo, VariantOut

GLYPHS = {"present": "●", "absent": "○", "not_assessed": "?", "filtered": "F"}
GLYPH_STYLE = {"present": "bold", "absent": "dim", "not_assessed": "yellow", "filtered": "red"}
CALL_STYLE = {"sensitive": "bold green", "resistant": "bold red", "reduced": "yellow",
              "no_effect": "dim", "unknown": "dim", "heterogeneous": "bold magenta"}
LEGEND = "● present   ○ absent (enough depth)   ? not assessed   F filtered   - no data"
_LABEL_WIDTH = 28


# Short column headers keep the table inside 80 columns; the key below spells them out.
CLASS_HEADERS = {"rapalog": "rapalog", "torki": "torki", "dual_pi3k_mtor": "dual",
                 "rapalink": "rapalink"}
CLASS_KEY = "dual = dual_pi3k_mtor (dual PI3K/mTOR inhibitor)"


MATRIX_ROWS = 40  # a console summary, not the report: the rest is in the output file


def shown_variants(report: Report, limit: int = MATRIX_ROWS) -> list[VariantOut]:
    """At most ``limit`` variants, those matching a rule first, kept in genomic order."""
    if len(report.variants) <= limit:
        return list(report.variants)
    order = {v.id: i for i, v in enumerate(report.variants)}
    ranked = sorted(report.variants, key=lambda v: (not v.matches, order[v.id]))[:limit]
    return sorted(ranked, key=lambda v: order[v.id])


def print_report(report: Report, console: Console) -> None:
    """Print the summary lines, the prediction table and the presence matrix."""
    for line in summary_lines(report):
        console.print(line, highlight=False)
    if report.regions:
        console.print(prediction_table(report, console.width))
        for line in _notes_below(report, console.width):
            console.print(line, highlight=False, overflow="fold")
    if report.variants:
        console.print(presence_matrix(report, console.width))
        hidden = len(report.variants) - len(shown_variants(report))
        if hidden > 0:
            console.print(f"... {hidden} more variant(s) not shown (rule matches are shown "
                          "first); all are in the report", style="dim", highlight=False)
        console.print(LEGEND, style="dim", highlight=False)


def _call_text(call: str) -> Text:
    return Text(call, style=CALL_STYLE.get(call, ""))


def _label(region: RegionOut) -> str:
    return region.sample if region.region in (None, region.sample) else (
        f"{region.sample} ({region.region})")


def _notes(region: RegionOut) -> str:
    notes = [f"{g} {s}" for g, s in sorted(region.second_hit.items())]
    notes += list(region.phenotype_matches)
    uncertain = sorted({v for c in region.predictions.values() for v in c.uncertain_because})
    if uncertain:
        notes.append(f"uncertain: {len(uncertain)} variant(s) not assessed")
    return ", ".join(notes)


def _call_width(report: Report, cls: DrugClass) -> int:
    calls: list[str] = [r.predictions[cls].call for r in report.regions if cls in r.predictions]
    if cls in report.tumor.predictions:
        calls.append(report.tumor.predictions[cls].call)
    return max((len(c) for c in calls), default=1)


def _table_width(report: Report, with_notes: bool) -> int:
    """Width the prediction table needs with every cell whole (box: 3 per column + 1)."""
    columns: list[list[str]] = [["sample", "TUMOUR", *(_label(r) for r in report.regions)]]
    for cls in DRUG_CLASSES:
        calls: list[str] = [r.predictions[cls].call for r in report.regions if cls in r.predictions]
        if cls in report.tumor.predictions:
            calls.append(report.tumor.predictions[cls].call)
        columns.append([CLASS_HEADERS[cls], "-", *calls])
    if with_notes:
        columns.append(["notes", *(_notes(r) for r in report.regions)])
    return sum(max(len(cell) for cell in col) + 3 for col in columns) + 1


def _notes_in_table(report: Report, width: int | None) -> bool:
    if not any(_notes(r) for r in report.regions):
        return False
    return width is None or _table_width(report, with_notes=True) <= width


def _notes_below(report: Report, width: int | None) -> list[str]:
    """Notes that did not fit in the table, one line per region."""
    if _notes_in_table(report, width):
        return []
    return [f"{_label(r)}: {_notes(r)}" for r in report.regions if _notes(r)]


def prediction_table(report: Report, width: int | None = None) -> Table:
    """Rows: tumour samples, then the tumour verdict; columns: drug classes (+ notes if they
    fit in ``width``; otherwise ``print_report`` lists them under the table)."""
    notes = _notes_in_table(report, width)
    table = Table(title="Predicted response per region", title_justify="left",
                  caption=CLASS_KEY, caption_justify="left")
    table.add_column("sample", overflow="fold")  # a long name wraps; the calls never do
    for cls in DRUG_CLASSES:
        table.add_column(CLASS_HEADERS[cls], no_wrap=True, min_width=_call_width(report, cls))
    if notes:
        table.add_column("notes")
    for region in report.regions:
        calls = [_call_text(region.predictions[c].call) if c in region.predictions
                 else Text("-") for c in DRUG_CLASSES]
        table.add_row(_label(region), *calls, *([_notes(region)] if notes else []))
    if report.tumor.predictions:
        table.add_section()
        table.add_row(Text("TUMOUR", style="bold"),
                      *(_call_text(report.tumor.predictions[c].call)
                        if c in report.tumor.predictions else Text("-") for c in DRUG_CLASSES),
                      *([""] if notes else []))
    return table


def variant_label(variant: VariantOut) -> str:
    change = variant.hgvs_p or variant.hgvs_c or f"{variant.ref}>{variant.alt}"
    return f"{variant.gene or variant.chrom + ':' + str(variant.pos)} {change}"


def _glyph(variant: VariantOut, sample: str) -> Text:
    obs = variant.observations.get(sample)
    if obs is None:
        return Text("-", style="dim")
    return Text(GLYPHS[obs.state], style=GLYPH_STYLE[obs.state])


def presence_matrix(report: Report, width: int) -> Table:
    """Variant × sample presence with clonality; compact when the samples do not fit."""
    samples = list(report.samples)
    wide = _matrix_width(report) <= width
    table = Table(title="Variants per sample", title_justify="left",
                  caption=None if wide else _sample_key(samples), caption_justify="left")
    table.add_column("variant", no_wrap=True, max_width=_LABEL_WIDTH)
    table.add_column("clonality", no_wrap=True)
    if wide:
        for sample in samples:
            name = sample.name + (" (N)" if sample.role == "normal" else "")
            table.add_column(name, justify="center", no_wrap=True)
    else:
        table.add_column("samples 1..n", no_wrap=True)
    for variant in shown_variants(report):
        cells = [_glyph(variant, s.name) for s in samples]
        row = cells if wide else [Text(" ").join(cells) if len(samples) < 30
                                  else Text("").join(cells)]
        table.add_row(variant_label(variant), variant.clonality, *row)
    return table


def _matrix_width(report: Report) -> int:
    """Width of the wide matrix with whole cells (box: 3 per column + 1)."""
    label = min(_LABEL_WIDTH, max((len(variant_label(v)) for v in report.variants), default=7))
    clonality = max((len(v.clonality) for v in report.variants), default=9)
    names = [len(s.name) + (4 if s.role == "normal" else 0) for s in report.samples]
    return max(label, 7) + 3 + max(clonality, 9) + 3 + sum(n + 3 for n in names) + 1


def _sample_key(samples: list[SampleInfo]) -> str:
    return "samples: " + " ".join(
        f"{i}={s.name}{'(N)' if s.role == 'normal' else ''}" for i, s in enumerate(samples, 1))


def summary_lines(report: Report) -> list[str]:
    """A few plain lines: what was read, what works everywhere, what resists where."""
    tumours = [s.name for s in report.samples if s.role == "tumor"]
    normals = [s.name for s in report.samples if s.role == "normal"]
    clonal = Counter(v.clonality for v in report.variants)
    lines = [
        f"mtorvar: {len(tumours)} tumour sample(s)"
        + (f", normal {', '.join(normals)}" if normals else ", no normal")
        + f"; {len(report.variants)} variant(s) in MTOR/TSC1/TSC2/PIK3CA/KRAS"
        + (" (" + ", ".join(f"{n} {c}" for c, n in sorted(clonal.items())) + ")"
           if report.variants else ""),
    ]
    effective = report.tumor.effective_in_all_samples
    lines.append("predicted effective in every tumour sample: "
                 + (", ".join(effective) if effective else "none"))
    if report.tumor.resistant_subclones:
        labels = {v.id: variant_label(v) for v in report.variants}
        lines.append("resistant subclones: " + ", ".join(
            f"{labels[i]} ({i})" if i in labels else i for i in report.tumor.resistant_subclones))
    hetero = [c for c, t in report.tumor.predictions.items() if t.call == "heterogeneous"]
    if hetero:
        lines.append("heterogeneous across samples: " + ", ".join(hetero))
    if report.warnings:
        lines.append(f"{len(report.warnings)} warning(s); see the report's 'warnings'")
    return lines


def print_warnings(report: Report, console: Console) -> None:
    """``--verbose``: every report-level and per-variant warning, one per line."""
    for warning in report.warnings:
        console.print(f"warning: {warning}", highlight=False, overflow="fold", markup=False)
    for variant in report.variants:
        for warning in variant.warnings:
            console.print(f"warning: {variant_label(variant)} ({variant.id}): {warning}",
                          highlight=False, overflow="fold", markup=False)
        if variant.skipped:
            console.print(f"skipped: {variant.id}: {variant.skipped}", highlight=False,
                          overflow="fold", markup=False)
