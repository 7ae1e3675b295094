"""Split records into one ``Allele`` per ALT, and join phased SNVs that share a codon.

Alleles that cannot be annotated (``*``, symbolic, breakends, gVCF blocks, ambiguous bases)
are kept with a ``skip_reason`` so the report can say why, instead of crashing or vanishing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from mtorvar.models.base import Build
from mtorvar.models.variant import Allele, AlleleCall
from mtorvar.models.vcf import SampleCall, VcfRecord

_BASES = re.compile(r"^[ACGT]+$")
_BREAKEND = re.compile(r"[\[\]]|^\.[A-Za-z]+$|^[A-Za-z]+\.$")
_GVCF_PLACEHOLDERS = ("<NON_REF>", "<*>")


def skip_reason(ref: str, alt: str, alts: Sequence[str]) -> str | None:
    """Why an ALT cannot be annotated, or None when it is a plain sequence change."""
    real = [a for a in alts if a not in _GVCF_PLACEHOLDERS and a not in (".", "")]
    if alt in (".", "") or (alt in _GVCF_PLACEHOLDERS and not real):
        return "gVCF reference block or reference-only site (no ALT allele)"
    if alt in _GVCF_PLACEHOLDERS:
        return f"gVCF placeholder allele {alt} (not a variant)"
    if alt == "*":
        return "spanning-deletion allele '*' (the deletion itself is reported at its own record)"
    if alt.startswith("<"):
        return f"symbolic allele {alt[:30]} (structural variant; not annotated)"
    if _BREAKEND.search(alt):
        return f"breakend allele {alt[:30]} (structural variant; not annotated)"
    upper_ref, upper_alt = ref.upper(), alt.upper()
    if not _BASES.match(upper_ref):
        bad = sorted({c for c in upper_ref if c not in "ACGT"})
        kind = "N (unknown base)" if bad == ["N"] else f"ambiguity code(s) {''.join(bad)}"
        return f"REF contains {kind}; cannot annotate"
    if not _BASES.match(upper_alt):
        return f"ALT {alt[:30]} contains non-ACGT bases; cannot annotate"
    if upper_ref == upper_alt:
        return "ALT equals REF"
    return None


def _haplotypes(gt: tuple[int | None, ...] | None, index: int) -> tuple[int, ...]:
    return tuple(h for h, a in enumerate(gt or ()) if a == index)


def _pgt(text: str | None) -> tuple[int | None, ...] | None:
    """GATK PGT '0|1' as allele indices (only when phased)."""
    if not text or "|" not in text:
        return None
    out: list[int | None] = []
    for part in text.split("|"):
        out.append(int(part) if part.isdecimal() else None)
    return tuple(out)


def allele_call(sample: SampleCall, index: int) -> AlleleCall:
    """One sample's evidence for ALT number ``index`` (1-based)."""
    carries = None if sample.gt is None else index in sample.gt
    depths = sample.allele_depths
    alt_reads = depths[index] if depths is not None and len(depths) > index else None
    known = [d for d in depths or () if d is not None]
    depth: int | None = sum(known) if known else None
    source = sample.depth_source
    if depth is None and sample.depth is not None:
        depth, source = sample.depth, "DP"
    vaf: float | None = None
    if alt_reads is not None and depth:
        vaf = alt_reads / depth
    elif sample.allele_freqs is not None and len(sample.allele_freqs) >= index:
        vaf = sample.allele_freqs[index - 1]
        source = source or "AF"
    phased_gt = sample.gt if sample.phased else _pgt(sample.phase_gt)
    phased = phased_gt is not None and (sample.phased or sample.phase_set is not None)
    return AlleleCall(
        carries=carries, alt_reads=alt_reads, depth=depth, vaf=vaf, depth_source=source,
        phase_set=sample.phase_set, phased=phased, sample_filter=sample.sample_filter,
        allele_on_haplotype=_haplotypes(phased_gt, index) if phased else (),
    )


def split_record(record: VcfRecord, contig: str) -> list[Allele]:
    """One Allele per ALT (a record with no ALT gives one skipped Allele)."""
    alts = record.alts or (".",)
    out: list[Allele] = []
    for index, alt in enumerate(alts, start=1):
        out.append(Allele(
            chrom=record.chrom, contig=contig, pos=record.pos, ref=record.ref, alt=alt,
            allele_index=index, id=record.id, filters=record.filters, source=record.source,
            record_no=record.record_no,
            calls=tuple(allele_call(s, index) for s in record.samples),
            info=dict(record.info),
            skip_reason=skip_reason(record.ref, alt, record.alts),
        ))
    return out


# ----------------------------------------------------------------------------- phased codons
def _is_snv(a: Allele) -> bool:
    return a.skip_reason is None and len(a.ref) == 1 and len(a.alt) == 1


def _phase_relation(a: Allele, b: Allele) -> str:
    """'cis' (phased together somewhere, never apart), 'trans', or 'unknown'."""
    cis = trans = False
    for ca, cb in zip(a.calls, b.calls, strict=False):
        if not (ca.carries and cb.carries):
            continue
        if ca.phased and cb.phased and ca.phase_set == cb.phase_set:
            if set(ca.allele_on_haplotype) & set(cb.allele_on_haplotype):
                cis = True
            else:
                trans = True
    if trans:
        return "trans"
    return "cis" if cis else "unknown"


def _merged_call(ca: AlleleCall, cb: AlleleCall) -> AlleleCall:
    """Reads supporting both changes: at most the smaller count (a conservative estimate)."""
    alts = [x for x in (ca.alt_reads, cb.alt_reads) if x is not None]
    depths = [x for x in (ca.depth, cb.depth) if x is not None]
    alt_reads = min(alts) if alts else None
    depth = min(depths) if depths else None
    vafs = [x for x in (ca.vaf, cb.vaf) if x is not None]
    vaf = alt_reads / depth if alt_reads is not None and depth else (min(vafs) if vafs else None)
    carries = None if ca.carries is None or cb.carries is None else ca.carries and cb.carries
    return ca.model_copy(update={"carries": carries, "alt_reads": alt_reads, "depth": depth,
                                 "vaf": vaf})


def _merge(group: list[Allele], build: Build) -> Allele | None:
    """One MNV allele spanning the group's positions (None when a middle base is unknown)."""
    from mtorvar.genome.sequence import bundled

    group = sorted(group, key=lambda a: a.pos)
    start, end = group[0].pos, group[-1].pos
    ref = bundled(build).fetch(group[0].contig, start, end)
    if ref is None or len(ref) != end - start + 1:
        return None
    changes = {a.pos: a for a in group}
    if any(ref[a.pos - start] != a.ref.upper() for a in group):
        return None
    alt = "".join(changes[p].alt.upper() if p in changes else ref[p - start]
                  for p in range(start, end + 1))
    calls = group[0].calls
    for other in group[1:]:
        calls = tuple(_merged_call(x, y) for x, y in zip(calls, other.calls, strict=False))
    first = group[0]
    ids = [a.id for a in group if a.id]
    failed = tuple(dict.fromkeys(f for a in group for f in a.filters if f != "PASS"))
    filters = failed or (("PASS",) if any(a.filters for a in group) else ())
    return first.model_copy(update={
        "ref": ref, "alt": alt, "calls": calls, "id": ";".join(ids) or None, "filters": filters,
    })


def _codon_groups(alleles: Sequence[Allele], build: Build) -> dict[tuple[str, str, int],
                                                                    list[int]]:
    from mtorvar.genome.codons import codon_at

    groups: dict[tuple[str, str, int], list[int]] = {}
    for i, a in enumerate(alleles):
        if _is_snv(a):
            hit = codon_at(build, a.contig, a.pos)
            if hit is not None:
                groups.setdefault((a.contig, hit[0], hit[1]), []).append(i)
    return {k: v for k, v in groups.items() if len({alleles[i].pos for i in v}) > 1}


def merge_phased_codons(alleles: Sequence[Allele], build: Build
                        ) -> tuple[list[Allele], list[str]]:
    """Replace SNVs phased together in one codon by one MNV; warn about unphased pairs."""
    out: list[Allele | None] = list(alleles)
    warnings: list[str] = []
    for (_, gene, codon), members in sorted(_codon_groups(alleles, build).items()):
        group = [alleles[i] for i in members]
        names = " and ".join(a.key for a in group)
        if len({a.pos for a in group}) != len(group):
            warnings.append(f"{gene} codon {codon}: {names} include two ALTs at one position; "
                            "annotated separately")
            continue
        relations = {_phase_relation(a, b) for a in group for b in group
                     if a.pos < b.pos}
        if relations != {"cis"}:
            if "trans" not in relations:
                warnings.append(
                    f"{gene} codon {codon}: {names} fall in the same codon but are not phased "
                    "together; annotated separately (the combined amino-acid change may differ)")
            continue
        merged = _merge(group, build)
        if merged is None:
            warnings.append(f"{gene} codon {codon}: {names} are phased in one codon but the "
                            "reference bases between them are unknown; annotated separately")
            continue
        out[members[0]] = merged
        for i in members[1:]:
            out[i] = None
        warnings.append(f"{gene} codon {codon}: phased SNVs {names} annotated together as "
                        f"{merged.key}")
    return [a for a in out if a is not None], warnings
