"""Read VCF 4.0-4.5 (plain, bgzipped, BCF, stdin) into plain ``VcfHeader``/``VcfRecord`` models.

Three routes, all yielding only records whose POS lies in the requested windows:
* indexed (``.tbi``/``.csi`` beside a bgzipped VCF or BCF, ``use_index``): htslib region queries;
* VCF text (plain, gzip/bgzip, stdin): the fast pre-filter of ``vcf_text``, then htslib parses
  only the selected lines, in batches, through a temporary VCF;
* BCF without index: cyvcf2 streaming with a CHROM/POS check before anything else is touched.
htslib's stderr is captured while it runs; every failure becomes a one-line ``InputError``.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import warnings
import zlib
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, BinaryIO, Protocol

from mtorvar.errors import InputError
from mtorvar.genome.chromosome_lengths import CHROMOSOMES
from mtorvar.io import vcf_text
from mtorvar.io.quiet import captured_stderr, pysam_precheck, stop_on_htslib_error
from mtorvar.io.vcf_fields import parse_header, record_from_variant
from mtorvar.models.vcf import VcfHeader, VcfRecord

BATCH = 2000


class Window(Protocol):
    """What the reader needs of ``mtorvar.genome.transcripts.GeneWindow``."""

    @property
    def contig(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class VcfInput:
    """An open input: ``header``, lazily read ``records``, and ``notes`` (header repairs)."""

    def __init__(self, header: VcfHeader, records: Iterator[VcfRecord], notes: list[str],
                 closers: Sequence[Any] = ()) -> None:
        self.header = header
        self.records = records
        self.notes = notes
        self._closers = list(closers)

    def close(self) -> None:
        for obj in self._closers:
            with contextlib.suppress(Exception):  # closing must never mask the outcome
                obj.close()
        self._closers.clear()

    def __enter__(self) -> VcfInput:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()


# ----------------------------------------------------------------------------- contig names
def canonical(name: str) -> str | None:
    """Canonical contig name (``1``..``22``, ``X``, ``Y``, ``MT``) via the genome package."""
    from mtorvar.genome.contigs import canonical_contig

    return canonical_contig(name)


def contig_aliases(extra_names: Iterable[str] = ()) -> dict[str, list[str]]:
    """Every spelling a file may use for each canonical contig (both builds' accessions)."""
    aliases: dict[str, set[str]] = {}
    for rows in CHROMOSOMES.values():
        for name, ucsc, refseq, _ in rows:
            aliases.setdefault(name, set()).update({name, ucsc, refseq})
    aliases.setdefault("MT", set()).update({"M", "chrMT"})
    for name in extra_names:
        canon = canonical(name)
        if canon is not None:
            aliases.setdefault(canon, set()).add(name)
    return {k: sorted(v) for k, v in aliases.items()}


def window_spans(windows: Sequence[Window]) -> dict[str, list[tuple[int, int]]]:
    spans: dict[str, list[tuple[int, int]]] = {}
    for w in windows:
        spans.setdefault(w.contig, []).append((int(w.start), int(w.end)))
    return spans


# ----------------------------------------------------------------------------- entry point
def open_vcf(path: str, *, windows: Sequence[Window] | None, use_index: bool = True,
             source: int = 0) -> VcfInput:
    """Open ``path`` (``-`` = stdin) and return its header and the in-window records."""
    stream = vcf_text.open_bytes(path)
    try:
        first = stream.read(1 << 16)
    except OSError as exc:
        stream.close()
        raise InputError(f"cannot read: {exc}", file=path) from None
    kind = _sniff(first)
    if kind in ("bgzf", "bcf", "bgzf-bcf") and path != "-":
        index = _index_of(path)
        if index and use_index and windows is not None:
            stream.close()
            opened = _open_indexed(path, windows, source)
            if opened is not None:
                return opened
            stream = vcf_text.open_bytes(path)
            first = stream.read(1 << 16)
    if kind in ("bcf", "bgzf-bcf"):
        stream_path, closers = _spooled(path, stream, first)
        return _open_bcf_stream(path, stream_path, windows, source=source, closers=closers)
    return _open_text(path, stream, first, kind, windows, source=source)


def _sniff(first: bytes) -> str:
    """'bcf' (plain BCF), 'bgzf'/'bgzf-bcf' (compressed VCF/BCF), or 'text'."""
    if first.startswith(vcf_text.BCF_MAGIC):
        return "bcf"
    if first.startswith(vcf_text.GZIP_MAGIC):
        try:
            head = zlib.decompressobj(31).decompress(first, 8)
        except zlib.error:
            return "bgzf"  # corrupt: the text route reports it with context
        return "bgzf-bcf" if head.startswith(vcf_text.BCF_MAGIC) else "bgzf"
    return "text"


def _index_of(path: str) -> str | None:
    for suffix in (".tbi", ".csi"):
        if os.path.exists(path + suffix):
            return path + suffix
    return None


def _spooled(path: str, stream: BinaryIO, first: bytes) -> tuple[str, list[Any]]:
    """BCF from stdin is copied to a temp file, because htslib must open it by name."""
    if path != "-":
        stream.close()
        return path, []
    tmp = tempfile.NamedTemporaryFile(prefix="mtorvar-stdin-", suffix=".bcf")  # noqa: SIM115
    tmp.write(first)
    while chunk := stream.read(1 << 22):
        tmp.write(chunk)
    tmp.flush()
    return tmp.name, [tmp]


def _error(path: str, what: str, log_line: str | None, record: str | None = None,
           hint: str | None = None) -> InputError:
    detail = f"{what} (htslib: {log_line})" if log_line else what
    return InputError(detail, file=path, record=record,
                      hint=hint or "check that the file is a valid VCF/BCF (bcftools view)")


def _open_cyvcf2(path: str, display: str, **kw: Any) -> tuple[Any, VcfHeader]:
    import cyvcf2

    failed = False
    with captured_stderr() as log:
        try:
            vcf = cyvcf2.VCF(path, **kw)
            raw = vcf.raw_header
            samples = list(vcf.samples)
        except Exception:
            failed = True
    if failed:
        raise _error(display, "cannot read the VCF header", log.last_error()) from None
    lines = raw.splitlines()
    return vcf, parse_header(lines, display, samples, indexed=False)


# ----------------------------------------------------------------------------- indexed route
def _open_indexed(path: str, windows: Sequence[Window], source: int) -> VcfInput | None:
    """Region queries; None when htslib cannot use the file (the text route then tries)."""
    try:
        vcf, header = _open_cyvcf2(path, path)
    except InputError:
        return None
    names = list(header.contigs)
    if not names:
        try:
            with captured_stderr():
                names = list(vcf.seqnames)
        except Exception:
            names = []
    spans = window_spans(windows)
    regions: list[tuple[str, int, int]] = []
    for name in names:
        canon = canonical(name)
        for start, end in vcf_text.merge_ranges(spans.get(canon or "", [])):
            regions.append((name, start, end))
    header = header.model_copy(update={"indexed": True})
    return VcfInput(header, _indexed_records(vcf, path, regions, source, len(header.samples)),
                    [], [vcf])


def _indexed_records(vcf: Any, path: str, regions: list[tuple[str, int, int]], source: int,
                     n_samples: int) -> Iterator[VcfRecord]:
    count = 0
    for name, start, end in regions:
        region = f"{{{name}}}:{start}-{end}" if ":" in name else f"{name}:{start}-{end}"
        batch: list[VcfRecord] = []
        with captured_stderr() as log, warnings.catch_warnings():
            # cyvcf2 warns "no intervals found" for a window with no record: that is the answer
            warnings.simplefilter("ignore", UserWarning)
            err: InputError | None = None
            try:
                log.new_error()  # messages from opening the file are not this region's
                for variant in vcf(region):
                    stop_on_htslib_error(log)
                    if start <= variant.POS <= end:  # the index also returns overlaps
                        count += 1
                        batch.append(record_from_variant(variant, count, source, n_samples))
            except Exception:
                err = _error(path, f"cannot read region {name}:{start}-{end}",
                             log.last_error(), record=f"after {count} records")
        if err is not None:
            raise err
        yield from batch


# ----------------------------------------------------------------------------- BCF streaming
def _open_bcf_stream(display: str, path: str, windows: Sequence[Window] | None, *,
                     source: int, closers: list[Any]) -> VcfInput:
    vcf, header = _open_cyvcf2(path, display)
    wanted = None
    if windows is not None:
        aliases = contig_aliases(header.contigs)
        wanted = vcf_text.Windows.build(window_spans(windows), aliases)
    records = _bcf_records(vcf, display, wanted, source=source, n_samples=len(header.samples))
    return VcfInput(header, records, [], [vcf, *closers])


def _bcf_records(vcf: Any, path: str, wanted: vcf_text.Windows | None, *, source: int,
                 n_samples: int) -> Iterator[VcfRecord]:
    it = iter(vcf)
    record_no = 0
    done = False
    while not done:
        batch: list[VcfRecord] = []
        err: InputError | None = None
        with captured_stderr() as log:
            try:
                log.new_error()
                while len(batch) < BATCH:
                    variant = next(it, None)
                    if variant is None:
                        done = True
                        break
                    stop_on_htslib_error(log)
                    record_no += 1
                    if wanted is None or wanted.contains(variant.CHROM.encode(), variant.POS):
                        batch.append(record_from_variant(variant, record_no, source, n_samples))
            except Exception:
                err = _error(path, "malformed record", log.last_error(),
                             record=f"#{record_no + 1}")
        if err is not None:
            raise err
        yield from batch


# ----------------------------------------------------------------------------- text route
def _open_text(path: str, stream: BinaryIO, first: bytes, kind: str,
               windows: Sequence[Window] | None, *, source: int) -> VcfInput:
    if kind == "bgzf" and path != "-":
        chunks = vcf_text.bgzf_chunks(path, first, stream)
    elif kind == "bgzf":
        chunks = vcf_text.gunzip_chunks(stream, first, path)
    else:
        chunks = vcf_text.plain_chunks(stream, first)
    closers = [stream] if path != "-" else []
    try:
        text = vcf_text.read_header(path, chunks)
    except InputError:
        for c in closers:
            c.close()
        raise
    header_lines, notes = vcf_text.sanitise_header(text.header_lines)
    samples = _sample_names(header_lines[-1])
    if len(set(samples)) != len(samples):
        dup = next(s for s in samples if samples.count(s) > 1)
        raise InputError("duplicated sample name in the #CHROM line", file=path, sample=dup,
                         hint="each sample column needs a unique name")
    decoded = [ln.decode("utf-8", "replace") for ln in header_lines]
    header = parse_header(decoded, path, samples)
    wanted = None
    if windows is not None:
        wanted = vcf_text.Windows.build(window_spans(windows), contig_aliases(header.contigs))
    selected = vcf_text.select_lines(text, wanted)
    _validate_header(path, header_lines)
    records = _parse_batches(path, header_lines, selected, source, len(samples))
    return VcfInput(header, records, notes, closers)


def _sample_names(chrom_line: bytes) -> list[str]:
    cols = chrom_line.split(b"\t")
    names = cols[9:] if len(cols) > 9 else []
    out = []
    for raw in names:
        try:
            out.append(raw.decode("utf-8"))
        except UnicodeDecodeError:  # keep going: a sample name is a label, not data
            out.append(raw.decode("latin-1"))
    return out


def _validate_header(path: str, header_lines: list[bytes]) -> None:
    """Let htslib parse the (sanitised) header once, so a bad header fails up front."""
    list(_parse_lines(path, header_lines, [], 0, 0))


def _parse_batches(path: str, header_lines: list[bytes],
                   selected: Iterator[vcf_text.Selected], source: int, n_samples: int
                   ) -> Iterator[VcfRecord]:
    batch: list[vcf_text.Selected] = []
    for item in selected:
        batch.append(item)
        if len(batch) >= BATCH:
            yield from _parse_lines(path, header_lines, batch, source, n_samples)
            batch = []
    if batch:
        yield from _parse_lines(path, header_lines, batch, source, n_samples)


def _label(item: vcf_text.Selected) -> str:
    cols = item.line.split(b"\t", 2)
    where = f"{cols[0][:40].decode('latin-1')}:{cols[1][:20].decode('latin-1')} " \
        if len(cols) > 1 else ""
    return f"{where}(data line {item.record_no})"


def _parse_lines(path: str, header_lines: list[bytes], batch: list[vcf_text.Selected],
                 source: int, n_samples: int) -> list[VcfRecord]:
    """Parse a batch of selected lines with htslib through a small temporary VCF."""
    import cyvcf2

    out: list[VcfRecord] = []
    with tempfile.TemporaryDirectory(prefix="mtorvar-") as tmpdir:
        tmp = Path(tmpdir) / "batch.vcf"
        tmp.write_bytes(b"\n".join([*header_lines, *(s.line for s in batch)]) + b"\n")
        read_ok, rejected = pysam_precheck(tmp)
        if rejected is not None:
            raise _error(path, "malformed record", rejected,
                         record=_label(batch[min(read_ok, len(batch) - 1)]))
        done = 0
        with captured_stderr() as log:
            try:
                vcf = cyvcf2.VCF(str(tmp))
                log.new_error()  # header complaints were already judged when it was read
                for variant in vcf:
                    stop_on_htslib_error(log)
                    item = batch[done]
                    done += 1
                    if not item.probe_only:
                        out.append(record_from_variant(variant, item.record_no, source,
                                                       n_samples))
                vcf.close()
            except Exception as exc:
                failed: tuple[Exception, str | None] | None = (exc, log.last_error())
            else:
                failed = None
    if failed is not None:
        if not batch:
            raise _error(path, "htslib cannot parse the VCF header", failed[1])
        where = _label(batch[min(done, len(batch) - 1)])
        raise _error(path, "malformed record", failed[1] or type(failed[0]).__name__,
                     record=where)
    if done != len(batch):
        where = _label(batch[min(done, len(batch) - 1)])
        raise _error(path, "htslib skipped an unparseable record", None, record=where)
    return out
