"""Turn header text and cyvcf2 variants into the plain models (``VcfHeader``, ``VcfRecord``).

Callers write read counts in different FORMAT fields; ``allele_depths`` picks the first usable
one and names it in ``depth_source`` so later stages can say where a VAF came from.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

from mtorvar.models.vcf import SampleCall, VcfHeader, VcfRecord

INFO_KEYS = ("CSQ", "ANN", "BCSQ", "END", "SVTYPE")
META_KEYS = ("normal_sample", "tumor_sample", "fileformat", "source")
_INT_MISSING = -2147483640  # htslib int32 missing / vector-end sentinels are below this
_STRELKA_BASES = {"A": "AU", "C": "CU", "G": "GU", "T": "TU"}
_ATTR = re.compile(r'([A-Za-z_][\w.]*)=("(?:[^"\\]|\\.)*"|[^,>]*)')


# ----------------------------------------------------------------------------- header
def _attrs(line: str) -> dict[str, str]:
    inner = line[line.find("<") + 1:line.rfind(">")]
    return {k: v.strip('"') for k, v in _ATTR.findall(inner)}


def _csq_order(description: str) -> tuple[str, ...] | None:
    if "Format:" not in description:
        return None
    fields = description.split("Format:", 1)[1].strip().strip('"').strip()
    return tuple(f.strip() for f in fields.split("|"))


def _ann_order(description: str) -> tuple[str, ...]:
    text = description.split(":", 1)[1] if ":" in description else description
    return tuple(f.strip().strip("'\" ") for f in text.strip().strip("'\"").split("|"))


def parse_header(lines: Sequence[str], path: str, samples: Sequence[str],
                 indexed: bool = False) -> VcfHeader:
    """Collect the facts later stages need from the ``##`` lines."""
    contigs: dict[str, int | None] = {}
    meta: dict[str, str] = {}
    reference = assembly = None
    csq = ann = None
    has_bcsq = False
    for line in lines:
        if line.startswith("##contig=<"):
            attrs = _attrs(line)
            if "ID" in attrs:
                length = attrs.get("length", "")
                contigs[attrs["ID"]] = int(length) if length.isdecimal() else None
                assembly = assembly or attrs.get("assembly")
        elif line.startswith("##INFO=<"):
            attrs = _attrs(line)
            desc = attrs.get("Description", "")
            if attrs.get("ID") == "CSQ":
                csq = _csq_order(desc)
            elif attrs.get("ID") == "ANN":
                ann = _ann_order(desc)
            elif attrs.get("ID") == "BCSQ":
                has_bcsq = True
        elif line.startswith("##reference="):
            reference = line.split("=", 1)[1].strip()
        elif line.startswith("##assembly="):
            assembly = line.split("=", 1)[1].strip()
        elif "=" in line and line[2:].split("=", 1)[0] in META_KEYS:
            key, value = line[2:].split("=", 1)
            meta[key] = value.strip()
    return VcfHeader(path=path, samples=tuple(samples), contigs=contigs, reference=reference,
                     assembly=assembly, meta=meta, csq_fields=csq, ann_fields=ann,
                     has_bcsq=has_bcsq, indexed=indexed)


# ----------------------------------------------------------------------------- FORMAT values
def _clean(value: Any) -> Any:
    """One FORMAT scalar as Python: None for missing/vector-end/NaN/'.'."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        value = value.strip("\x00")
        return None if value in ("", ".") else value
    if isinstance(value, float) or type(value).__name__.startswith("float"):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else f
    i = int(value)
    return None if i < _INT_MISSING else i


def format_values(variant: Any, key: str, n_samples: int) -> list[list[Any]] | None:
    """Per-sample lists of values for one FORMAT key, or None when absent/unreadable."""
    try:
        arr = variant.format(key)
    except Exception:  # cyvcf2 raises plain Exception on odd types
        return None
    if arr is None:
        return None
    rows: list[list[Any]] = []
    for s in range(n_samples):
        row = arr[s] if s < len(arr) else []
        if isinstance(row, (str, bytes)) or not hasattr(row, "__len__"):
            row = [row]
        if len(row) == 1 and isinstance(_clean(row[0]), str) and "," in str(_clean(row[0])):
            row = str(_clean(row[0])).split(",")
        cleaned = [_clean(v) for v in row]
        while cleaned and cleaned[-1] is None and len(cleaned) > 1 and _is_end(row[-1]):
            cleaned.pop()
            row = row[:-1]
        rows.append(cleaned)
    return rows


def _is_end(raw: Any) -> bool:
    try:
        return int(raw) == -2147483647
    except (TypeError, ValueError):
        return False


def _ints(values: list[Any] | None) -> list[int | None] | None:
    if values is None:
        return None
    out: list[int | None] = []
    for v in values:
        try:
            out.append(None if v is None else int(float(v)))
        except (TypeError, ValueError):
            out.append(None)
    return out


def _percent(value: Any) -> float | None:
    """VarScan FREQ: '25%' or '25,5%'."""
    if value is None:
        return None
    text = str(value).strip().rstrip("%").replace(",", ".")
    try:
        return float(text) / 100.0
    except ValueError:
        return None


def _floats(values: list[Any] | None) -> list[float | None] | None:
    if values is None:
        return None
    out: list[float | None] = []
    for v in values:
        try:
            out.append(None if v is None else float(v))
        except (TypeError, ValueError):
            out.append(None)
    return out


# ----------------------------------------------------------------------------- depths
def allele_depths(fields: dict[str, list[Any]], ref: str, alts: Sequence[str]
                  ) -> tuple[tuple[int | None, ...] | None, str | None]:
    """Read counts per allele (REF first) from whichever caller field is usable."""
    n = 1 + len(alts)
    ad = _ints(fields.get("AD"))
    if ad is not None and len(ad) == n and any(v is not None for v in ad):
        return tuple(ad), "AD"
    rd = _ints(fields.get("RD"))
    if ad is not None and rd and len(ad) == n - 1:  # VarScan: RD ref reads, AD alt reads
        return (rd[0], *ad), "RD/AD"
    strelka = _strelka_snv(fields, ref, alts)
    if strelka is not None:
        return strelka, "AU/CU/GU/TU"
    tar, tir = _ints(fields.get("TAR")), _ints(fields.get("TIR"))
    if tar and tir and n == 2:  # Strelka indel, tier 1
        return (tar[0], tir[0]), "TAR/TIR"
    ro, ao = _ints(fields.get("RO")), _ints(fields.get("AO"))
    if ro and ao is not None and len(ao) == n - 1:  # FreeBayes
        return (ro[0], *ao), "RO/AO"
    return None, None


def _strelka_snv(fields: dict[str, list[Any]], ref: str, alts: Sequence[str]
                 ) -> tuple[int | None, ...] | None:
    if not all(k in fields for k in _STRELKA_BASES.values()):
        return None
    bases = [ref, *alts]
    if not all(b.upper() in _STRELKA_BASES for b in bases):
        return None
    tier1 = {base: _ints(fields[key]) for base, key in _STRELKA_BASES.items()}
    return tuple((tier1[b.upper()] or [None])[0] for b in bases)


def _freqs(fields: dict[str, list[Any]], n_alts: int) -> tuple[float | None, ...] | None:
    for key in ("AF", "FA", "VAF"):
        values = _floats(fields.get(key))
        if values is not None and len(values) == n_alts and any(v is not None for v in values):
            return tuple(values)
    freq = fields.get("FREQ")
    if freq:
        values = [_percent(v) for v in freq]
        if len(values) == n_alts and any(v is not None for v in values):
            return tuple(values)
    return None


def sample_call(fields: dict[str, list[Any]], gt: tuple[tuple[int | None, ...] | None, bool],
                ref: str, alts: Sequence[str]) -> SampleCall:
    depths, source = allele_depths(fields, ref, alts)
    dp = _ints(fields.get("DP"))
    ps = fields.get("PS") or [None]
    pid = fields.get("PID") or [None]
    pgt = fields.get("PGT") or [None]
    ft = fields.get("FT") or [None]
    phase_set = ps[0] if ps[0] is not None else pid[0]
    return SampleCall(
        gt=gt[0], phased=gt[1],
        phase_set=None if phase_set is None else str(phase_set),
        phase_gt=None if pgt[0] is None else str(pgt[0]),
        allele_depths=depths, depth=dp[0] if dp else None,
        allele_freqs=_freqs(fields, len(alts)), depth_source=source,
        sample_filter=None if ft[0] is None else str(ft[0]),
    )


_WANTED = ("AD", "RD", "AU", "CU", "GU", "TU", "TAR", "TIR", "RO", "AO", "DP", "AF", "FA",
           "VAF", "FREQ", "PS", "PID", "PGT", "FT")


def genotypes(variant: Any, n_samples: int, has_gt: bool
              ) -> list[tuple[tuple[int | None, ...] | None, bool]]:
    if not has_gt:
        return [(None, False)] * n_samples
    out: list[tuple[tuple[int | None, ...] | None, bool]] = []
    for entry in variant.genotypes:
        alleles = [a for a in entry[:-1] if a >= -1]
        gt = tuple(None if a < 0 else int(a) for a in alleles)
        out.append((gt if gt and any(a is not None for a in gt) else None, bool(entry[-1])))
    return out


def record_from_variant(variant: Any, record_no: int, source: int, n_samples: int
                        ) -> VcfRecord:
    """Copy what the pipeline needs out of a cyvcf2 Variant (which must not escape io/)."""
    fmt_keys = list(variant.FORMAT or ()) if n_samples else []
    alts = tuple(variant.ALT or ())
    ref = variant.REF or ""
    per_key = {k: format_values(variant, k, n_samples) for k in _WANTED if k in fmt_keys}
    gts = genotypes(variant, n_samples, "GT" in fmt_keys)
    samples = []
    for s in range(n_samples):
        fields = {k: v[s] for k, v in per_key.items() if v is not None}
        samples.append(sample_call(fields, gts[s], ref, alts))
    info: dict[str, str] = {}
    for key in INFO_KEYS:
        try:
            value = variant.INFO.get(key)
        except Exception:  # undefined/mistyped INFO: not needed then
            value = None
        if value is not None and value is not False:
            info[key] = ",".join(map(str, value)) if isinstance(value, tuple) else str(value)
    filt = variant.FILTER
    filters = tuple(filt.split(";")) if filt else ("PASS",) if variant.FILTERS == ["PASS"] else ()
    qual = variant.QUAL
    return VcfRecord(
        source=source, record_no=record_no, chrom=variant.CHROM, pos=variant.POS,
        id=variant.ID or None, ref=ref, alts=alts,
        qual=None if qual is None or math.isnan(qual) else float(qual),
        filters=filters, info=info, samples=tuple(samples),
    )
