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

from mtorvar.models.base import DRUG_CLASSES
from mtorvar.models.report import Report, SampleInfo, VariantOut

GLYPHS = {"present": "●", "absent": "○", "not_assessed": "?", "filtered": "F"}
GLYPH_STYLE = {"present": "bold", "absent": "dim", "not_assessed": "yellow", "filtered": "red"}
CALL_STYLE = {"sensitive": "bold green", "resistant": "bold red", "reduced": "yellow",
              "no_effect": "dim", "unknown": "dim", "heterogeneous": "bold magenta"}
LEGEND = "● present   ○ absent (enough depth)   ? not assessed   F filtered   - no data"
_LABEL_WIDTH = 28


def print_report(report: Report, console: Console) -> None:
    """Print the summary lines, the prediction table and the presence matrix."""
    for line in summary_lines(report):
        console.print(line, highlight=False)
    if report.regions:
        console.print(prediction_table(report))
    if report.variants:
        console.print(presence_matrix(report, console.width))
        console.print(LEGEND, style="dim", highlight=False)


def _call_text(call: str) -> Text:
    return Text(call, style=CALL_STYLE.get(call, ""))


def prediction_table(report: Report) -> Table:
    """Rows: tumour samples, then the tumour verdict; columns: drug classes."""
    table = Table(title="Predicted response per region", title_justify="left")
    table.add_column("sample", no_wrap=True)
    for cls in DRUG_CLASSES:
        table.add_column(cls, no_wrap=True)
    table.add_column("notes")
    for region in report.regions:
        label = region.sample if region.region in (None, region.sample) else (
            f"{region.sample} ({region.region})")
        notes = [f"{g} {s}" for g, s in sorted(region.second_hit.items())]
        notes += list(region.phenotype_matches)
        uncertain = sorted({v for c in region.predictions.values() for v in c.uncertain_because})
        if uncertain:
            notes.append(f"uncertain: {len(uncertain)} variant(s) not assessed")
        table.add_row(label, *(_call_text(region.predictions[c].call)
                               if c in region.predictions else Text("-")
                               for c in DRUG_CLASSES), ", ".join(notes))
    if report.tumor.predictions:
        table.add_section()
        table.add_row(Text("TUMOUR", style="bold"),
                      *(_call_text(report.tumor.predictions[c].call)
                        if c in report.tumor.predictions else Text("-") for c in DRUG_CLASSES),
                      "")
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
    wide = _LABEL_WIDTH + 14 + 4 * len(samples) <= width
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
    for variant in report.variants:
        cells = [_glyph(variant, s.name) for s in samples]
        row = cells if wide else [Text(" ").join(cells) if len(samples) < 30
                                  else Text("").join(cells)]
        table.add_row(variant_label(variant), variant.clonality, *row)
    return table


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
