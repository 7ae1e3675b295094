"""Decide a file's genome build, then check its REF bases, so no file is annotated on the wrong one.

Evidence, strongest first: ``##contig`` lengths; ``##reference``/``##assembly`` text; which
build's bundled sequence the REF bases of the in-gene records match. The REF check is then
repeated against the decided build (or ``--reference``): too many mismatches stop the run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from mtorvar.errors import BuildError
from mtorvar.genome.chromosome_lengths import CHROMOSOMES, HG19_CHRM_LENGTH
from mtorvar.genome.contigs import canonical_contig
from mtorvar.genome.sequence import SequenceSource
from mtorvar.models.base import Build, Frozen
from mtorvar.models.variant import Allele
from mtorvar.models.vcf import VcfHeader

BUILDS: tuple[Build, ...] = ("GRCh37", "GRCh38")
_TEXT_PATTERNS: dict[Build, re.Pattern[str]] = {
    "GRCh37": re.compile(r"grch37|hg19|(?<![a-z0-9])b37(?![0-9])|hs37|g1k_v37|ncbi37", re.I),
    "GRCh38": re.compile(r"grch38|hg38|(?<![a-z0-9])b38(?![0-9])|hs38|ncbi38", re.I),
}
# The REF check stops a run when more than this share of checkable records disagree (and at
# least two do), or when every checkable record disagrees and there are only a few.
MISMATCH_SHARE = 0.10
FEW = 3
_LENGTHS: dict[Build, dict[str, int]] = {
    b: {name: length for name, _, _, length in rows} for b, rows in CHROMOSOMES.items()  # type: ignore[misc]
}


class BuildDecision(Frozen):
    build: Build | None
    evidence: str
    notes: tuple[str, ...] = ()


class RefTally(Frozen):
    checked: int = 0
    mismatched: int = 0
    examples: tuple[str, ...] = ()

    @property
    def matched(self) -> int:
        return self.checked - self.mismatched


# ----------------------------------------------------------------------------- evidence
def build_from_contigs(header: VcfHeader) -> tuple[Build | None, str | None, list[str]]:
    """(build, evidence, notes) from ``##contig`` lengths of primary chromosomes."""
    votes: dict[Build, int] = {"GRCh37": 0, "GRCh38": 0}
    notes: list[str] = []
    hg19 = False
    for name, length in header.contigs.items():
        canon = canonical_contig(name)
        if canon is None or length is None:
            continue
        if canon == "MT":
            if length == HG19_CHRM_LENGTH:
                hg19 = True
            continue  # rCRS MT is the same length in both builds
        for build in BUILDS:
            if _LENGTHS[build].get(canon) == length:
                votes[build] += 1
    if hg19:
        votes["GRCh37"] += 1
        notes.append("hg19-style contigs (chrM of 16,571 bp): treated as GRCh37, which has the "
                     "same coordinates for MTOR, TSC1, TSC2, PIK3CA and KRAS")
    if votes["GRCh37"] and votes["GRCh38"]:
        raise BuildError(
            f"##contig lengths match GRCh37 for {votes['GRCh37']} and GRCh38 for "
            f"{votes['GRCh38']} chromosomes", file=header.path,
            hint="the header mixes builds; fix the header or pass --genome")
    for build in BUILDS:
        if votes[build]:
            return build, f"##contig lengths of {votes[build]} chromosome(s) match {build}", notes
    return None, None, notes


def build_from_text(header: VcfHeader) -> tuple[Build | None, str | None]:
    """(build, evidence) from ``##reference``/``##assembly`` names such as hs37d5 or hg38."""
    for label, text in (("##reference", header.reference), ("##assembly", header.assembly)):
        if not text:
            continue
        hits = [b for b in BUILDS if _TEXT_PATTERNS[b].search(text)]
        if len(hits) == 1:
            return hits[0], f"{label} names {hits[0]} ({text[:80]})"
    return None, None


def ref_tally(alleles: Sequence[Allele], build: Build,
              reference: SequenceSource | None = None) -> RefTally:
    """How many checkable REF alleles agree with a build's sequence (or ``reference``)."""
    from mtorvar.genome.sequence import ref_matches

    checked = mismatched = 0
    examples: list[str] = []
    seen: set[tuple[str, int, str]] = set()
    for a in alleles:
        ref = a.ref.upper()
        site = (a.contig, a.pos, ref)
        if site in seen or not ref or set(ref) - set("ACGT"):
            continue
        seen.add(site)
        if reference is not None:
            known = reference.fetch(a.contig, a.pos, a.pos + len(ref) - 1)
            ok = None if not known else known.upper() == ref
        else:
            ok = ref_matches(build, a.contig, a.pos, ref)
        if ok is None:
            continue
        checked += 1
        if not ok:
            mismatched += 1
            if len(examples) < 3:
                examples.append(f"{a.chrom}:{a.pos} REF {a.ref[:10]}")
    return RefTally(checked=checked, mismatched=mismatched, examples=tuple(examples))


def too_many_mismatches(tally: RefTally) -> bool:
    if tally.checked == 0 or tally.mismatched == 0:
        return False
    if tally.checked <= FEW:
        return tally.mismatched == tally.checked
    return tally.mismatched >= 2 and tally.mismatched > MISMATCH_SHARE * tally.checked


def build_from_ref(alleles: Sequence[Allele]) -> tuple[Build | None, str | None]:
    """The one build whose sequence the REF bases fit (and the other does not)."""
    tallies = {b: ref_tally(alleles, b) for b in BUILDS}
    fits = [b for b in BUILDS if tallies[b].checked and not too_many_mismatches(tallies[b])
            and tallies[b].mismatched <= MISMATCH_SHARE * tallies[b].checked]
    if len(fits) != 1:
        return None, None
    build = fits[0]
    other = tallies["GRCh38" if build == "GRCh37" else "GRCh37"]
    if other.checked and other.matched >= tallies[build].matched:
        return None, None  # the other build fits as well: bases do not discriminate
    t = tallies[build]
    evidence = (f"REF bases of {t.matched}/{t.checked} checkable in-gene records match {build}"
                f" (other build: {other.matched}/{other.checked})")
    return build, evidence


# ----------------------------------------------------------------------------- decision
def decide_build(header: VcfHeader, in_gene_alleles: Sequence[Allele],
                 requested: Literal["auto", "GRCh37", "GRCh38"] = "auto",
                 reference: SequenceSource | None = None) -> BuildDecision:
    """Decide the build and verify REF bases; raise ``BuildError`` rather than guess."""
    contig_build, contig_evidence, notes = build_from_contigs(header)
    if requested != "auto":
        if contig_build is not None and contig_build != requested:
            raise BuildError(
                f"--genome {requested} contradicts the header: {contig_evidence}",
                file=header.path, hint=f"use --genome {contig_build} or --genome auto")
        build: Build | None = requested
        evidence = f"--genome {requested}"
    else:
        build, evidence = _auto(header, in_gene_alleles, contig_build, contig_evidence)
    if build is None:
        return BuildDecision(build=None, evidence=evidence, notes=tuple(notes))
    if build == "GRCh37" and any(a.chrom.lower().startswith("chr") for a in in_gene_alleles):
        note = "'chr' contig names with GRCh37 coordinates (hg19 style): accepted as GRCh37"
        if not any("hg19" in n for n in notes):
            notes.append(note)
    notes.extend(verify_ref(header, in_gene_alleles, build, reference))
    return BuildDecision(build=build, evidence=evidence, notes=tuple(notes))


def _auto(header: VcfHeader, alleles: Sequence[Allele], contig_build: Build | None,
          contig_evidence: str | None) -> tuple[Build | None, str]:
    if contig_build is not None:
        return contig_build, contig_evidence or ""
    text_build, text_evidence = build_from_text(header)
    if text_build is not None:
        return text_build, text_evidence or ""
    ref_build, ref_evidence = build_from_ref(alleles)
    if ref_build is not None:
        return ref_build, ref_evidence or ""
    if not alleles:
        return None, "undecided: no record in the five genes"
    raise BuildError(
        f"cannot decide the genome build: no ##contig lengths or ##reference name, and the REF "
        f"bases of the {len(alleles)} in-gene record(s) do not single out GRCh37 or GRCh38",
        file=header.path, hint="pass --genome GRCh37 or --genome GRCh38")


def verify_ref(header: VcfHeader, alleles: Sequence[Allele], build: Build,
               reference: SequenceSource | None = None) -> list[str]:
    """Stop when REF bases disagree with the decided build beyond the threshold."""
    tally = ref_tally(alleles, build, reference)
    against = "--reference" if reference is not None else f"bundled {build} sequence"
    if too_many_mismatches(tally):
        other: Build = "GRCh38" if build == "GRCh37" else "GRCh37"
        other_tally = ref_tally(alleles, other)
        likely = (f"; they match {other} at {other_tally.matched}/{other_tally.checked}: the "
                  f"file looks like {other}") if other_tally.checked and not \
            too_many_mismatches(other_tally) else ""
        hint = (f"use --genome {other}" if likely else
                "check the file's genome build, or pass --reference with the FASTA it was "
                "called against")
        raise BuildError(
            f"REF bases disagree with the {against} at {tally.mismatched} of {tally.checked} "
            f"checkable in-gene records (e.g. {', '.join(tally.examples)}){likely}",
            file=header.path, hint=hint)
    if tally.mismatched:
        return [f"REF bases disagree with the {against} at {tally.mismatched} of "
                f"{tally.checked} checkable in-gene records ({', '.join(tally.examples)})"]
    return []
