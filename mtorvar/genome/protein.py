"""Protein consequence of a cDNA edit: translate the edited mRNA and compare the proteins.

Comparing whole proteins (not codons) makes indel naming follow the HGVS protein rules by
construction: the common prefix is trimmed first, so deletions and duplications land on the
most C-terminal residue of a repeat, and frameshifts count to the first new stop.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtorvar.genome.codons import translate
from mtorvar.genome.hgvs import ProteinChange
from mtorvar.genome.transcripts import TranscriptModel


@dataclass(frozen=True, slots=True)
class ProteinResult:
    change: ProteinChange
    terms: tuple[str, ...]  # SO terms, most severe first
    frameshift: bool


def protein_change(model: TranscriptModel, t1: int, t2: int, inserted: str) -> ProteinResult:
    """Edit transcript bases ``t1..t2`` (``t2 == t1 - 1``: insertion before ``t1``).

    ``inserted`` is in mRNA orientation. The edit must touch the CDS.
    """
    cs = model.cds_start
    start_codon = (t1 <= cs + 2 and t2 >= cs) if t2 >= t1 else cs < t1 <= cs + 2
    if start_codon or t1 < cs <= t2:
        return ProteinResult(ProteinChange("start_lost", 1, 1, "M"), ("start_lost",), False)
    edited = model.cdna[: t1 - 1] + inserted + model.cdna[t2:]
    ref = model.protein + "*"
    # Codons before the edit are untouched: translate only from the first edited codon on.
    skip = max(0, (t1 - cs) // 3 - 1)
    alt = ref[:skip] + translate(edited[cs - 1 + 3 * skip :], to_stop=True)
    frameshift = (len(inserted) - (t2 - t1 + 1)) % 3 != 0 and t1 <= model.cds_end
    i = _common_prefix(ref, alt)
    if i == len(ref) and len(alt) == len(ref):
        return _synonymous(model, t1, ref)
    if i == len(ref) - 1:  # the stop codon is the first residue changed
        new_stop = len(alt) - 1 - i if alt.endswith("*") else None
        change = ProteinChange("extension", i + 1, i + 1, "*", alt[i], new_stop)
        return ProteinResult(change, _with_fs(("stop_lost",), frameshift), frameshift)
    if not frameshift:  # in frame: a stop right after the edit may be the original one
        return _in_frame(ref, alt, i, (len(inserted) - (t2 - t1 + 1)) // 3)
    if alt[i:i + 1] == "*" or i >= len(alt):  # as VEP: the first new codon is a stop
        change = ProteinChange("nonsense", i + 1, i + 1, ref[i], "*")
        return ProteinResult(change, ("frameshift_variant", "stop_gained"), True)
    new_stop = len(alt) - i if alt.endswith("*") else None
    change = ProteinChange("frameshift", i + 1, i + 1, ref[i], alt[i], new_stop)
    return ProteinResult(change, ("frameshift_variant",), True)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _with_fs(terms: tuple[str, ...], frameshift: bool) -> tuple[str, ...]:
    return ("frameshift_variant", *terms) if frameshift else terms


def _synonymous(model: TranscriptModel, t1: int, ref: str) -> ProteinResult:
    codon = (max(t1, model.cds_start) - model.cds_start) // 3 + 1
    codon = min(codon, len(ref))
    change = ProteinChange("synonymous", codon, codon, ref[codon - 1])
    term = "stop_retained_variant" if ref[codon - 1] == "*" else "synonymous_variant"
    return ProteinResult(change, (term,), False)


def _in_frame(ref: str, alt: str, i: int, net_aa: int) -> ProteinResult:
    ref_rest, alt_rest = ref[i:], alt[i:]
    if not alt.endswith("*") or len(alt) > len(ref) + net_aa:
        # the stop codon was changed with the residues before it: the protein runs on
        change = ProteinChange("delins", i + 1, len(ref), ref_rest, alt_rest)
        return ProteinResult(change, ("stop_lost",), False)
    if len(alt) < len(ref) + net_aa and alt_rest.startswith("*"):  # new stop at the edit
        change = ProteinChange("nonsense", i + 1, i + 1, ref[i], "*")
        return ProteinResult(change, ("stop_gained",), False)
    if len(alt) < len(ref) + net_aa:  # a new stop inside the substituted residues
        ref_core = ref_rest[: max(1, len(alt_rest) - net_aa)]
        change = ProteinChange("delins", i + 1, i + len(ref_core), ref_core, alt_rest)
        return ProteinResult(change, ("stop_gained",), False)
    j = _common_prefix(ref_rest[::-1], alt_rest[::-1])
    j = min(j, len(ref_rest), len(alt_rest))
    ref_core, alt_core = ref_rest[: len(ref_rest) - j], alt_rest[: len(alt_rest) - j]
    start = i + 1
    if not alt_core:
        change = ProteinChange("deletion", start, start + len(ref_core) - 1, ref_core)
        return ProteinResult(change, ("inframe_deletion",), False)
    if not ref_core:
        return ProteinResult(_insertion(ref, i, alt_core), ("inframe_insertion",), False)
    if len(ref_core) == len(alt_core) == 1:
        change = ProteinChange("missense", start, start, ref_core, alt_core)
        return ProteinResult(change, ("missense_variant",), False)
    change = ProteinChange("delins", start, start + len(ref_core) - 1, ref_core, alt_core)
    # As VEP: a length-changing delins is "protein_altering", a same-length one "missense".
    term = "missense_variant" if len(alt_core) == len(ref_core) else "protein_altering_variant"
    return ProteinResult(change, (term,), False)


def _insertion(ref: str, i: int, inserted: str) -> ProteinChange:
    """Residues inserted between ``ref[i-1]`` and ``ref[i]``; a copy of what precedes is a dup."""
    n = len(inserted)
    if i >= n and ref[i - n : i] == inserted:
        return ProteinChange("duplication", i - n + 1, i, inserted, inserted)
    return ProteinChange("insertion", i, i + 1, ref[i - 1] + ref[i], inserted)
