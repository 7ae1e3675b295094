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
from typing import TYPE_CHECKING

from pydantic import Field

from mtorvar import __version__
from mtorvar.engine.merge import MergedInput
from mtorvar.engine.observe import VariantObservations
from mtorvar.errors import BuildError
from mtorvar.genome.builds import BuildDecision
from mtorvar.genome.sequence import SequenceSource
from mtorvar.io.samplesheet import CopyNumber, ImportedCcf, TargetInterval
from mtorvar.models.base import Build, Frozen
from mtorvar.models.options import AnnotateOptions
from mtorvar.models.report import (
    KnowledgeBaseInfo,
    Report,
    SampleInfo,
    ToolInfo,
    UpstreamAnnotation,
    VariantOut,
)
from mtorvar.models.variant import Allele, Annotation
from mtorvar.models.vcf import VcfHeader

if TYPE_CHECKING:
    from mtorvar.engine.aggregate import VariantFacts
    from mtorvar.kb.loader import KnowledgeBase

__all__ = ["AnnotateOptions", "build_report", "run_and_write"]


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
    """Annotate every allele inside the build's gene windows; drop the rest silently.

    A skipped allele (symbolic, ``*``, gVCF block...) inside a window keeps its gene and a
    warning with the reason, and nothing else: it is reported, never matched by a rule.
    """
    from mtorvar.genome.consequence import annotate_allele
    from mtorvar.genome.transcripts import models_at

    kept: list[tuple[Allele, Annotation | None]] = []
    for allele in alleles:
        if allele.skip_reason is not None:
            hits = models_at(build, allele.contig, allele.pos)
            if hits:
                note = f"not annotated: {allele.skip_reason}"
                kept.append(
                    (
                        allele,
                        Annotation(
                            gene=hits[0].gene, transcript=hits[0].transcript, warnings=(note,)
                        ),
                    )
                )
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


class Prepared(Frozen):
    """Inputs read, build decided, phased codons merged, files merged by site."""

    headers: tuple[VcfHeader, ...]
    decision: BuildDecision
    merged: MergedInput
    warnings: tuple[str, ...] = ()


def prepare_inputs(options: AnnotateOptions, reference: SequenceSource | None) -> Prepared:
    """read → normalise → build decision → phased-codon merge → merge by site."""
    from mtorvar.engine.merge import merge_inputs
    from mtorvar.engine.normalise import merge_phased_codons

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
    return Prepared(
        headers=tuple(f.header for f in files),
        decision=decision,
        merged=merged,
        warnings=(*warnings, *merged.warnings),
    )


def match_variants(
    kept: Sequence[tuple[Allele, Annotation | None]],
    observed: Sequence[VariantObservations],
    prepared: Prepared,
    context: Context,
    kb: KnowledgeBase,
) -> tuple[list[VariantOut], list[VariantFacts]]:
    """Rules per variant, upstream comparison, and the report row of each variant."""
    from mtorvar.engine.aggregate import VariantFacts
    from mtorvar.engine.match import match_variant, variant_predictions
    from mtorvar.report.assemble import targets_warning, variant_out

    variants, facts = [], []
    for (allele, ann), obs in zip(kept, observed, strict=True):
        usable = ann if allele.skip_reason is None else None  # skipped alleles match nothing
        matches = match_variant(usable, kb) if usable is not None else []
        upstream, up_warnings = upstream_for(allele, ann, prepared.headers[allele.source])
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
                id=allele.key,
                annotation=usable,
                matches=tuple(matches),
                observations=obs.observations,
            )
        )
    return variants, facts


def build_report(options: AnnotateOptions) -> Report:
    """Run every stage and assemble the report (nothing is written here)."""
    from mtorvar.engine.aggregate import KbEngine, aggregate
    from mtorvar.engine.ccf import second_hits_by_sample
    from mtorvar.kb.loader import load_knowledge_base
    from mtorvar.report.assemble import genes_covered_by, input_info
    from mtorvar.report.json_report import creation_time

    digests = BackgroundDigests(options.inputs)
    kb = load_knowledge_base(tuple(Path(p) for p in options.rules_dirs))
    reference = open_reference(options.reference)
    prepared = prepare_inputs(options, reference)
    build = prepared.decision.build
    context = load_context(prepared.merged, options)
    kept = annotate_variants(prepared.merged.alleles, build, reference) if build else []
    observed = observe_variants(kept, context, options)
    second_hits, hit_notes = second_hits_by_sample(
        context.samples,
        [a for a, _ in kept],
        [ann for _, ann in kept],
        observed,
        context.copy_number,
    )
    variants, facts = match_variants(kept, observed, prepared, context, kb)
    own_calls = {v.id: {cls: p.call for cls, p in v.predictions.items()} for v in variants}
    regions, tumor = aggregate(context.samples, facts, KbEngine(kb), second_hits, own_calls)
    regions = [r.model_copy(update={"notes": tuple(hit_notes.get(r.sample, ()))}) for r in regions]
    return Report(
        tool=ToolInfo(version=__version__),
        created=creation_time(),
        command_line=options.command_line,
        parameters=options.parameters(),
        knowledge_base=KnowledgeBaseInfo(
            version=kb.version, sha256=kb.sha256, extra_rule_dirs=options.rules_dirs
        ),
        input=input_info(prepared.headers, prepared.decision, digests.get(options.inputs[0])),
        samples=context.samples,
        genes_covered=genes_covered_by(context.targets, build),
        variants=tuple(variants),
        regions=tuple(regions),
        tumor=tumor,
        warnings=tuple(dict.fromkeys((*prepared.warnings, *context.warnings))),
    )


def open_reference(path: str | None) -> SequenceSource | None:
    if path is None:
        return None
    from mtorvar.io.fasta import FastaReference

    return FastaReference(path)


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
