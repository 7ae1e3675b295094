"""Write the annotated VCF/BCF: the input records the report describes, plus mtorvar fields.

Values come from ``mtorvar.report.vcf_records`` (pure); this module only moves them into
htslib records via pysam. One input: records are copied whole (``translate``). Several inputs
(one VCF per region): the output has every input's samples and a site present in several
files becomes one record carrying each file's FORMAT values. Output is written to a temporary
name beside the target and renamed, so a failure never leaves a partial file.
"""

from __future__ import annotations

import contextlib
import tempfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mtorvar.errors import InputError, UsageError
from mtorvar.io.atomic import atomic_path
from mtorvar.io.quiet import captured_stderr
from mtorvar.models.report import Report, VariantOut
from mtorvar.report.vcf_records import (
    FORMAT_STATE,
    INFO_IDS,
    SiteKey,
    annotate_record,
    header_lines,
    index_variants,
)

if TYPE_CHECKING:
    import pysam

_MODES = {"vcf": "w", "vcf.gz": "wz", "bcf": "wb"}
_OWN_FIELDS = (*INFO_IDS, FORMAT_STATE)


@dataclass
class _Site:
    order: int  # position of the site's first reported variant in the report (genomic order)
    record: Any  # pysam.VariantRecord bound to the output header


def write_annotated_vcf(input_paths: Sequence[str], report: Report, out_path: str,
                        fmt: str = "vcf") -> None:
    """Write the reported records of ``input_paths`` with INFO MTORVAR_* and FORMAT MTS."""
    import pysam

    if fmt not in ("vcf", "bcf"):
        raise UsageError(f"unknown VCF output format {fmt!r}", hint="use vcf or bcf")
    if not input_paths:
        raise UsageError("no input VCF to annotate",
                         hint="pass the VCF/BCF the report was made from")
    if "-" in input_paths:
        raise UsageError("an annotated VCF cannot be written for input read from stdin",
                         hint="pass the VCF as a file, or choose -O json|tsv|html")
    # htslib's header-sanity warnings were already summarised by the reader: keep them off
    # the user's terminal here.
    with captured_stderr(), tempfile.TemporaryDirectory(prefix="mtorvar-vcf-") as scratch:
        sources: list[Any] = []
        try:
            for i, path in enumerate(input_paths):
                sources.append(_open_input(path, pysam, report, Path(scratch) / f"{i}.vcf"))
        except BaseException:
            for vf in sources:
                vf.close()
            raise
        _write(sources, input_paths, report, out_path, fmt)


def _write(sources: list[Any], input_paths: Sequence[str], report: Report, out_path: str,
           fmt: str) -> None:
    import pysam

    try:
        # Contigs the headers declare before reading: htslib adds the others on the fly but
        # flags those records, and bcf_translate then calls exit(1) on them.
        declared = {c for vf in sources for c in vf.header.contigs}
        raw = [list(_reported_records(vf, path, report))
               for vf, path in zip(sources, input_paths, strict=True)]
        header = _output_header(sources, report)
        sites = _build_sites(raw, header, report, declared)
        mode = _MODES["vcf.gz" if fmt == "vcf" and out_path.endswith(".gz") else fmt]
        try:
            with atomic_path(out_path) as target, \
                    pysam.VariantFile(target, mode, header=header) as out:
                for site in sorted(sites.values(), key=lambda s: s.order):
                    out.write(site.record)
        except OSError as exc:  # disk full, closed stdout: a write failure, not a bug
            raise InputError(f"cannot write output: {exc.strerror or exc}",
                             file="standard output" if out_path == "-" else out_path,
                             hint="check free space and permissions") from None
    finally:
        for vf in sources:
            vf.close()


def _open_input(path: str, pysam: Any, report: Report, scratch: Path) -> pysam.VariantFile:
    """BCF and indexed BGZF input as is; other VCF text through a window pre-filter."""
    kind = _sniff(path)
    try:
        if kind == "bcf" or (kind == "bgzf" and _has_index(path)):
            return pysam.VariantFile(path)
        _prefilter_text(path, report, scratch, gzip_only=kind == "gzip")
        return pysam.VariantFile(str(scratch))
    except (OSError, ValueError, NotImplementedError) as exc:
        raise InputError(f"cannot reopen input to write the annotated VCF: {exc}", file=path,
                         hint="the input must stay readable until the output is written") from None


def _sniff(path: str) -> str:
    """'bcf' (plain or BGZF), 'bgzf', 'gzip' (not seekable by htslib) or 'text'."""
    try:
        with open(path, "rb") as handle:
            first = handle.read(1 << 16)
    except OSError as exc:
        raise InputError(f"cannot reopen input to write the annotated VCF: {exc.strerror}",
                         file=path, hint="the input must stay readable until the output is written"
                         ) from None
    if first.startswith(b"BCF"):
        return "bcf"
    if not first.startswith(b"\x1f\x8b"):
        return "text"
    with contextlib.suppress(zlib.error):
        if zlib.decompressobj(31).decompress(first, 8).startswith(b"BCF"):
            return "bcf"
    is_bgzf = len(first) >= 14 and first[3] & 4 and first[12:14] == b"BC"
    return "bgzf" if is_bgzf else "gzip"


def _has_index(path: str) -> bool:
    return any(Path(path + suffix).is_file() for suffix in (".tbi", ".csi"))


def _prefilter_text(path: str, report: Report, scratch: Path, *, gzip_only: bool) -> None:
    """Copy the header and the lines at reported sites to ``scratch``.

    Why: htslib would parse every FORMAT field of every record of a whole-genome VCF; the text
    scan of ``vcf_text`` (the reader's) finds the few reported lines at memchr speed.
    """
    from mtorvar.io import vcf_text

    spans: dict[str, list[tuple[int, int]]] = {}
    for v in report.variants:
        spans.setdefault(v.chrom, []).append((v.pos, v.pos))
    windows = vcf_text.Windows.build(spans, {chrom: [chrom] for chrom in spans})
    stream = vcf_text.open_bytes(path)
    try:
        first = stream.read(1 << 16)
        if gzip_only:  # plain gzip, not BGZF
            chunks = vcf_text.gunzip_chunks(stream, first, path)
        elif first.startswith(vcf_text.GZIP_MAGIC):
            chunks = vcf_text.bgzf_chunks(path, first, stream)
        else:
            chunks = vcf_text.plain_chunks(stream, first)
        text = vcf_text.read_header(path, chunks)
        header, _ = vcf_text.sanitise_header(text.header_lines)
        lines = [s.line for s in vcf_text.select_lines(text, windows) if not s.probe_only]
    finally:
        stream.close()
    scratch.write_bytes(b"\n".join([*_declare_contigs(header, lines), *lines]) + b"\n")


def _declare_contigs(header: list[bytes], lines: list[bytes]) -> list[bytes]:
    """Add ``##contig`` lines for the selected records' undeclared contigs.

    Why: htslib flags a record on an undeclared contig and its bcf_translate then calls
    exit(1), killing the process without an error message.
    """
    declared = {ln[len(b"##contig=<ID="):].split(b",")[0].rstrip(b">")
                for ln in header if ln.startswith(b"##contig=<ID=")}
    missing = dict.fromkeys(ln.split(b"\t", 1)[0] for ln in lines)
    extra = [b"##contig=<ID=" + c + b">" for c in missing if c and c not in declared]
    return [*header[:-1], *extra, header[-1]] if header and extra else header


def _reported_records(vf: Any, path: str, report: Report) -> Iterator[Any]:
    """Input records whose site is in the report: fetched by position when indexed."""
    index = index_variants(report)
    wanted = {(chrom, pos) for chrom, pos, _ in index}
    try:
        if vf.index is not None:
            for chrom, pos in sorted(wanted):
                if chrom in vf.header.contigs:
                    yield from (r for r in vf.fetch(chrom, pos - 1, pos)
                                if r.pos == pos and _is_reported(r, index))
            return
        yield from (r for r in vf if (r.chrom, r.pos) in wanted and _is_reported(r, index))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read input record: {exc}", file=path,
                         hint="check the file with `bcftools view`") from None


def _is_reported(rec: Any, index: dict[SiteKey, dict[str, VariantOut]]) -> bool:
    by_alt = index.get((rec.chrom, rec.pos, rec.ref))
    return by_alt is not None and any(alt in by_alt for alt in rec.alts or ())


def _output_header(sources: Sequence[Any], report: Report) -> Any:
    """First input's header (read after the records, so htslib-added contigs are in), merged
    with the others, minus any earlier mtorvar fields, plus ours."""
    header = sources[0].header.copy()
    for other in sources[1:]:
        header.merge(other.header)
        header.add_samples([s for s in other.header.samples if s not in header.samples])
    for key in INFO_IDS:
        if key in header.info:
            header.info.remove_header(key)
    if FORMAT_STATE in header.formats:
        header.formats.remove_header(FORMAT_STATE)
    for record in list(header.records):
        if record.key.startswith("mtorvar_"):  # provenance of an earlier annotation
            record.remove()
    for line in header_lines(report):
        header.add_line(line)
    return header


def _site_order(report: Report) -> dict[SiteKey, int]:
    order: dict[SiteKey, int] = {}
    for i, v in enumerate(report.variants):
        order.setdefault((v.chrom, v.pos, v.ref), i)
    return order


def _build_sites(raw: list[list[Any]], header: Any, report: Report,
                 declared: set[str]) -> dict[tuple[Any, ...], _Site]:
    """One output record per (chrom, pos, ref, alts), annotated from the report."""
    index, order = index_variants(report), _site_order(report)
    samples = tuple(header.samples)
    sites: dict[tuple[Any, ...], _Site] = {}
    single = len(raw) == 1
    for records in raw:
        for rec in records:
            key = (rec.chrom, rec.pos, rec.ref, tuple(rec.alts))
            if key in sites:
                _copy_samples(rec, sites[key].record)
                continue
            translatable = single and rec.chrom in declared
            out = _translated(rec, header) if translatable else _rebuilt(rec, header)
            sites[key] = _Site(order=order[(rec.chrom, rec.pos, rec.ref)], record=out)
    for key, site in sites.items():
        ann = annotate_record(index[key[:3]], key[3], samples)
        if ann is None:  # unreachable: only reported sites were kept
            continue
        for name, values in ann.info.items():
            site.record.info[name] = values
        for sample, states in ann.sample_states.items():
            site.record.samples[sample][FORMAT_STATE] = states
    return sites


def _drop_own_fields(rec: Any) -> None:
    """Re-annotating an mtorvar VCF: old INFO values go (FORMAT MTS is overwritten later)."""
    for key in INFO_IDS:
        if key in rec.info:
            del rec.info[key]


def _translated(rec: Any, header: Any) -> Any:
    _drop_own_fields(rec)
    rec.translate(header)
    return rec


def _rebuilt(rec: Any, header: Any) -> Any:
    """A copy of ``rec`` in the merged header (whose sample list is a superset)."""
    out = header.new_record(contig=rec.chrom, start=rec.start, stop=rec.stop,
                            alleles=rec.alleles, id=rec.id, qual=rec.qual,
                            filter=list(rec.filter.keys()))
    for key, value in rec.info.items():
        if key not in _OWN_FIELDS:
            out.info[key] = value
    _copy_samples(rec, out)
    return out


def _copy_samples(src: Any, dst: Any) -> None:
    """Copy every FORMAT value of ``src``'s samples into ``dst`` (same site, merged header)."""
    for name, data in src.samples.items():
        target = dst.samples[name]
        for key, value in data.items():
            if key == FORMAT_STATE or value is None or value == (None,):
                continue
            with contextlib.suppress(TypeError, ValueError):  # a value htslib cannot re-encode
                target[key] = value  # (e.g. a Number=G field the header misdeclared) is left out
        if "GT" in data:
            target.phased = data.phased
