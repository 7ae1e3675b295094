"""GRCh38 facts and known reference bases for the benchmark generator (``make_vcf.py``).

Chromosome lengths and gene spans are hard-coded facts; the bases come from
``../shared/refdata`` (read in place) or, without it, from mtorvar's bundled sequence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# GRCh38.p14 primary assembly lengths (facts; chrM is the rCRS, 16,569 bp).
GRCH38_LENGTHS: dict[str, int] = {
    "chr1": 248956422,
    "chr2": 242193529,
    "chr3": 198295559,
    "chr4": 190214555,
    "chr5": 181538259,
    "chr6": 170805979,
    "chr7": 159345973,
    "chr8": 145138636,
    "chr9": 138394717,
    "chr10": 133797422,
    "chr11": 135086622,
    "chr12": 133275309,
    "chr13": 114364328,
    "chr14": 107043718,
    "chr15": 101991189,
    "chr16": 90338345,
    "chr17": 83257441,
    "chr18": 80373285,
    "chr19": 58617616,
    "chr20": 64444167,
    "chr21": 46709983,
    "chr22": 50818468,
    "chrX": 156040895,
    "chrY": 57227415,
    "chrM": 16569,
}


@dataclass(frozen=True)
class Span:
    gene: str
    contig: str
    start: int  # 1-based inclusive
    end: int


# GRCh38 gene spans (MANE Select genes) — the windows the benchmark's in-gene records live in.
GENES_GRCH38 = (
    Span("MTOR", "chr1", 11106535, 11262551),
    Span("PIK3CA", "chr3", 179148357, 179240093),
    Span("TSC1", "chr9", 132891349, 132944616),
    Span("TSC2", "chr16", 2047985, 2089491),
    Span("KRAS", "chr12", 25205246, 25250929),
)
# GRCh37 spans of the same genes: mtorvar fetches both builds' windows before it knows the
# build, so background records must avoid these too.
GENES_GRCH37 = (
    Span("MTOR", "chr1", 11166592, 11322608),
    Span("PIK3CA", "chr3", 178866145, 178957881),
    Span("TSC1", "chr9", 135766735, 135820020),
    Span("TSC2", "chr16", 2097990, 2139492),
    Span("KRAS", "chr12", 25357723, 25403870),
)
WINDOW_FLANK = 5_000  # mtorvar's gene windows: gene +/-5 kb


@dataclass(frozen=True)
class Segment:
    """A stretch of known plus-strand GRCh38 sequence."""

    contig: str
    start: int
    seq: str

    @property
    def end(self) -> int:
        return self.start + len(self.seq) - 1


def revcomp(seq: str) -> str:
    return seq.translate(str.maketrans("ACGTN", "TGCAN"))[::-1]


def read_fasta(path: Path) -> tuple[str, str]:
    lines = path.read_text().splitlines()
    return lines[0], "".join(line.strip() for line in lines[1:]).upper()


def genomic_segment(path: Path) -> Segment:
    """Parse a refdata genomic FASTA whose header names its GRCh38 span and strand."""
    header, seq = read_fasta(path)
    lrg = re.search(r"GRCh38 chr(\w+):(\d+)-(\d+)\(([+-])\)", header)
    plain = re.match(r">chr(\w+):(\d+)-(\d+) GRCh38\b.*plus-strand", header)
    match = lrg or plain
    if match is None:
        raise SystemExit(f"{path}: cannot read the GRCh38 span from its header")
    contig, start, end = f"chr{match.group(1)}", int(match.group(2)), int(match.group(3))
    if lrg is not None and lrg.group(4) == "-":
        seq = revcomp(seq)
    if len(seq) != end - start + 1:
        raise SystemExit(f"{path}: {len(seq)} bases for a {end - start + 1}-bp span")
    return Segment(contig, start, seq)


def exon_segments(refdata: Path, gene: str) -> list[Segment]:
    """Exonic GRCh38 bases of ``gene`` from its transcript sequence and exon table."""
    (tx_path,) = sorted((refdata / "sequences").glob(f"{gene}.*transcript.fa"))
    _, tx = read_fasta(tx_path)
    segments = []
    rows = (refdata / "tables" / "exons.tsv").read_text().splitlines()
    cols = rows[0].split("\t")
    for row in rows[1:]:
        rec = dict(zip(cols, row.split("\t"), strict=False))
        if rec["gene"] != gene or rec["build"] != "GRCh38":
            continue
        exon_seq = tx[int(rec["tx_start"]) - 1 : int(rec["tx_end"])]
        if rec["strand"] == "-":
            exon_seq = revcomp(exon_seq)
        segments.append(Segment(f"chr{rec['chrom']}", int(rec["g_start"]), exon_seq))
    return segments


def segments_from_refdata(refdata: Path) -> dict[str, list[Segment]]:
    genomic = {
        "MTOR": "MTOR_GRCh38_*.fa",
        "TSC1": "TSC1.*genomic.fa",
        "TSC2": "TSC2.*genomic.fa",
    }
    known: dict[str, list[Segment]] = {}
    for span in GENES_GRCH38:
        pattern = genomic.get(span.gene)
        paths = sorted((refdata / "genomic").glob(pattern)) if pattern else []
        known[span.gene] = (
            [genomic_segment(paths[0])] if paths else exon_segments(refdata, span.gene)
        )
    return known


def segments_from_bundled(chunk: int = 500) -> dict[str, list[Segment]]:
    """Known bases from the package's bundled GRCh38 sequence, scanned in small chunks."""
    from mtorvar.genome.sequence import bundled  # optional: only when refdata is absent

    source = bundled("GRCh38")
    known: dict[str, list[Segment]] = {}
    for span in GENES_GRCH38:
        contig = span.contig.removeprefix("chr")
        known[span.gene] = []
        for start in range(span.start, span.end + 1, chunk):
            end = min(start + chunk - 1, span.end)
            seq = source.fetch(contig, start, end)
            if seq and len(seq) == end - start + 1 and set(seq) <= set("ACGT"):
                known[span.gene].append(Segment(span.contig, start, seq))
    return known


def clip_to_gene(segments: list[Segment], span: Span) -> list[Segment]:
    """Keep the parts of ``segments`` inside the gene, 10 bp clear of its ends (room for indels)."""
    clipped = []
    lo, hi = span.start + 10, span.end - 10
    for seg in segments:
        start, end = max(seg.start, lo), min(seg.end, hi)
        if seg.contig == span.contig and end > start:
            clipped.append(
                Segment(seg.contig, start, seg.seq[start - seg.start : end - seg.start + 1])
            )
    return clipped


def known_sequence(refdata: Path) -> tuple[dict[str, list[Segment]], str]:
    if refdata.is_dir():
        return segments_from_refdata(refdata), f"refdata ({refdata})"
    try:
        return segments_from_bundled(), "mtorvar bundled GRCh38 sequence"
    except ImportError as exc:
        raise SystemExit(f"no REF source: {refdata} is absent and {exc}") from exc
