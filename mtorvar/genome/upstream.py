"""Upstream annotations already in a VCF (VEP ``CSQ``, SnpEff ``ANN``, bcftools ``BCSQ``).

They are parsed with the field order the header declares, reduced to the MANE Select transcript,
and compared with the built-in result; every disagreement becomes a warning. The built-in
result stays the reported one: upstream tools differ in versions, transcripts and shifting.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import unquote

from mtorvar.models.report import UpstreamAnnotation
from mtorvar.models.variant import Allele, Annotation
from mtorvar.models.vcf import VcfHeader

MANE_REFSEQ = ("NM_004958", "NM_000368", "NM_000548", "NM_006218", "NM_004985")
MANE_ENSEMBL = ("ENST00000361445", "ENST00000298552", "ENST00000219476", "ENST00000263967",
                "ENST00000311936")
_MANE = frozenset(MANE_REFSEQ + MANE_ENSEMBL)
THREE_TO_ONE = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
    "Sec": "U", "Pyl": "O", "Xaa": "X",
}
_THREE = re.compile("|".join(THREE_TO_ONE))
_BCSQ_AA = re.compile(r"^(\d+)([A-Z*]+)(?:>(?:\d+)?([A-Z*]+))?$")
_BCSQ_TERMS = {"missense": "missense_variant", "synonymous": "synonymous_variant",
               "frameshift": "frameshift_variant", "splice_donor": "splice_donor_variant",
               "splice_acceptor": "splice_acceptor_variant", "splice_region":
               "splice_region_variant", "intron": "intron_variant", "5_prime_utr":
               "5_prime_UTR_variant", "3_prime_utr": "3_prime_UTR_variant"}


def _versionless(accession: str | None) -> str:
    return (accession or "").split(".")[0]


def is_mane(transcript: str | None, flags: Sequence[str] = ()) -> bool:
    return _versionless(transcript) in _MANE or any(f for f in flags)


def vep_allele(ref: str, alt: str) -> str:
    """VEP's Allele column: the shared first base of an indel removed, '-' when empty."""
    if len(ref) != len(alt) and ref[:1] == alt[:1]:
        return alt[1:] or "-"
    return alt


def _after_colon(text: str | None) -> str | None:
    if not text:
        return None
    return unquote(text.split(":", 1)[1] if ":" in text else text) or None


# ----------------------------------------------------------------------------- parsers
def parse_csq(allele: Allele, header: VcfHeader) -> UpstreamAnnotation | None:
    fields = header.csq_fields
    text = allele.info.get("CSQ")
    if not fields or not text:
        return None
    candidates = {allele.alt, vep_allele(allele.ref, allele.alt)}
    for entry in text.split(","):
        row = dict(zip(fields, entry.split("|"), strict=False))
        num = row.get("ALLELE_NUM", "")
        if num.isdecimal():
            same = num == str(allele.allele_index)
        else:
            same = row.get("Allele") in candidates
        refseq = [r for r in row.get("RefSeq", "").split("&") if r]
        transcript = row.get("Feature") or None
        mane_ids = [t for t in [transcript, *refseq] if _versionless(t) in _MANE]
        if same and (mane_ids or row.get("MANE_SELECT") or row.get("MANE")):
            return UpstreamAnnotation(
                source="VEP CSQ", transcript=(mane_ids or [transcript])[0],
                hgvs_c=_after_colon(row.get("HGVSc")), hgvs_p=_after_colon(row.get("HGVSp")),
                consequence=tuple(t for t in row.get("Consequence", "").split("&") if t))
    return None


def parse_ann(allele: Allele, header: VcfHeader) -> UpstreamAnnotation | None:
    text = allele.info.get("ANN")
    if not text:
        return None
    fields = header.ann_fields or ("Allele", "Annotation", "Annotation_Impact", "Gene_Name",
                                   "Gene_ID", "Feature_Type", "Feature_ID",
                                   "Transcript_BioType", "Rank", "HGVS.c", "HGVS.p")
    for entry in text.split(","):
        row = dict(zip(fields, (v.strip() for v in entry.split("|")), strict=False))
        if row.get("Allele") not in (allele.alt, vep_allele(allele.ref, allele.alt)):
            continue
        transcript = row.get("Feature_ID") or None
        if is_mane(transcript):
            return UpstreamAnnotation(
                source="SnpEff ANN", transcript=transcript,
                hgvs_c=_after_colon(row.get("HGVS.c")), hgvs_p=_after_colon(row.get("HGVS.p")),
                consequence=tuple(t for t in row.get("Annotation", "").split("&") if t))
    return None


def _bcsq_protein(change: str) -> str | None:
    """bcftools '545E>545K' / '12G>D' / '120L' as one-letter HGVS p."""
    m = _BCSQ_AA.match(change)
    if not m:
        return None
    pos, ref, alt = m.group(1), m.group(2), m.group(3)
    if alt is None or alt == ref:
        return f"p.{ref[0]}{pos}="
    if len(ref) == 1 and len(alt) == 1:
        return f"p.{ref}{pos}{alt}"
    return None  # multi-residue changes: notation differs too much to compare


def parse_bcsq(allele: Allele, header: VcfHeader) -> UpstreamAnnotation | None:
    text = allele.info.get("BCSQ")
    if not text:
        return None
    for entry in text.split(","):
        parts = entry.split("|")
        if entry.startswith("@") or len(parts) < 3 or not is_mane(parts[2]):
            continue
        terms = tuple(_BCSQ_TERMS.get(t.lstrip("*"), t.lstrip("*"))
                      for t in parts[0].split("&") if t)
        protein = _bcsq_protein(parts[5]) if len(parts) > 5 else None
        return UpstreamAnnotation(source="bcftools BCSQ", transcript=parts[2],
                                  hgvs_p=protein, consequence=terms)
    return None


def upstream_annotations(allele: Allele, header: VcfHeader) -> list[UpstreamAnnotation]:
    """Every upstream annotation of this allele on a MANE transcript."""
    found = (parse_csq(allele, header), parse_ann(allele, header), parse_bcsq(allele, header))
    return [u for u in found if u is not None]


# ----------------------------------------------------------------------------- comparison
def one_letter(hgvs_p: str | None) -> str | None:
    """Normalise p. notation: three-letter to one-letter, no parentheses, '%3D' to '='."""
    if not hgvs_p:
        return None
    text = unquote(hgvs_p.strip())
    text = text.split(":", 1)[1] if ":" in text else text
    text = text.replace("(", "").replace(")", "")
    text = _THREE.sub(lambda m: THREE_TO_ONE[m.group(0)], text)
    text = re.sub(r"fs\*?(\?|\d+)?$", lambda m: "fs" + (f"*{m.group(1)}" if m.group(1) and
                                                        m.group(1) != "?" else ""), text)
    return re.sub(r"^p\.([A-Z*])(\d+)\1$", r"p.\1\2=", text)


def _fs_stem(p: str) -> str:
    return p.split("fs", maxsplit=1)[0] + "fs" if "fs" in p else p


def compare(upstream: UpstreamAnnotation, annotation: Annotation) -> list[str]:
    """Warnings for each way the upstream result disagrees with the built-in one."""
    label = f"{upstream.source} ({upstream.transcript})"
    warnings: list[str] = []
    theirs, ours = one_letter(upstream.hgvs_p), one_letter(annotation.hgvs_p)
    if theirs and ours and theirs != ours and _fs_stem(theirs) != _fs_stem(ours):
        warnings.append(f"{label} gives {theirs}, built-in gives {ours}")
    elif theirs and ours and theirs != ours:
        warnings.append(f"{label} gives {theirs}, built-in gives {ours} (frameshift length)")
    up_c, our_c = _after_colon(upstream.hgvs_c), _after_colon(annotation.hgvs_c)
    if up_c and our_c and up_c != our_c:
        warnings.append(f"{label} gives {up_c}, built-in gives {our_c}")
    if upstream.consequence and annotation.consequence and \
            not set(upstream.consequence) & set(annotation.consequence):
        warnings.append(f"{label} consequence {'&'.join(upstream.consequence)} differs from "
                        f"built-in {'&'.join(annotation.consequence)}")
    return warnings


def with_agreement(upstream: UpstreamAnnotation, annotation: Annotation
                   ) -> tuple[UpstreamAnnotation, list[str]]:
    """The upstream record with ``agrees`` filled in, and the disagreement warnings."""
    warnings = compare(upstream, annotation)
    return upstream.model_copy(update={"agrees": not warnings}), warnings
