"""Plain-text side inputs for the heterogeneity stage (DESIGN.md section 4).

* the sample sheet (``--samples``): roles, regions, purity/ploidy and region phenotypes;
* a copy-number TSV: ``sample, gene, total_cn, minor_cn`` (minor optional);
* a targets BED (0-based, half-open) of the panel's sequenced regions;
* clonal-structure imports: PyClone-VI results and CONIPHER input tables.

Every reader raises :class:`~mtorvar.errors.InputError` naming file, line and column with a
hint, so a typo in a sheet never silently changes a prediction.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field

from mtorvar.errors import InputError
from mtorvar.models.base import Frozen

Role = Literal["tumor", "normal"]
PHENOTYPE_VALUES: dict[str, tuple[str, ...]] = {
    "hypoxia": ("yes", "no", "unknown"),
    "acidity": ("yes", "no", "unknown"),
    "ps6": ("high", "low", "unknown"),
    "p4ebp1": ("high", "low", "unknown"),
    # beyond DESIGN.md's list (additive): low ATM keeps mTORC1 active under hypoxia, and the
    # hypoxia rule is written with that exception
    "atm": ("high", "low", "unknown"),
}
SHEET_COLUMNS = ("sample", "region", "role", "purity", "ploidy", "timepoint", *PHENOTYPE_VALUES)
_MISSING = {"", ".", "na", "n/a", "nan", "none"}
_ROLE_ALIASES = {"tumor": "tumor", "tumour": "tumor", "normal": "normal"}
T = TypeVar("T")


class SampleSheetRow(Frozen):
    """One sample sheet line; phenotypes hold only known values (unknown/empty dropped)."""

    sample: str
    line: int
    region: str | None = None
    role: Role | None = None
    purity: float | None = None
    ploidy: float | None = None
    timepoint: str | None = None
    phenotypes: dict[str, str] = Field(default_factory=dict)


class CopyNumber(Frozen):
    total_cn: int
    minor_cn: int | None = None

    @property
    def major_cn(self) -> int:
        return self.total_cn - (self.minor_cn or 0)


class TargetInterval(Frozen):
    contig: str  # normalised: no "chr", M -> MT
    start: int  # 0-based
    end: int  # exclusive


class ImportedCcf(Frozen):
    """CCF (and cluster) for one mutation in one sample, from an external tool."""

    ccf: float | None
    ccf_low: float | None = None
    ccf_high: float | None = None
    cluster: str | None = None
    source: str  # "PyClone-VI" | "CONIPHER"


# --- shared table plumbing -------------------------------------------------------------------


def _err(path: str | Path, line: int, message: str, hint: str) -> InputError:
    return InputError(message, file=f"{path}:{line}", hint=hint)


def _rows(path: str | Path) -> Iterator[tuple[int, list[str]]]:
    """Yield (line number, cells) for non-blank, non-comment lines; any line ending works."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}", file=str(path),
                         hint="give a readable UTF-8 text file") from exc
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.startswith(("##", "track", "browser")):
            continue
        if raw.startswith("#") and header_seen:
            continue  # a comment; only the header line may start with '#'
        header_seen = True
        yield number, next(csv.reader([raw], delimiter="\t"))


def _header(path: str | Path, rows: Iterator[tuple[int, list[str]]]) -> list[str]:
    for _number, cells in rows:
        return [c.strip().lstrip("#").strip().lower() for c in cells]
    raise InputError("empty table: no header line", file=str(path),
                     hint="the first line must name the columns (tab-separated)")


def _cell(cells: list[str], index: int | None) -> str | None:
    if index is None or index >= len(cells):
        return None
    value = cells[index].strip()
    return None if value.lower() in _MISSING else value


def _number(path: str | Path, line: int, column: str, text: str | None, *,
            convert: Callable[[str], T], ok: Callable[[T], bool], hint: str) -> T | None:
    if text is None:
        return None
    try:
        value = convert(text)
    except ValueError:
        value = None
    if value is None or (isinstance(value, float) and math.isnan(value)) or not ok(value):
        raise _err(path, line, f"column {column!r}: bad value {text!r}", hint)
    return value


# --- sample sheet ----------------------------------------------------------------------------


def read_samplesheet(path: str | Path) -> list[SampleSheetRow]:
    """Read ``--samples``: a TSV with a header; only ``sample`` is required."""
    rows = _rows(path)
    header = _header(path, rows)
    unknown = [c for c in header if c not in SHEET_COLUMNS]
    if unknown:
        raise _err(path, 1, f"unknown column {unknown[0]!r}",
                   f"allowed columns: {', '.join(SHEET_COLUMNS)}")
    if "sample" not in header:
        raise _err(path, 1, "no 'sample' column", "the header must contain 'sample'")
    index = {name: header.index(name) for name in header}
    out: list[SampleSheetRow] = []
    seen: dict[str, int] = {}
    for line, cells in rows:
        row = _sheet_row(path, line, cells, index)
        if row.sample in seen:
            raise _err(path, line, f"sample {row.sample!r} listed twice (first on line "
                       f"{seen[row.sample]})", "list each sample once")
        seen[row.sample] = line
        out.append(row)
    return out


def _sheet_row(path: str | Path, line: int, cells: list[str], index: dict[str, int]
               ) -> SampleSheetRow:
    def get(column: str) -> str | None:
        return _cell(cells, index.get(column))

    sample = get("sample")
    if sample is None:
        raise _err(path, line, "column 'sample' is empty", "every line needs a sample name")
    role_text = get("role")
    role = _ROLE_ALIASES.get(role_text.lower()) if role_text else None
    if role_text and role is None:
        raise _err(path, line, f"column 'role': bad value {role_text!r}", "use tumor or normal")
    purity = _number(path, line, "purity", get("purity"), convert=float, ok=lambda v: 0 < v <= 1,
                     hint="purity is a fraction in (0, 1], e.g. 0.6")
    ploidy = _number(path, line, "ploidy", get("ploidy"), convert=float, ok=lambda v: 0 < v <= 10,
                     hint="ploidy is a positive number, e.g. 2.0")
    phenotypes: dict[str, str] = {}
    for column, allowed in PHENOTYPE_VALUES.items():
        value = get(column)
        if value is None:
            continue
        if value.lower() not in allowed:
            raise _err(path, line, f"column {column!r}: bad value {value!r}",
                       f"use one of {'|'.join(allowed)}")
        if value.lower() != "unknown":  # unknown is the same as not given
            phenotypes[column] = value.lower()
    return SampleSheetRow(sample=sample, line=line, region=get("region"), role=role,
                          purity=purity, ploidy=ploidy, timepoint=get("timepoint"),
                          phenotypes=phenotypes)


# --- copy number -----------------------------------------------------------------------------


def read_copy_number(path: str | Path) -> dict[tuple[str, str], CopyNumber]:
    """Read ``sample, gene, total_cn[, minor_cn]`` into {(sample, GENE): CopyNumber}."""
    rows = _rows(path)
    header = _header(path, rows)
    for needed in ("sample", "gene", "total_cn"):
        if needed not in header:
            raise _err(path, 1, f"no {needed!r} column",
                       "columns: sample, gene, total_cn, minor_cn (minor optional)")
    index = {name: header.index(name) for name in header}
    out: dict[tuple[str, str], CopyNumber] = {}
    for line, cells in rows:
        sample, gene = _cell(cells, index["sample"]), _cell(cells, index["gene"])
        if sample is None or gene is None:
            raise _err(path, line, "empty sample or gene", "every line needs sample and gene")
        total = _number(path, line, "total_cn", _cell(cells, index["total_cn"]),
                        convert=int, ok=lambda v: v >= 0, hint="total_cn is a whole number >= 0")
        if total is None:
            raise _err(path, line, "column 'total_cn' is empty", "give the total copy number")
        minor = _number(path, line, "minor_cn", _cell(cells, index.get("minor_cn")),
                        convert=int, ok=lambda v: v >= 0, hint="minor_cn is a whole number >= 0")
        if minor is not None and minor > total:
            raise _err(path, line, f"minor_cn {minor} exceeds total_cn {total}",
                       "minor_cn is the smaller allele's copy number, at most total_cn")
        out[(sample, gene.upper())] = CopyNumber(total_cn=total, minor_cn=minor)
    return out


# --- targets BED -----------------------------------------------------------------------------


def normalise_contig(name: str) -> str:
    """``chr1``/``1`` -> ``1``; ``chrM``/``M``/``MT`` -> ``MT`` (enough to compare BED and VCF)."""
    bare = name[3:] if name.lower().startswith("chr") and len(name) > 3 else name
    if bare.upper() in ("M", "MT"):
        return "MT"
    return bare.upper() if bare.upper() in ("X", "Y") else bare


def read_targets(path: str | Path) -> list[TargetInterval]:
    """Read a BED file (0-based, half-open); header/track/browser lines are skipped."""
    out: list[TargetInterval] = []
    for line, cells in _rows(path):
        if cells[0].startswith("#"):
            continue
        if len(cells) < 3:
            raise _err(path, line, "fewer than 3 columns", "BED needs chrom, start, end")
        start = _number(path, line, "start", cells[1].strip(), convert=int,
                        ok=lambda v: v >= 0, hint="start is a 0-based whole number")
        end = _number(path, line, "end", cells[2].strip(), convert=int,
                      ok=lambda v: v >= 0, hint="end is a whole number")
        if start is None or end is None or end < start:
            raise _err(path, line, "end is before start", "BED intervals are start < end")
        out.append(TargetInterval(contig=normalise_contig(cells[0].strip()), start=start, end=end))
    return sorted(out, key=lambda t: (t.contig, t.start, t.end))


def covers(targets: list[TargetInterval], chrom: str, pos: int, end: int | None = None) -> bool:
    """Does any target overlap the 1-based inclusive span [pos, end]?"""
    contig, last = normalise_contig(chrom), end if end is not None else pos
    return any(t.contig == contig and t.start < last and t.end >= pos for t in targets)


def genes_covered(targets: list[TargetInterval],
                  spans: Iterable[tuple[str, str, int, int]]) -> dict[str, bool]:
    """{gene: any target overlaps it} from (gene, contig, start, end) 1-based spans.

    Pass the genes' coding exons (not the ±5 kb windows) so a flank-only target does not
    count as covering a gene; every gene named in ``spans`` gets an entry.
    """
    out: dict[str, bool] = {}
    for gene, contig, start, end in spans:
        out[gene] = out.get(gene, False) or covers(targets, contig, start, end)
    return dict(sorted(out.items()))


# --- PyClone-VI / CONIPHER -------------------------------------------------------------------


def mutation_key(chrom: str, pos: int | str, ref: str, alt: str) -> str:
    """Key used to join imported CCFs with variants: normalised contig, ``:``-separated."""
    return f"{normalise_contig(chrom)}:{pos}:{ref.upper()}:{alt.upper()}"


def read_clonal_import(path: str | Path) -> dict[tuple[str, str], ImportedCcf]:
    """Read PyClone-VI results or a CONIPHER input table into {(mutation key, sample): CCF}.

    The format is recognised by its header. PyClone-VI ``mutation_id`` must name the variant
    as ``chrom:pos:ref:alt`` (``_`` or ``>`` separators also work); its interval is the
    posterior mean ± 1.96 standard deviations, clipped to [0, 1] (a normal approximation).
    CONIPHER tables give ``CCF_PHYLO`` (else ``CCF_OBS``) and ``CLUSTER``, without interval.
    """
    rows = _rows(path)
    raw_header = next(rows, None)
    if raw_header is None:
        raise InputError("empty table: no header line", file=str(path),
                         hint="give PyClone-VI output or a CONIPHER input table")
    header = [c.strip().lower() for c in raw_header[1]]
    index = {name: i for i, name in enumerate(header)}
    if {"mutation_id", "sample_id", "cellular_prevalence"} <= set(header):
        return _read_pyclone(path, rows, index)
    if {"sample", "chr", "pos", "ref", "alt"} <= set(header) and (
            "ccf_phylo" in index or "ccf_obs" in index):
        return _read_conipher(path, rows, index)
    raise _err(path, raw_header[0], "not a PyClone-VI or CONIPHER table",
               "expected PyClone-VI columns mutation_id, sample_id, cellular_prevalence, or "
               "CONIPHER columns SAMPLE, CHR, POS, REF, ALT, CCF_PHYLO, CLUSTER")


def _parse_mutation_id(path: str | Path, line: int, text: str) -> str:
    parts = text.replace(">", ":").replace("_", ":").split(":")
    if len(parts) != 4 or not parts[1].isdecimal():
        raise _err(path, line, f"mutation_id {text!r} does not name a variant",
                   "write mutation_id as chrom:pos:ref:alt, e.g. 1:11127039:A:G")
    return mutation_key(*parts)


def _ccf_cell(path: str | Path, line: int, column: str, text: str | None) -> float | None:
    return _number(path, line, column, text, convert=float, ok=lambda v: v >= 0,
                   hint="CCF is a number >= 0")


def _read_pyclone(path: str | Path, rows: Iterator[tuple[int, list[str]]],
                  index: dict[str, int]) -> dict[tuple[str, str], ImportedCcf]:
    out: dict[tuple[str, str], ImportedCcf] = {}
    for line, cells in rows:
        mutation, sample = _cell(cells, index["mutation_id"]), _cell(cells, index["sample_id"])
        if mutation is None or sample is None:
            raise _err(path, line, "empty mutation_id or sample_id", "fill both columns")
        ccf = _ccf_cell(path, line, "cellular_prevalence",
                        _cell(cells, index["cellular_prevalence"]))
        std = _ccf_cell(path, line, "cellular_prevalence_std",
                        _cell(cells, index.get("cellular_prevalence_std")))
        low = high = None
        if ccf is not None and std is not None:
            low, high = max(0.0, ccf - 1.96 * std), min(1.0, ccf + 1.96 * std)
        out[(_parse_mutation_id(path, line, mutation), sample)] = ImportedCcf(
            ccf=None if ccf is None else min(ccf, 1.0), ccf_low=low, ccf_high=high,
            cluster=_cell(cells, index.get("cluster_id")), source="PyClone-VI")
    return out


def _read_conipher(path: str | Path, rows: Iterator[tuple[int, list[str]]],
                   index: dict[str, int]) -> dict[tuple[str, str], ImportedCcf]:
    column = "ccf_phylo" if "ccf_phylo" in index else "ccf_obs"
    out: dict[tuple[str, str], ImportedCcf] = {}
    for line, cells in rows:
        fields = [_cell(cells, index[c]) for c in ("sample", "chr", "pos", "ref", "alt")]
        if any(f is None for f in fields):
            raise _err(path, line, "empty SAMPLE/CHR/POS/REF/ALT", "fill every key column")
        sample, chrom, pos, ref, alt = (f or "" for f in fields)
        ccf = _ccf_cell(path, line, column.upper(), _cell(cells, index[column]))
        out[(mutation_key(chrom, pos, ref, alt), sample)] = ImportedCcf(
            ccf=None if ccf is None else min(ccf, 1.0),
            cluster=_cell(cells, index.get("cluster")), source="CONIPHER")
    return out
