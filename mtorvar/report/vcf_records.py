"""What the annotated VCF adds to each input record, built from the ``Report`` (pure, no htslib).

``mtorvar.io.vcf_writer`` copies the input records and asks this module for the header lines
and the per-record INFO/FORMAT values, so the VCF can never say something the report does not.
All INFO fields are ``Number=A``: one value per ALT of the (unsplit) input record, ``.`` for an
ALT the report does not describe.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mtorvar.models.base import DRUG_CLASSES
from mtorvar.models.report import Report, VariantOut

# (ID, Description) of every INFO field, all Number=A Type=String.
INFO_FIELDS: tuple[tuple[str, str], ...] = (
    ("MTORVAR_GENE", "Gene of the ALT allele (MTOR, TSC1, TSC2, PIK3CA or KRAS)"),
    ("MTORVAR_HGVSC", "HGVS coding change on the MANE Select transcript"),
    ("MTORVAR_HGVSP", "HGVS protein change, one-letter amino acids"),
    ("MTORVAR_CSQ", "Sequence Ontology consequences, '&'-separated"),
    ("MTORVAR_RULES", "IDs of the mtorvar rules matched by the ALT, '|'-separated"),
    *((f"MTORVAR_{cls.upper()}",
       f"Predicted response of the {cls} drug class to the ALT "
       "(sensitive, resistant, reduced, no_effect, unknown)")
      for cls in DRUG_CLASSES),
)
INFO_IDS: tuple[str, ...] = tuple(name for name, _ in INFO_FIELDS)
FORMAT_STATE = "MTS"
FORMAT_FIELDS: tuple[tuple[str, str], ...] = (
    (FORMAT_STATE, "mtorvar per-sample state of the ALT (present, absent, not_assessed, "
                   "filtered); '.' when the report has no observation"),
)
MISSING = "."
# VCF 4.3 section 1.2: these must be percent-encoded inside INFO/FORMAT values.
_PERCENT = {c: f"%{ord(c):02X}" for c in "%:;=,\t\n\r "}

SiteKey = tuple[str, int, str]  # chrom, pos, ref as in the input


@dataclass(frozen=True)
class RecordAnnotation:
    """Values to set on one input record: INFO tuples (len = n ALTs) and FORMAT per sample."""

    info: dict[str, tuple[str, ...]]
    sample_states: dict[str, tuple[str, ...]] = field(default_factory=dict)


def vcf_escape(text: str) -> str:
    """Percent-encode the characters VCF forbids in a field value; empty text is missing."""
    if text == "":
        return MISSING
    return "".join(_PERCENT.get(c, c) for c in text)


def _header_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def header_lines(report: Report) -> list[str]:
    """``##INFO``/``##FORMAT`` definitions plus provenance lines, in a fixed order."""
    lines = [f'##INFO=<ID={name},Number=A,Type=String,Description="{_header_value(desc)}">'
             for name, desc in INFO_FIELDS]
    lines += [f'##FORMAT=<ID={name},Number=A,Type=String,Description="{_header_value(desc)}">'
              for name, desc in FORMAT_FIELDS]
    command = " ".join(report.command_line).replace("\n", " ")
    lines += [
        f"##mtorvar_version={report.tool.version}",
        f"##mtorvar_knowledge_base={report.knowledge_base.version};"
        f"sha256={report.knowledge_base.sha256}",
        f"##mtorvar_genome_build={report.input.genome_build or 'undetermined'}",
        f"##mtorvar_schema_version={report.schema_version}",
    ]
    if command:
        lines.append(f"##mtorvar_command={command}")
    return lines


def index_variants(report: Report) -> dict[SiteKey, dict[str, VariantOut]]:
    """Report variants by input site, then by ALT (the split is the only change to the input)."""
    index: dict[SiteKey, dict[str, VariantOut]] = {}
    for variant in report.variants:
        index.setdefault((variant.chrom, variant.pos, variant.ref), {})[variant.alt] = variant
    return index


def _info_for(variant: VariantOut | None) -> dict[str, str]:
    if variant is None:
        return dict.fromkeys(INFO_IDS, MISSING)
    values = {
        "MTORVAR_GENE": variant.gene or "",
        "MTORVAR_HGVSC": variant.hgvs_c or "",
        "MTORVAR_HGVSP": variant.hgvs_p or "",
        "MTORVAR_CSQ": "&".join(variant.consequence),
        "MTORVAR_RULES": "|".join(m.rule_id for m in variant.matches),
    }
    for cls in DRUG_CLASSES:
        prediction = variant.predictions.get(cls)
        values[f"MTORVAR_{cls.upper()}"] = prediction.call if prediction else ""
    return {key: vcf_escape(value) for key, value in values.items()}


def annotate_record(by_alt: dict[str, VariantOut], alts: tuple[str, ...],
                    samples: tuple[str, ...]) -> RecordAnnotation | None:
    """INFO and FORMAT values for a record with these ALTs; None when no ALT is reported."""
    variants = [by_alt.get(alt) for alt in alts]
    if not any(variants):
        return None
    per_alt = [_info_for(v) for v in variants]
    info = {key: tuple(values[key] for values in per_alt) for key in INFO_IDS}
    states: dict[str, tuple[str, ...]] = {}
    for sample in samples:
        states[sample] = tuple(
            v.observations[sample].state if v is not None and sample in v.observations
            else MISSING
            for v in variants
        )
    return RecordAnnotation(info=info, sample_states=states)
