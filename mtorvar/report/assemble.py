"""Assemble report rows from stage outputs (pure: models in, report models out)."""

from __future__ import annotations

from collections.abc import Sequence

from mtorvar.engine.observe import VariantObservations
from mtorvar.genome.builds import BuildDecision
from mtorvar.io.samplesheet import TargetInterval
from mtorvar.models.base import Build, DrugClass
from mtorvar.models.prediction import Prediction, RuleMatch
from mtorvar.models.report import InputInfo, MatchOut, UpstreamAnnotation, VariantOut
from mtorvar.models.variant import Allele, Annotation
from mtorvar.models.vcf import VcfHeader

# Annotation fields a report row carries as they are.
ANNOTATION_FIELDS = frozenset(
    {
        "gene",
        "transcript",
        "hgvs_g",
        "hgvs_c",
        "hgvs_p",
        "hgvs_p3",
        "consequence",
        "variant_class",
        "domains",
        "protein_start",
        "protein_end",
        "exon",
        "intron",
        "normalised",
    }
)


def targets_warning(allele: Allele, targets: Sequence[TargetInterval] | None) -> list[str]:
    """A warning when --targets was given and the variant lies outside every target."""
    from mtorvar.io.samplesheet import covers

    if targets is None or covers(
        list(targets), allele.contig, allele.pos, allele.pos + len(allele.ref) - 1
    ):
        return []
    return ["position outside --targets: not covered by the panel, states may be unreliable"]


def genes_covered_by(
    targets: Sequence[TargetInterval] | None, build: Build | None
) -> dict[str, bool] | None:
    """{gene: the panel covers any of its coding exons} with --targets."""
    if targets is None or build is None:
        return None
    from mtorvar.genome.transcripts import models
    from mtorvar.io.samplesheet import genes_covered

    spans = [
        (m.gene, m.contig, exon.g_start, exon.g_end) for m in models(build) for exon in m.exons
    ]
    return genes_covered(list(targets), spans)


def variant_out(
    allele: Allele,
    *,
    annotation: Annotation | None,
    observed: VariantObservations,
    matches: Sequence[RuleMatch],
    predictions: dict[DrugClass, Prediction],
    upstream: tuple[UpstreamAnnotation, ...],
    warnings: Sequence[str],
) -> VariantOut:
    """One report row: the input's own coordinates, the annotation, states and matches."""
    fields = annotation.model_dump(include=set(ANNOTATION_FIELDS)) if annotation else {}
    all_warnings = [*(annotation.warnings if annotation else ()), *observed.warnings, *warnings]
    return VariantOut(
        id=allele.key,
        chrom=allele.chrom,
        pos=allele.pos,
        ref=allele.ref,
        alt=allele.alt,
        vcf_id=allele.id,
        filters=allele.filters,
        observations=observed.observations,
        clonality=observed.clonality,
        clonality_counts=observed.clonality_counts,
        matches=tuple(MatchOut(**m.model_dump(exclude={"gene", "variant"})) for m in matches),
        predictions=predictions,
        upstream=upstream,
        skipped=allele.skip_reason,
        warnings=tuple(dict.fromkeys(all_warnings)),
        **fields,
    )


def input_info(
    headers: Sequence[VcfHeader], decision: BuildDecision, sha256: str | None
) -> InputInfo:
    """Provenance of the input(s): path, digest, build and how it was decided."""
    return InputInfo(
        path=headers[0].path,
        sha256=sha256,
        paths=tuple(h.path for h in headers) if len(headers) > 1 else (),
        genome_build=decision.build,
        build_evidence=decision.evidence,
        indexed=all(h.indexed for h in headers),
    )
