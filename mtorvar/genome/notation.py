"""Parse a variant written as HGVS text (for ``mtorvar explain``) into an ``Annotation``.

Accepted: ``GENE:p.…`` in one- or three-letter code (``MTOR:p.F2108L``, ``MTOR:p.Phe2108Leu``,
``TSC2:p.Q1178*``, ``TSC2:p.L1750Afs*25``, ``PIK3CA:p.E469delinsDK``, ``p.E545del``,
``p.K111_L112insQ``, ``p.E545dup``, ``p.*1808Qext*?``, ``p.M1?``, ``p.F2108=``), and ``c.`` on the
gene symbol or its MANE accession (``NM_004958.4:c.6322T>C``), mapped through the transcript
model (GRCh38 coordinates) and annotated like a VCF allele.
"""

from __future__ import annotations

import re

from mtorvar.errors import InputError
from mtorvar.genome.codons import revcomp
from mtorvar.genome.hgvs import ONE_LETTER, ProteinChange, format_protein
from mtorvar.genome.sequence import bundled
from mtorvar.genome.transcripts import TranscriptModel, model_for
from mtorvar.models.base import GENES
from mtorvar.models.variant import Annotation, VariantClass

_HINT = "write GENE:p.F2108L, GENE:p.Phe2108Leu or GENE:c.6322T>C (GENE: MTOR, TSC1, TSC2, " \
        "PIK3CA, KRAS, or its MANE NM_ accession)"
_THREE = re.compile("|".join(sorted((t.capitalize() for t in ONE_LETTER), key=len, reverse=True)))
_AA = r"[A-Z*]"
_P_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern)) for kind, pattern in (
        ("start_lost", r"M1\?"),
        ("synonymous", rf"({_AA})(\d+)="),
        ("extension", r"\*(\d+)([A-Z])ext\*(\d+|\?)"),
        ("frameshift", r"([A-Z])(\d+)([A-Z])?fs(?:\*(\d+|\?))?"),
        ("point", rf"({_AA})(\d+)({_AA})"),
        ("deldup", r"([A-Z])(\d+)(?:_([A-Z])(\d+))?(del|dup)"),
        ("insertion", rf"([A-Z])(\d+)_([A-Z])(\d+)ins({_AA}+)"),
        ("delins", rf"([A-Z])(\d+)(?:_([A-Z])(\d+))?delins({_AA}+)"),
    ))
_C_POS = r"([-*]?\d+)([+-]\d+)?"
_C_PATTERN = re.compile(
    rf"{_C_POS}(?:_{_C_POS})?(?:([ACGT])>([ACGT])|del([ACGT]*)|dup([ACGT]*)|"
    rf"ins([ACGT]+)|delins([ACGT]+))")
_TERMS: dict[str, tuple[tuple[str, ...], VariantClass]] = {
    "missense": (("missense_variant",), "missense"),
    "synonymous": (("synonymous_variant",), "synonymous"),
    "nonsense": (("stop_gained",), "nonsense"),
    "deletion": (("inframe_deletion",), "inframe_deletion"),
    "duplication": (("inframe_insertion",), "inframe_insertion"),
    "insertion": (("inframe_insertion",), "inframe_insertion"),
    "frameshift": (("frameshift_variant",), "frameshift"),
    "extension": (("stop_lost",), "stop_lost"),
    "start_lost": (("start_lost",), "start_lost"),
}


# MANE Select protein accessions, accepted like the NM_ ones for p. notation.
_PROTEIN_ACCESSIONS = {"NP_004949": "MTOR", "NP_000359": "TSC1", "NP_000539": "TSC2",
                       "NP_006209": "PIK3CA", "NP_004976": "KRAS"}
# Shorthand as OncoKB/cBioPortal users type it: "KRAS G12D", "MTOR:F2108L" (one-letter only).
_SHORTHAND = re.compile(r"^([A-Za-z0-9_.]+)(?:\s*:\s*|\s+)(?:p\.)?([A-Za-z*]\d+[A-Za-z*=]+)$")


def _split(text: str) -> tuple[str, str]:
    """(gene or accession, change with its p./c. prefix), accepting common shorthand."""
    short = _SHORTHAND.match(text.strip())
    if short and not short.group(2)[0].isdigit():
        body = short.group(2)
        if re.fullmatch(r"[a-z*]\d+[a-z*=]+", body):  # "f2108l": one-letter code in lower case
            body = body.upper()
        return short.group(1), "p." + body
    gene_part, sep, change = text.strip().partition(":")
    if not sep or not change:
        raise InputError(f"cannot parse variant notation {text!r}", hint=_HINT)
    change = change.strip()
    if change.startswith("p.") and re.fullmatch(r"p\.\(?[a-z*]\d+[a-z*=]+\)?", change):
        change = "p." + change[2:].upper()
    return gene_part, change


def annotation_from_notation(text: str) -> Annotation:
    """``GENE:p.…`` / ``GENE:c.…`` / ``NM_…:c.…`` → Annotation; InputError when not parseable."""
    gene_part, change = _split(text)
    model = model_for("GRCh38", _gene(gene_part, text))
    if change.startswith("p."):
        return _protein(model, change[2:].strip("()"), text)
    if change.startswith("c."):
        return _coding(model, change[2:], text)
    raise InputError(f"cannot parse variant notation {text!r}: expected p. or c.", hint=_HINT)


def _gene(name: str, text: str) -> str:
    upper = name.strip().upper()
    if upper in GENES:
        return upper
    if upper.split(".")[0] in _PROTEIN_ACCESSIONS:
        return _PROTEIN_ACCESSIONS[upper.split(".")[0]]
    for gene in GENES:
        accession = model_for("GRCh38", gene).transcript
        if upper in (accession.upper(), accession.split(".")[0].upper()):
            return gene
    raise InputError(f"{name.strip()!r} in {text!r} is not one of the five genes or their MANE "
                     "transcripts", hint=_HINT)


def _protein(model: TranscriptModel, body: str, text: str) -> Annotation:
    one = _THREE.sub(lambda m: ONE_LETTER[m.group(0).upper()], body)
    for kind, pattern in _P_PATTERNS:
        found = pattern.fullmatch(one)
        if found:
            change = _protein_change(kind, found.groups())
            _check_residues(model, change, text)
            return _annotation_from_change(model, change)
    raise InputError(f"cannot parse protein change in {text!r}", hint=_HINT)


def _protein_change(kind: str, g: tuple[str | None, ...]) -> ProteinChange:
    def n(x: str | None) -> int:
        return int(x) if x else 0

    stop = int(str(g[-1])) if kind in ("extension", "frameshift") and str(g[-1]).isdecimal() \
        else None
    if kind == "start_lost":
        return ProteinChange("start_lost", 1, 1, "M")
    if kind == "synonymous":
        return ProteinChange("synonymous", n(g[1]), n(g[1]), str(g[0]))
    if kind == "extension":
        return ProteinChange("extension", n(g[0]), n(g[0]), "*", str(g[1]), stop)
    if kind == "frameshift":
        return ProteinChange("frameshift", n(g[1]), n(g[1]), str(g[0]), g[2] or "", stop)
    if kind == "point":
        ref, pos, alt = str(g[0]), n(g[1]), str(g[2])
        sub = "synonymous" if ref == alt else "nonsense" if alt == "*" else "missense"
        return ProteinChange(sub, pos, pos, ref, "" if sub == "synonymous" else alt)  # type: ignore[arg-type]
    end_pos = n(g[3]) or n(g[1])
    ref = str(g[0]) + (str(g[2]) if g[2] else "")
    if kind == "deldup":
        return ProteinChange("deletion" if g[4] == "del" else "duplication", n(g[1]), end_pos,
                             ref)
    return ProteinChange(kind, n(g[1]), end_pos, ref, str(g[4]))  # type: ignore[arg-type]


def _check_residues(model: TranscriptModel, change: ProteinChange, text: str) -> None:
    full = model.protein + "*"
    if not 1 <= change.start <= change.end <= len(full):
        raise InputError(f"{text!r}: residue out of range ({model.gene} has {len(full) - 1} aa)",
                         hint=_HINT)
    wanted = [(change.start, change.ref[0])]
    if change.end != change.start:
        wanted.append((change.end, change.ref[-1]))
    for pos, aa in wanted:
        if (change.kind != "frameshift" or aa) and full[pos - 1] != aa:
            raise InputError(f"{text!r}: {model.gene} residue {pos} is {full[pos - 1]}, "
                             f"not {aa}", hint="check the residue and the transcript")


def _annotation_from_change(model: TranscriptModel, change: ProteinChange) -> Annotation:
    from mtorvar.kb.domains import domains_at

    if change.kind == "delins":
        longer = len(change.alt) - (change.end - change.start + 1)
        terms: tuple[str, ...] = ("stop_gained",) if "*" in change.alt else (
            ("missense_variant",) if longer == 0 else ("protein_altering_variant",))
        kind: VariantClass = "nonsense" if "*" in change.alt else (
            "missense" if longer == 0 else "inframe_delins")
    else:
        terms, kind = _TERMS[change.kind]
    if change.kind == "synonymous" and change.ref == "*":
        terms = ("stop_retained_variant",)
    ref_aa = "" if change.kind in ("insertion", "duplication") else change.ref
    alt_aa = {"nonsense": "*", "deletion": "", "synonymous": change.ref,
              "start_lost": ""}.get(change.kind, change.alt)
    if change.kind == "frameshift":
        ref_aa = change.ref[:1]
    return Annotation(
        gene=model.gene, transcript=model.transcript, hgvs_p=format_protein(change),
        hgvs_p3=format_protein(change, three=True), consequence=terms, variant_class=kind,
        domains=domains_at(model.gene, change.start, change.end), protein_start=change.start,
        protein_end=change.end, ref_aa=ref_aa, alt_aa=alt_aa)


def _coding(model: TranscriptModel, body: str, text: str) -> Annotation:
    from mtorvar.genome.consequence import annotate_allele

    found = _C_PATTERN.fullmatch(body)
    if not found:
        raise InputError(f"cannot parse coding change in {text!r}", hint=_HINT)
    c1, off1, c2, off2, ref_b, alt_b, deleted, dupped, inserted, delins = found.groups()
    first = _genomic(model, c1, off1, text)
    last = first if c2 is None else _genomic(model, c2, off2, text)
    low, high = min(first, last), max(first, last)
    orient = (lambda s: s) if model.strand > 0 else revcomp
    seq = bundled("GRCh38")

    def bases(start: int, end: int) -> str:
        known = seq.fetch(model.contig, start, end)
        if not known:
            raise InputError(f"{text!r}: the reference bases there are not bundled",
                             hint="use the protein notation, or annotate a VCF with --reference")
        return known

    if ref_b:
        pos, ref, alt = first, orient(ref_b), orient(alt_b)
        known = seq.fetch(model.contig, pos, pos)
        if known and known != ref:
            raise InputError(f"{text!r}: the transcript has {orient(known)} at c.{c1}"
                             f"{off1 or ''}, not {ref_b}", hint="check the c. position")
    elif deleted is not None or delins is not None:
        anchor = bases(low - 1, high)
        if deleted and orient(deleted) != anchor[1:]:
            raise InputError(f"{text!r}: the deleted bases are {orient(anchor[1:])}",
                             hint="check the c. positions")
        pos, ref = low - 1, anchor
        alt = anchor[0] + (orient(delins) if delins else "")
    elif dupped is not None:
        span = bases(low, high)
        pos, ref, alt = high, span[-1], span[-1] + span
    else:
        if high - low != 1:
            raise InputError(f"{text!r}: an insertion lies between two adjacent positions",
                             hint="write c.123_124insA")
        base = bases(low, low)
        pos, ref, alt = low, base, base + orient(inserted)
    ann = annotate_allele(model.contig, pos, ref, alt, "GRCh38")
    if ann is None:  # pragma: no cover - positions come from the model itself
        raise InputError(f"{text!r} lies outside {model.gene}", hint=_HINT)
    return ann


def _genomic(model: TranscriptModel, c_text: str, offset: str | None, text: str) -> int:
    g = model.tx_to_genomic(model.tx_of_c(c_text))
    if g is None:
        raise InputError(f"{text!r}: c.{c_text} is outside the transcript's exons",
                         hint="use a position inside the transcript")
    return g + model.strand * int(offset or 0)
