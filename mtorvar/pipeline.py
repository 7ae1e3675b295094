"""Orchestration: read → normalise → build → annotate → observe → match → aggregate → report.

Each stage lives in its own module; this one only wires them together and assembles the
``Report``. Nothing here knows about htslib, rules or HTML.
"""

from __future__ import annotations

import hashlib
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from pydantic import Field

from mtorvar import __version__
from mtorvar.engine.merge import MergedInput
from mtorvar.engine.observe import VariantObservations
from mtorvar.errors import BuildError, UsageError
from mtorvar.genome.builds import BuildDecision
from mtorvar.genome.sequence import SequenceSource
from mtorvar.io.samplesheet import CopyNumber, ImportedCcf, TargetInterval
from mtorvar.models.base import Build, DrugClass, Frozen
from mtorvar.models.prediction import Prediction, RuleMatch
from mtorvar.models.report import (
    InputInfo,
    KnowledgeBaseInfo,
    MatchOut,
    Report,
    SampleInfo,
    ToolInfo,
    UpstreamAnnotation,
    VariantOut,
)
from mtorvar.models.variant import Allele, Annotation
from mtorvar.models.vcf import VcfHeader


class AnnotateOptions(Frozen):
    """Everything ``mtorvar annotate`` was asked to do."""

    inputs: tuple[str, ...]
    output: str = "-"
    output_format: Literal["json", "tsv", "vcf", "bcf", "html"] = "json"
    genome: Literal["auto", "GRCh37", "GRCh38"] = "auto"
    reference: str | None = None
    samples: str | None = None
    normal: str | None = None
    rules_dirs: tuple[str, ...] = ()
    pass_only: bool = False
    use_index: bool = True
    min_alt_reads: int = 3
    min_vaf: float = 0.02
    copy_number: str | None = None
    ccf_import: str | None = None
    targets: str | None = None
    quiet: bool = False
    verbose: bool = False
    command_line: tuple[str, ...] = ()


class InputFile(Frozen):
    """One input after reading and splitting: its header and its in-window alleles."""

    header: VcfHeader
    alleles: tuple[Allele, ...]
    notes: tuple[str, ...] = ()


def file_sha256(path: str) -> str | None:
    """Digest of an input file; None for stdin (it cannot be re-read)."""
    if path == "-":
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class BackgroundDigests:
    """sha256 of every input file, computed on daemon threads while the pipeline runs.

    Hashing reads the whole file, which would make an indexed run cost as much as the genome;
    hashlib releases the GIL, so on a second core the digest is usually ready by the time the
    report is assembled. Daemon threads never delay an error exit.
    """

    def __init__(self, paths: Sequence[str]) -> None:
        self._results: dict[str, str | None] = {}
        self._threads = [
            threading.Thread(target=self._run, args=(p,), daemon=True)
            for p in dict.fromkeys(paths)
            if p != "-"
        ]
        for thread in self._threads:
            thread.start()

    def _run(self, path: str) -> None:
        try:
            self._results[path] = file_sha256(path)
        except OSError:  # unreadable inputs fail in the reader with a proper message
            self._results[path] = None

    def get(self, path: str) -> str | None:
        for thread in self._threads:
            thread.join()
        return self._results.get(path)


def read_input(path: str, source: int, options: AnnotateOptions) -> InputFile:
    """Read one VCF/BCF: fetch or stream the gene windows, split multi-allelic records."""
    from mtorvar.engine.normalise import split_record
    from mtorvar.genome.contigs import canonical_contig
    from mtorvar.genome.transcripts import gene_windows
    from mtorvar.io.vcf_reader import open_vcf
    from mtorvar.report.progress import UPDATE_EVERY, progress_wanted, read_progress

    requested = None if options.genome == "auto" else options.genome
    alleles: list[Allele] = []
    show = progress_wanted(path, options.quiet, sys.stderr)
    with (
        open_vcf(
            path, windows=gene_windows(requested), use_index=options.use_index, source=source
        ) as vcf,
        read_progress(path, show) as tick,
    ):
        header = vcf.header
        for count, record in enumerate(vcf.records, 1):
            if count % UPDATE_EVERY == 0:
                tick(count)
            contig = canonical_contig(record.chrom)
            if contig is not None:
                alleles.extend(split_record(record, contig))
        notes = tuple(f"{path}: {note}" for note in vcf.notes)
    return InputFile(header=header, alleles=tuple(alleles), notes=notes)


def decide_common_build(
    files: Sequence[InputFile], options: AnnotateOptions, reference: SequenceSource | None
) -> BuildDecision:
    """One build for all inputs; inputs that disagree are refused rather than mixed."""
    from mtorvar.genome.builds import decide_build

    decisions = [decide_build(f.header, f.alleles, options.genome, reference) for f in files]
    decided = {d.build for d in decisions if d.build is not None}
    if len(decided) > 1:
        listing = ", ".join(
            f"{f.header.path}: {d.build}" for f, d in zip(files, decisions, strict=True)
        )
        raise BuildError(
            f"the inputs are on different genome builds ({listing})",
            hint="lift them to one build, or run them separately",
        )
    chosen = next((d for d in decisions if d.build is not None), decisions[0])
    notes = tuple(dict.fromkeys(n for d in decisions for n in d.notes))
    return chosen.model_copy(update={"notes": notes})


def annotate_variants(
    alleles: Sequence[Allele], build: Build, reference: SequenceSource | None
) -> list[tuple[Allele, Annotation | None]]:
    """Annotate every allele inside the build's gene windows; drop the rest silently."""
    from mtorvar.genome.consequence import annotate_allele
    from mtorvar.genome.transcripts import models_at

    kept: list[tuple[Allele, Annotation | None]] = []
    for allele in alleles:
        if allele.skip_reason is not None:
            if models_at(build, allele.contig, allele.pos):
                kept.append((allele, None))
            continue
        annotation = annotate_allele(
            allele.contig, allele.pos, allele.ref, allele.alt, build, reference
        )
        if annotation is not None:
            kept.append((allele, annotation))
    return kept


def upstream_for(
    allele: Allele, annotation: Annotation | None, header: VcfHeader
) -> tuple[tuple[UpstreamAnnotation, ...], list[str]]:
    """Parse CSQ/ANN/BCSQ for the allele and compare with the built-in annotation."""
    from mtorvar.genome.upstream import upstream_annotations, with_agreement

    found = upstream_annotations(allele, header)
    if annotation is None:
        return tuple(found), []
    compared, warnings = [], []
    for upstream in found:
        checked, problems = with_agreement(upstream, annotation)
        compared.append(checked)
        warnings.extend(problems)
    return tuple(compared), warnings


class Context(Frozen):
    """Side inputs of one run: sample facts and the tables that refine them."""

    samples: tuple[SampleInfo, ...]
    copy_number: dict[tuple[str, str], CopyNumber] = Field(default_factory=dict)
    imported_ccf: dict[tuple[str, str], ImportedCcf] = Field(default_factory=dict)
    targets: tuple[TargetInterval, ...] | None = None
    warnings: tuple[str, ...] = ()


def load_context(merged: MergedInput, options: AnnotateOptions) -> Context:
    """Sample roles and phenotypes (sheet, --normal, header), copy number and targets."""
    from mtorvar.engine.ccf import ccf_warnings
    from mtorvar.engine.samples import resolve_samples
    from mtorvar.io.samplesheet import (
        read_clonal_import,
        read_copy_number,
        read_samplesheet,
        read_targets,
    )

    sheet = read_samplesheet(options.samples) if options.samples else []
    samples, warnings = resolve_samples(
        merged.samples, sheet=sheet, normal=options.normal, meta=merged.meta
    )
    copy_number = read_copy_number(options.copy_number) if options.copy_number else {}
    imported = read_clonal_import(options.ccf_import) if options.ccf_import else {}
    if not imported:
        warnings += ccf_warnings(samples, copy_number_given=bool(options.copy_number))
    targets = tuple(read_targets(options.targets)) if options.targets else None
    return Context(
        samples=tuple(samples),
        copy_number=copy_number,
        imported_ccf=imported,
        targets=targets,
        warnings=tuple(warnings),
    )


def observe_variants(
    kept: Sequence[tuple[Allele, Annotation | None]], context: Context, options: AnnotateOptions
) -> list[VariantObservations]:
    """Per-sample state, clonality and (with purity) CCF of every kept allele."""
    from mtorvar.engine.ccf import add_ccf, add_imported_ccf
    from mtorvar.engine.observe import ObserveParams, observe_allele

    params = ObserveParams(
        min_alt_reads=options.min_alt_reads, min_vaf=options.min_vaf, pass_only=options.pass_only
    )
    observed = []
    for allele, annotation in kept:
        obs = observe_allele(allele, context.samples, params)
        gene = annotation.gene if annotation else None
        obs = add_ccf(obs, context.samples, gene, context.copy_number)
        if context.imported_ccf:  # PyClone-VI/CONIPHER values replace the purity estimate
            obs = add_imported_ccf(obs, allele, context.imported_ccf)
        observed.append(obs)
    return observed


def targets_warning(allele: Allele, targets: Sequence[TargetInterval] | None) -> list[str]:
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
    fields: dict[str, object] = {}
    if annotation is not None:
        fields = annotation.model_dump(
            include={
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


def build_report(options: AnnotateOptions) -> Report:
    """Run every stage and assemble the report (nothing is written here)."""
    from mtorvar.engine.aggregate import KbEngine, VariantFacts, aggregate
    from mtorvar.engine.ccf import second_hits_by_sample
    from mtorvar.engine.match import match_variant, variant_predictions
    from mtorvar.engine.merge import merge_inputs
    from mtorvar.engine.normalise import merge_phased_codons
    from mtorvar.kb.loader import load_knowledge_base
    from mtorvar.report.json_report import creation_time

    digests = BackgroundDigests(options.inputs)
    kb = load_knowledge_base(tuple(Path(p) for p in options.rules_dirs))
    reference = open_reference(options.reference)
    files = [read_input(path, i, options) for i, path in enumerate(options.inputs)]
    decision = decide_common_build(files, options, reference)
    warnings: list[str] = [n for f in files for n in f.notes] + list(decision.notes)
    per_file: list[tuple[VcfHeader, Sequence[Allele]]] = []
    for f in files:
        alleles: Sequence[Allele] = ()
        if decision.build is not None:
            alleles, phase_warnings = merge_phased_codons(f.alleles, decision.build)
            warnings.extend(phase_warnings)
        per_file.append((f.header, alleles))
    merged = merge_inputs(per_file, same_samples={options.normal} if options.normal else ())
    warnings.extend(merged.warnings)
    context = load_context(merged, options)
    warnings.extend(context.warnings)
    kept = annotate_variants(merged.alleles, decision.build, reference) if decision.build else []
    observed = observe_variants(kept, context, options)
    annotations = [ann for _, ann in kept]
    second_hits, hit_notes = second_hits_by_sample(
        context.samples, [a for a, _ in kept], annotations, observed, context.copy_number
    )
    warnings.extend(hit_notes)
    variants, facts = [], []
    for (allele, ann), obs in zip(kept, observed, strict=True):
        matches = match_variant(ann, kb) if ann is not None else []
        upstream, up_warnings = upstream_for(allele, ann, files[allele.source].header)
        variants.append(
            variant_out(
                allele,
                annotation=ann,
                observed=obs,
                matches=matches,
                predictions=variant_predictions(matches, kb),
                upstream=upstream,
                warnings=up_warnings + targets_warning(allele, context.targets),
            )
        )
        facts.append(
            VariantFacts(
                id=allele.key, annotation=ann, matches=tuple(matches), observations=obs.observations
            )
        )
    regions, tumor = aggregate(context.samples, facts, KbEngine(kb), second_hits)
    return Report(
        tool=ToolInfo(version=__version__),
        created=creation_time(),
        command_line=options.command_line,
        parameters=run_parameters(options),
        knowledge_base=KnowledgeBaseInfo(
            version=kb.version, sha256=kb.sha256, extra_rule_dirs=options.rules_dirs
        ),
        input=input_info(files, decision, digests.get(options.inputs[0])),
        samples=context.samples,
        genes_covered=genes_covered_by(context.targets, decision.build),
        variants=tuple(variants),
        regions=tuple(regions),
        tumor=tumor,
        warnings=tuple(dict.fromkeys(warnings)),
    )


def open_reference(path: str | None) -> SequenceSource | None:
    if path is None:
        return None
    from mtorvar.io.fasta import FastaReference

    return FastaReference(path)


def run_parameters(options: AnnotateOptions) -> dict[str, str | int | float | bool | None]:
    """The options that shape the result, for provenance."""
    return {
        "genome": options.genome,
        "reference": options.reference,
        "samples": options.samples,
        "normal": options.normal,
        "pass_only": options.pass_only,
        "use_index": options.use_index,
        "min_alt_reads": options.min_alt_reads,
        "min_vaf": options.min_vaf,
        "copy_number": options.copy_number,
        "ccf_import": options.ccf_import,
        "targets": options.targets,
        "rules": ",".join(options.rules_dirs) or None,
    }


def input_info(
    files: Sequence[InputFile], decision: BuildDecision, sha256: str | None
) -> InputInfo:
    first = files[0]
    return InputInfo(
        path=first.header.path,
        sha256=sha256,
        paths=tuple(f.header.path for f in files) if len(files) > 1 else (),
        genome_build=decision.build,
        build_evidence=decision.evidence,
        indexed=all(f.header.indexed for f in files),
    )


def write_outputs(report: Report, options: AnnotateOptions) -> None:
    """Write the report whole or not at all (temp file + rename; '-' is stdout)."""
    if options.output_format in ("vcf", "bcf"):
        from mtorvar.io.vcf_writer import write_annotated_vcf

        write_annotated_vcf(list(options.inputs), report, options.output, options.output_format)
        return
    from mtorvar.io.atomic import atomic_output
    from mtorvar.report.formats import render_report

    data = render_report(report, options.output_format)
    with atomic_output(options.output, binary=True) as handle:
        handle.write(data)


def run_and_write(options: AnnotateOptions) -> Report:
    """``mtorvar annotate``: build the report, write it, summarise on stderr."""
    report = build_report(options)
    write_outputs(report, options)
    if not options.quiet:
        from rich.console import Console

        from mtorvar.report.console import print_report, print_warnings

        console = Console(stderr=True, highlight=False)
        print_report(report, console)
        if options.verbose:
            print_warnings(report, console)
    return report


def run_cohort(paths: Sequence[str], output: str, fmt: str) -> None:
    """``mtorvar cohort``: one row per tumour (+ recurrence table beside a TSV file)."""
    from mtorvar.io.atomic import atomic_output
    from mtorvar.report.cohort import (
        cohort_from_files,
        recurrence_path,
        render_cohort_json,
        render_cohort_tsv,
        render_recurrence_tsv,
    )

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
