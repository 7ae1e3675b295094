"""Consequence of one allele on the MANE Select transcript of its gene (VEP-style SO terms)."""

from __future__ import annotations

import itertools
from functools import cache

from mtorvar.genome.codons import revcomp
from mtorvar.genome.contigs import canonical_contig
from mtorvar.genome.edits import Edit, shift, trim, vcf_style
from mtorvar.genome.hgvs import format_protein
from mtorvar.genome.protein import ProteinResult, protein_change
from mtorvar.genome.sequence import ChainedSequence, SequenceSource, bundled
from mtorvar.genome.transcripts import Location, TranscriptModel, models_at
from mtorvar.models.base import Build
from mtorvar.models.variant import Annotation, VariantClass

# VEP's severity order (most severe first) for the terms this module writes.
SEVERITY = (
    "transcript_ablation", "splice_acceptor_variant", "splice_donor_variant", "stop_gained",
    "frameshift_variant", "stop_lost", "start_lost", "inframe_insertion", "inframe_deletion",
    "missense_variant", "protein_altering_variant", "splice_region_variant",
    "stop_retained_variant", "synonymous_variant", "coding_sequence_variant",
    "5_prime_UTR_variant", "3_prime_UTR_variant", "intron_variant", "upstream_gene_variant",
    "downstream_gene_variant",
)
_CLASS_OF_TERM: dict[str, VariantClass] = {
    "transcript_ablation": "other", "splice_acceptor_variant": "splice",
    "splice_donor_variant": "splice", "stop_gained": "nonsense",
    "frameshift_variant": "frameshift", "stop_lost": "stop_lost", "start_lost": "start_lost",
    "inframe_insertion": "inframe_insertion", "inframe_deletion": "inframe_deletion",
    "missense_variant": "missense", "protein_altering_variant": "inframe_delins",
    "splice_region_variant": "splice_region", "stop_retained_variant": "synonymous",
    "synonymous_variant": "synonymous", "coding_sequence_variant": "other",
    "5_prime_UTR_variant": "utr5", "3_prime_UTR_variant": "utr3", "intron_variant": "intronic",
    "upstream_gene_variant": "upstream", "downstream_gene_variant": "downstream",
}
_ACGT = frozenset("ACGT")


def annotate_allele(  # noqa: PLR0917 - signature fixed by docs/ARCHITECTURE.md
    contig: str, pos: int, ref: str, alt: str, build: Build,
                    reference: SequenceSource | None = None) -> Annotation | None:
    """Annotate one REF>ALT on the gene whose window (±5 kb) holds it; None outside the genes."""
    canon = canonical_contig(contig) or contig
    hits = models_at(build, canon, pos, pos + max(len(ref), 1) - 1)
    if not hits:
        return None
    model = hits[0]
    source: SequenceSource = bundled(build) if reference is None else ChainedSequence(
        reference, bundled(build))
    warnings: list[str] = []
    if not set(ref.upper()) <= _ACGT or not set(alt.upper()) <= _ACGT:
        return Annotation(gene=model.gene, transcript=model.transcript,
                          warnings=(f"allele {ref}>{alt} is not plain A/C/G/T: not annotated",))
    known = source.fetch(canon, pos, pos + len(ref) - 1)
    if known and known.upper() != ref.upper():
        warnings.append(f"REF {ref} does not match the {build} reference ({known}) at "
                        f"{contig}:{pos}")
    return _annotate(model, trim(canon, pos, ref, alt), source, warnings)


def _annotate(model: TranscriptModel, edit: Edit, source: SequenceSource,
              warnings: list[str]) -> Annotation:
    named, determined = shift(edit, model.strand, source)
    placed = _exon_placement(model, edit, named, source)
    on_junction = placed is not None and determined and _touches_no_exon(model, named)
    if placed is not None and on_junction:
        # HGVS names the 3'-most placement, and it lies wholly in the intron (c.363+1dup): a
        # coding protein change beside an intronic name contradicts itself. The change sits on
        # a splice site, so its protein outcome is unknown (p.?, as VariantValidator says; VEP
        # at that placement reports the splice term and no HGVSp). The exonic equivalent is
        # only a guess at the spliced mRNA. Names that keep an exonic base (c.481_481+1ins,
        # c.7632_7634+1del) still get the exonic reading.
        warnings.append(_junction_note(model, placed))
        placed = None
    if placed is not None and not determined:
        # Protein change is known (it only needs the exon); the c. name may sit further 3'.
        named = placed
        warnings.append("3' shifting of this indel reaches the exon end and the intronic bases "
                        "are not known here (give --reference FASTA): hgvs_c is placed at the "
                        "exon end")
    elif not determined:
        warnings.append("3' shifting of this indel needs sequence that is not known here "
                        "(give --reference FASTA): hgvs_c may not be its 3'-most placement "
                        "and no protein change is computed")
    # The protein (and the consequence terms) come from a placement inside the exon when there
    # is one: every placement of an indel in a repeat gives the same spliced mRNA.
    placement = placed if placed is not None else named
    locs = _locations(model, placement)
    fields: dict[str, object] = {"hgvs_c": _hgvs_c(model, named, _locations(model, named),
                                                   source)}
    terms: set[str] = set(_splice_terms(model, placement))
    result = _coding(model, placement, locs) if placed is not None or determined else None
    if result is not None:
        fields.update(_protein_fields(model, result))
        terms.update(result.terms)
    elif determined and _touches_cds(model, placement):
        warnings.append("this change spans an exon/intron boundary of the coding sequence: its "
                        "protein change is not predicted")
    terms.update(_region_terms(model, placement, locs, coding=result is not None))
    ordered = tuple(t for t in SEVERITY if t in terms)
    exon, intron = _numbers(model, locs)
    kind = _variant_class(ordered, fields)
    return Annotation(
        gene=model.gene, transcript=model.transcript, consequence=ordered, variant_class=kind,
        exon=exon, intron=intron, hgvs_g=_hgvs_g(edit, source),
        normalised=_normalised(edit, named, source), warnings=tuple(warnings),
        **fields,
    )


def _exon_placement(model: TranscriptModel, edit: Edit, named: Edit,
                    source: SequenceSource) -> Edit | None:
    """The 3'-most placement of an indel inside an exon, when one of its placements is.

    Searched from the 5'-most placement and from the 3'-most (``named``) one, so the answer
    does not depend on where the caller wrote the indel. Needs exonic bases only (bundled for
    every gene): PIK3CA and KRAS repeats at an exon end are named without intronic sequence.
    """
    if not edit.is_indel:
        return None
    five_prime, _ = shift(edit, -model.strand, source)
    for candidate in (five_prime, named):
        low, high = ((candidate.start - 1, candidate.start) if not candidate.ref
                     else (candidate.start, candidate.end))
        for ex in model.exons:
            if ex.g_start <= low and high <= ex.g_end:
                placed, _ = shift(candidate, model.strand, source, bounds=(ex.g_start, ex.g_end))
                return placed
    return None


def _touches_no_exon(model: TranscriptModel, edit: Edit) -> bool:
    """Are all changed bases (an insertion's two flanks) outside every exon?"""
    low, high = (edit.start - 1, edit.start) if not edit.ref else (edit.start, edit.end)
    return all(high < ex.g_start or low > ex.g_end for ex in model.exons)


def _junction_note(model: TranscriptModel, placed: Edit) -> str:
    """Say what the equivalent placement inside the exon would do, if splicing kept it."""
    result = _coding(model, placed, _locations(model, placed))
    guess = (f" (inside the exon it would read {format_protein(result.change)})"
             if result is not None else "")
    return ("this indel's 3'-most placement, which HGVS names, lies in the intron: it sits on a "
            f"splice site and its protein change is not predicted (p.?){guess}")


def _touches_cds(model: TranscriptModel, edit: Edit) -> bool:
    """Does an edit that is not wholly exonic remove coding bases (it spans a boundary)?"""
    if not edit.ref:
        return False
    for ex in model.exons:
        low, high = max(edit.start, ex.g_start), min(edit.end, ex.g_end)
        if low > high:
            continue
        a, b = model.locate(low).tx, model.locate(high).tx
        if min(a, b) <= model.cds_end and max(a, b) >= model.cds_start:
            return True
    return False


def _locations(model: TranscriptModel, edit: Edit) -> list[Location]:
    """Located affected bases in transcript order (flanks for an insertion)."""
    first, last = (edit.start - 1, edit.start) if not edit.ref else (edit.start, edit.end)
    locs = [model.locate(first), model.locate(last)]
    return locs if model.strand > 0 else locs[::-1]


def _tx_range(model: TranscriptModel, edit: Edit, locs: list[Location]) -> tuple[int, int] | None:
    """Transcript span of an edit lying wholly in exon sequence (t2 = t1 - 1: insertion)."""
    if any(loc.region != "exon" for loc in locs):
        return None
    t1, t2 = locs[0].tx, locs[1].tx
    if not edit.ref:  # insertion between two adjacent transcript bases
        return (t2, t1) if t2 == t1 + 1 else None
    if t2 - t1 + 1 != len(edit.ref):  # spans an intron
        return None
    return t1, t2


def _coding(model: TranscriptModel, edit: Edit, locs: list[Location]) -> ProteinResult | None:
    span = _tx_range(model, edit, locs)
    if span is None:
        return None
    t1, t2 = span
    last = t2 if edit.ref else t1  # an insertion touches the CDS only strictly inside it
    first = t1 if edit.ref else t1 - 1
    if last < model.cds_start or first > model.cds_end or t1 < 1 or t2 > len(model.cdna):
        return None
    if not edit.ref and (t1 - 1 < model.cds_start or t1 > model.cds_end):
        return None
    inserted = edit.alt if model.strand > 0 else revcomp(edit.alt)
    return protein_change(model, t1, t2, inserted)


def _protein_fields(model: TranscriptModel, result: ProteinResult) -> dict[str, object]:
    from mtorvar.kb.domains import domains_at

    change = result.change
    replaced = "" if change.kind in ("insertion", "duplication") else change.ref
    if change.kind in ("frameshift", "extension"):
        replaced = change.ref[:1]
    alt = {"synonymous": change.ref, "nonsense": "*", "deletion": ""}.get(change.kind, change.alt)
    if change.kind == "start_lost":
        alt = ""
    return {"hgvs_p": format_protein(change), "hgvs_p3": format_protein(change, three=True),
            "protein_start": change.start, "protein_end": change.end, "ref_aa": replaced,
            "alt_aa": alt, "domains": domains_at(model.gene, change.start, change.end)}


@cache
def _splice_sites(model: TranscriptModel) -> tuple[tuple[int, int, str], ...]:
    """Genomic (low, high, term) of every splice site and splice region of the transcript."""
    s = model.strand
    out: list[tuple[int, int, str]] = []

    def span(anchor: int, a: int, b: int, term: str) -> None:
        x, y = anchor + s * a, anchor + s * b
        out.append((min(x, y), max(x, y), term))

    for n in range(1, model.n_exons):
        up, down = model.exons[n - 1], model.exons[n]
        up_end = up.g_end if s > 0 else up.g_start
        down_start = down.g_start if s > 0 else down.g_end
        span(up_end, 1, 2, "splice_donor_variant")
        span(up_end, 3, 8, "splice_region_variant")
        span(up_end, -2, 0, "splice_region_variant")  # last 3 exon bases
        span(down_start, -2, -1, "splice_acceptor_variant")
        span(down_start, -8, -3, "splice_region_variant")
        span(down_start, 0, 2, "splice_region_variant")  # first 3 exon bases
    return tuple(out)


def _splice_terms(model: TranscriptModel, edit: Edit) -> set[str]:
    terms: set[str] = set()
    for low, high, term in _splice_sites(model):
        if edit.ref:
            hit = edit.start <= high and edit.end >= low
        else:  # an insertion: inside a 2-bp site, or touching a region
            left, right = edit.start - 1, edit.start
            inside = low <= left and right <= high
            hit = inside if term != "splice_region_variant" else (
                low <= left <= high or low <= right <= high)
        if hit:
            terms.add(term)
    return terms


def _region_terms(model: TranscriptModel, edit: Edit, locs: list[Location], *,
                  coding: bool) -> set[str]:
    if coding:
        return set()
    span = _tx_range(model, edit, locs)
    if span is not None:
        return {_exon_term(model, span[0], span[1])}
    terms: set[str] = set()
    low, high = (edit.start - 1, edit.start) if not edit.ref else (edit.start, edit.end)
    if low <= model.mane_span[0] and high >= model.mane_span[1]:
        return {"transcript_ablation"}
    if _in_intron_body(model, edit):
        terms.add("intron_variant")
    for loc in locs:
        if loc.region == "upstream":
            terms.add("upstream_gene_variant")
        elif loc.region == "downstream":
            terms.add("downstream_gene_variant")
    for ex in model.exons:  # exon parts inside a deletion that spans exon boundaries
        if ex.g_start <= high and ex.g_end >= low and edit.ref:
            a, b = model.locate(max(low, ex.g_start)).tx, model.locate(min(high, ex.g_end)).tx
            terms.add(_exon_term(model, min(a, b), max(a, b)))
    return terms


def _in_intron_body(model: TranscriptModel, edit: Edit) -> bool:
    """As VEP: intron_variant only past the 2-bp donor/acceptor sites (intron +3 .. -3)."""
    for low, high in _introns(model):
        body_low, body_high = low + 2, high - 2
        if edit.ref and edit.start <= body_high and edit.end >= body_low:
            return True
        if not edit.ref and body_low <= edit.start and edit.start - 1 <= body_high:
            return True
    return False


@cache
def _introns(model: TranscriptModel) -> tuple[tuple[int, int], ...]:
    """Genomic (low, high) of each intron."""
    spans = sorted((ex.g_start, ex.g_end) for ex in model.exons)
    return tuple((a[1] + 1, b[0] - 1) for a, b in itertools.pairwise(spans))


def _exon_term(model: TranscriptModel, t1: int, t2: int) -> str:
    if max(t1, t2) < model.cds_start:
        return "5_prime_UTR_variant"
    if min(t1, t2) > model.cds_end:
        return "3_prime_UTR_variant"
    return "coding_sequence_variant"


def _numbers(model: TranscriptModel, locs: list[Location]) -> tuple[str | None, str | None]:
    def fmt(values: list[int], total: int) -> str | None:
        if not values:
            return None
        low, high = min(values), max(values)
        return f"{low}/{total}" if low == high else f"{low}-{high}/{total}"

    exons = [loc.exon for loc in locs if loc.exon is not None]
    introns = [loc.intron for loc in locs if loc.intron is not None]
    return fmt(exons, model.n_exons), fmt(introns, model.n_exons - 1)


def _variant_class(terms: tuple[str, ...], fields: dict[str, object]) -> VariantClass:
    if not terms:
        return "other"
    kind = _CLASS_OF_TERM[terms[0]]
    hgvs_p = fields.get("hgvs_p")
    if isinstance(hgvs_p, str) and "delins" in hgvs_p and kind not in ("nonsense", "stop_lost"):
        ref_aa, alt_aa = str(fields.get("ref_aa") or ""), str(fields.get("alt_aa") or "")
        return "missense" if len(ref_aa) == len(alt_aa) else "inframe_delins"
    return kind


def _hgvs_c(model: TranscriptModel, edit: Edit, locs: list[Location],
            source: SequenceSource) -> str:
    orient = (lambda s: s) if model.strand > 0 else revcomp
    c1, c2 = model.c_of(locs[0]), model.c_of(locs[1])
    span = c1 if c1 == c2 else f"{c1}_{c2}"
    alt = orient(edit.alt)
    kind = edit.kind
    if kind == "snv":
        return f"c.{c1}{orient(edit.ref)}>{alt}"
    if kind in ("mnv", "delins"):
        return f"c.{span}delins{alt}"
    if kind == "deletion":
        return f"c.{span}del"
    n = len(edit.alt)
    before = (edit.start - n, edit.start - 1) if model.strand > 0 else (edit.start,
                                                                      edit.start + n - 1)
    preceding = source.fetch(edit.contig, *before)
    if preceding and orient(preceding.upper()) == alt:
        first, last = (model.locate(p) for p in (before if model.strand > 0 else before[::-1]))
        d1, d2 = model.c_of(first), model.c_of(last)
        return f"c.{d1}dup" if d1 == d2 else f"c.{d1}_{d2}dup"
    return f"c.{c1}_{c2}ins{alt}"


def _hgvs_g(edit: Edit, source: SequenceSource) -> str:
    g, _ = shift(edit, +1, source)
    if g.kind == "snv":
        return f"{g.contig}:g.{g.start}{g.ref}>{g.alt}"
    span = str(g.start) if g.start == g.end else f"{g.start}_{g.end}"
    if g.kind == "deletion":
        return f"{g.contig}:g.{span}del"
    if g.kind == "insertion":
        return f"{g.contig}:g.{g.start - 1}_{g.start}ins{g.alt}"
    return f"{g.contig}:g.{span}delins{g.alt}"


def _normalised(edit: Edit, shifted: Edit, source: SequenceSource) -> str | None:
    if shifted == edit:
        return None
    vcf = vcf_style(shifted, source)
    return None if vcf is None else f"{shifted.contig}:{vcf[0]}:{vcf[1]}>{vcf[2]}"
