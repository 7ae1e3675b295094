"""Fast streaming of VCF *text* (plain, gzip/bgzip, stdin) with a cheap window pre-filter.

Why not let cyvcf2 parse every record: htslib parses all FORMAT fields of every line, and the
per-record Python object costs several times ``bcftools view -T``. Only five genes matter, so we
scan decompressed text for lines whose CHROM is one of the window contigs' names (a literal
``\\n<name>\\t`` search per name, which runs at memchr speed), check POS, and hand only the
selected lines (plus the first data line, as a format probe) to htslib for full parsing.
The header is read here too, which lets us drop lines htslib refuses but we do not need.
"""

from __future__ import annotations

import bisect
import contextlib
import re
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from mtorvar.errors import InputError
from mtorvar.io.quiet import captured_stderr

CHUNK = 1 << 22
GZIP_MAGIC = b"\x1f\x8b"
BCF_MAGIC = b"BCF"
# htslib refuses IDs with other characters (Oncotator writes "HGNC_OMIM_ID(supplied_by_NCBI)")
_VALID_ID = re.compile(rb"^##(INFO|FORMAT)=<ID=[0-9A-Za-z_.]+[,>]")
_STRUCTURED = re.compile(rb"^##(INFO|FORMAT)=<")


@dataclass
class Windows:
    """Merged 1-based inclusive windows per file contig name (all aliases of a canonical one)."""

    by_name: dict[bytes, tuple[list[int], list[int]]] = field(default_factory=dict)
    _pattern: re.Pattern[bytes] | None = None

    @classmethod
    def build(cls, spans: dict[str, list[tuple[int, int]]], aliases: dict[str, list[str]]
              ) -> Windows:
        out = cls()
        for canonical, ranges in spans.items():
            merged = merge_ranges(ranges)
            starts = [s for s, _ in merged]
            ends = [e for _, e in merged]
            for name in aliases.get(canonical, [canonical]):
                out.by_name[name.encode()] = (starts, ends)
        return out

    def pattern(self) -> re.Pattern[bytes]:
        """One regex for ``\\n<name>\\t<pos in a window>\\t``, so the scan runs in C."""
        if self._pattern is None:
            alts = []
            for name, (starts, ends) in sorted(self.by_name.items()):
                ranges = "|".join(range_regex(s, e) for s, e in zip(starts, ends, strict=True))
                alts.append(f"{re.escape(name.decode())}\\t(?:{ranges})\\t")
            groups = "|".join(alts) or "(?!)"
            self._pattern = re.compile(f"\\n(?:{groups})".encode())
        return self._pattern

    def contains(self, name: bytes, pos: int) -> bool:
        spans = self.by_name.get(name)
        if spans is None:
            return False
        starts, ends = spans
        i = bisect.bisect_right(starts, pos) - 1
        return i >= 0 and pos <= ends[i]


def range_regex(low: int, high: int) -> str:
    """A regex matching exactly the decimal integers low..high (no leading zeros)."""
    parts: list[str] = []
    while low <= high:
        step = 1
        while low % (step * 10) == 0 and low + step * 10 - 1 <= high:
            step *= 10
        digit = (low // step) % 10
        count = 1
        while digit + count <= 9 and low + (count + 1) * step - 1 <= high:
            count += 1
        prefix = str(low // step)[:-1]
        width = len(str(step)) - 1
        span = str(digit) if count == 1 else f"[{digit}-{digit + count - 1}]"
        parts.append(prefix + span + (f"\\d{{{width}}}" if width else ""))
        low += count * step
    return "|".join(parts)


def merge_ranges(ranges: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union overlapping/adjacent ranges so no record is fetched twice."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def open_bytes(path: str) -> BinaryIO:
    """Open a path (or ``-`` for stdin) as a raw binary stream."""
    if path == "-":
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # closed by the caller
    except FileNotFoundError:
        raise InputError("file not found", file=path,
                         hint="check the path; use '-' to read standard input") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a VCF file", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot open: {exc.strerror}", file=path) from None


def gunzip_chunks(stream: BinaryIO, first: bytes, path: str) -> Iterator[bytes]:
    """Decompress concatenated gzip members (bgzip is one member per 64 kB block)."""
    pending = first
    decomp = zlib.decompressobj(31)
    while True:
        if not pending:
            pending = stream.read(CHUNK)
            if not pending:
                break
        try:
            out = decomp.decompress(pending)
        except zlib.error as exc:
            raise InputError(f"corrupt gzip/bgzip data ({exc})", file=path,
                             hint="the file is damaged; re-create it with bgzip") from None
        pending = b""
        if out:
            yield out
        if decomp.eof:
            pending = decomp.unused_data
            decomp = zlib.decompressobj(31)
            if not pending:
                pending = stream.read(CHUNK)
                if not pending:
                    return
    if not decomp.eof:
        raise InputError("truncated gzip/bgzip file (unexpected end of data)", file=path,
                         hint="the file was cut short; re-create or re-download it")


def plain_chunks(stream: BinaryIO, first: bytes) -> Iterator[bytes]:
    if first:
        yield first
    while True:
        data = stream.read(CHUNK)
        if not data:
            return
        yield data


def bgzf_chunks(path: str, first: bytes, stream: BinaryIO) -> Iterator[bytes]:
    """Decompress a file with htslib's BGZF reader (libdeflate, several times zlib's speed)."""
    from pysam import libcbgzf

    del first  # the path is reopened by htslib; the probe bytes are not needed
    stream.close()
    with captured_stderr():
        reader = libcbgzf.BGZFile(path, "rb")  # type: ignore[call-arg]
    try:
        while True:
            with captured_stderr() as log:
                try:
                    data = reader.read(CHUNK)
                except (OSError, EOFError, ValueError):
                    detail = log.last_error() or "unreadable compressed block"
                    raise InputError(f"corrupt or truncated bgzip data ({detail})", file=path,
                                     hint="the file is damaged; re-create it with bgzip") from None
            if not data:
                return
            yield data
    finally:
        with captured_stderr(), contextlib.suppress(OSError, ValueError):
            reader.close()  # fails again on a damaged file; the read error is the one to report


@dataclass
class TextSource:
    """Decompressed VCF text: the header lines, then an iterator of data chunks."""

    path: str
    header_lines: list[bytes]
    chunks: Iterator[bytes]  # data part, starting at a line start


def read_header(path: str, chunks: Iterator[bytes]) -> TextSource:
    """Consume the header; leave the data chunks. Handles LF, CRLF and CR-only endings."""
    buf = b""
    cr_only = False
    header: list[bytes] = []
    for data in chunks:
        if not buf and not header and b"\n" not in data and b"\r" in data:
            cr_only = True
        buf += data.replace(b"\r", b"\n") if cr_only else data
        while True:
            nl = buf.find(b"\n")
            if nl < 0:
                break
            line, buf = buf[:nl].rstrip(b"\r"), buf[nl + 1:]
            if not header and not line.startswith(b"#"):
                raise InputError("not a VCF file (no '##fileformat' or '#CHROM' header)",
                                 file=path, hint="give a VCF, bgzipped VCF or BCF file")
            if not line.startswith(b"#"):
                raise InputError("the header has no '#CHROM' line", file=path,
                                 hint="the column header line is missing or mangled")
            header.append(line)
            if line.startswith(b"#CHROM"):
                rest = _rest(buf, chunks, cr_only)
                return TextSource(path, header, rest)  # CR-only endings already translated in rest
    if not header and not buf:
        raise InputError("empty file (no VCF header)", file=path,
                         hint="the input has no content; check the upstream step")
    raise InputError("the header has no '#CHROM' line", file=path,
                     hint="the file ends inside its header or the column line is missing")


def _rest(buf: bytes, chunks: Iterator[bytes], cr_only: bool) -> Iterator[bytes]:
    if buf:
        yield buf
    for data in chunks:
        yield data.replace(b"\r", b"\n") if cr_only else data


def sanitise_header(lines: list[bytes]) -> tuple[list[bytes], list[str]]:
    """Drop header lines htslib refuses and we do not need; return (lines, notes)."""
    out: list[bytes] = []
    notes: list[str] = []
    for line in lines:
        if line.startswith(b"#CHROM"):
            columns = line.rstrip(b" \t")
            if columns.endswith(b"\tFORMAT"):  # a FORMAT column but no samples
                columns = columns[: -len(b"\tFORMAT")]
                notes.append("the #CHROM line has FORMAT but no samples: read as sites-only")
            out.append(columns if columns.endswith(b"\tINFO") else line)
        elif not line.startswith(b"##"):
            notes.append(f"ignored a stray header line: {line[:40].decode('latin-1')!r}")
        elif _STRUCTURED.match(line) and not _VALID_ID.match(line):
            notes.append(f"ignored a header definition with an invalid ID: "
                         f"{line[:60].decode('latin-1')!r}")
        else:
            out.append(line.rstrip(b" \t"))
    return out, notes


@dataclass
class Selected:
    record_no: int  # 1-based data-line ordinal in the file
    line: bytes
    probe_only: bool = False  # parsed only to validate the format, then dropped


def select_lines(source: TextSource, windows: Windows | None) -> Iterator[Selected]:
    """Yield data lines inside the windows (all lines when ``windows`` is None).

    The first data line is always yielded (flagged ``probe_only`` when outside the windows) so
    that htslib validates at least one record of every file.
    """
    base = 0  # data lines before the current buffer
    tail = b"\n"  # keep the newline before the next line so every line start is b"\n<name>"
    probed = False
    for data in source.chunks:
        buf = tail + data
        cut = buf.rfind(b"\n")
        if cut <= 0:
            tail = buf
            continue
        body, tail = buf[:cut], buf[cut:]
        if not probed:
            probed = True
            yield from _probe(body, base, windows)
        yield from _scan(body, base, windows)
        base += body.count(b"\n")
    if tail.strip():
        body = tail
        if not probed:
            yield from _probe(body, base, windows)
        yield from _scan(body, base, windows)


def _probe(body: bytes, base: int, windows: Windows | None) -> Iterator[Selected]:
    """The first non-empty data line, when the window scan would not pick it."""
    if windows is None:
        return
    for no, line in enumerate(body.split(b"\n", 64)[1:64], start=1):
        if line.strip(b" \t\r"):
            chrom, _, rest = line.partition(b"\t")
            pos = rest.partition(b"\t")[0]
            if not (pos.isdigit() and windows.contains(chrom, int(pos))):
                yield Selected(base + no, line.rstrip(b"\r"), probe_only=True)
            return


def _scan(body: bytes, base: int, windows: Windows | None) -> Iterator[Selected]:
    if windows is None:
        for no, line in enumerate(body.split(b"\n")[1:], start=1):
            if line.strip(b" \t\r") and not line.startswith(b"#"):
                yield Selected(base + no, line.rstrip(b"\r"))
        return
    hits: list[int] = []
    pattern = windows.pattern()
    for m in pattern.finditer(body):
        name, pos_text, _ = m.group(0)[1:].split(b"\t")
        if windows.contains(name, int(pos_text)):  # the regex is exact; this double-checks
            hits.append(m.start())
    hits.sort()
    counted_to, lines_before = 0, 0
    for i in hits:
        lines_before += body.count(b"\n", counted_to, i + 1)
        counted_to = i + 1
        end = body.find(b"\n", i + 1)
        line = body[i + 1:end] if end >= 0 else body[i + 1:]
        yield Selected(base + lines_before, line.rstrip(b"\r"))
