"""Sample sheet, copy number, targets BED and PyClone-VI/CONIPHER readers."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.errors import InputError
from mtorvar.io.samplesheet import (
    CopyNumber,
    covers,
    genes_covered,
    mutation_key,
    normalise_contig,
    read_clonal_import,
    read_copy_number,
    read_samplesheet,
    read_targets,
)


def _write(tmp_path: Path, text: str, name: str = "sheet.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_phenotype_fixture(fixtures_dir: Path) -> None:
    rows = read_samplesheet(fixtures_dir / "het_phenotypes" / "samples.tsv")
    assert [r.sample for r in rows] == ["R1", "R2", "R3"]
    assert rows[1].region == "hypoxic core"
    assert rows[1].phenotypes == {"hypoxia": "yes"}  # unknowns dropped
    assert rows[2].phenotypes == {"hypoxia": "no", "acidity": "no", "ps6": "low",
                                  "p4ebp1": "high"}


def test_blank_cells_comments_cr_endings_and_aliases(tmp_path: Path) -> None:
    text = "sample\trole\tpurity\tploidy\ttimepoint\r##a comment\rN\tnormal\tNA\t\t\r" \
           "T1\tTumour\t0.45\t3.2\tbaseline\r"
    rows = read_samplesheet(_write(tmp_path, text))
    assert [(r.sample, r.role, r.purity, r.ploidy, r.timepoint) for r in rows] == [
        ("N", "normal", None, None, None), ("T1", "tumor", 0.45, 3.2, "baseline")]
    assert rows[1].line == 4


@pytest.mark.parametrize(("text", "where", "what"), [
    ("sample\tcolour\nR1\tred\n", "sheet.tsv:1", "unknown column 'colour'"),
    ("region\nR1\n", "sheet.tsv:1", "no 'sample' column"),
    ("sample\tpurity\nR1\t1.5\n", "sheet.tsv:2", "column 'purity': bad value '1.5'"),
    ("sample\tpurity\nR1\tseventy\n", "sheet.tsv:2", "column 'purity'"),
    ("sample\thypoxia\nR1\tmaybe\n", "sheet.tsv:2", "column 'hypoxia': bad value 'maybe'"),
    ("sample\tp4ebp1\nR1\tyes\n", "sheet.tsv:2", "column 'p4ebp1'"),
    ("sample\trole\nR1\tmetastasis\n", "sheet.tsv:2", "column 'role'"),
    ("sample\nR1\nR1\n", "sheet.tsv:3", "listed twice"),
    ("sample\tregion\n\tcore\n", "sheet.tsv:2", "'sample' is empty"),
    ("", "sheet.tsv", "no header"),
])
def test_sheet_errors_name_file_line_column(tmp_path: Path, text: str, where: str,
                                            what: str) -> None:
    with pytest.raises(InputError) as info:
        read_samplesheet(_write(tmp_path, text))
    line = info.value.one_line()
    assert where in line
    assert what in line
    assert "hint:" in line


def test_copy_number_fixture_and_errors(fixtures_dir: Path, tmp_path: Path) -> None:
    cn = read_copy_number(fixtures_dir / "het_ccf" / "copynumber.tsv")
    assert cn[("R1", "TSC2")] == CopyNumber(total_cn=2, minor_cn=0)
    assert cn[("R2", "TSC2")].major_cn == 1
    no_minor = read_copy_number(_write(tmp_path, "sample\tgene\ttotal_cn\nR1\ttsc1\t1\n"))
    assert no_minor[("R1", "TSC1")].minor_cn is None
    with pytest.raises(InputError, match="exceeds total_cn"):
        read_copy_number(_write(tmp_path, "sample\tgene\ttotal_cn\tminor_cn\nR1\tTSC2\t2\t3\n"))
    with pytest.raises(InputError, match="no 'total_cn' column"):
        read_copy_number(_write(tmp_path, "sample\tgene\tcn\nR1\tTSC2\t2\n"))
    with pytest.raises(InputError, match="total_cn"):
        read_copy_number(_write(tmp_path, "sample\tgene\ttotal_cn\nR1\tTSC2\t2.5\n"))


def test_targets_bed(tmp_path: Path) -> None:
    bed = _write(tmp_path, "track name=panel\n# comment\nchr1\t11127038\t11127039\tMTOR_ex45\n"
                 "16\t2080000\t2080300\n", "t.bed")
    targets = read_targets(bed)
    assert [(t.contig, t.start, t.end) for t in targets] == [
        ("1", 11127038, 11127039), ("16", 2080000, 2080300)]
    assert covers(targets, "1", 11127039)  # 0-based start 11127038 = 1-based 11127039
    assert not covers(targets, "chr1", 11127038)
    assert not covers(targets, "chr1", 11127040)
    assert covers(targets, "chr16", 2080300)
    assert not covers(targets, "chr16", 2080301)
    assert covers(targets, "16", 2079990, end=2080001)  # a deletion reaching in
    with pytest.raises(InputError, match="fewer than 3 columns"):
        read_targets(_write(tmp_path, "chr1\t5\n", "bad.bed"))
    with pytest.raises(InputError, match="end is before start"):
        read_targets(_write(tmp_path, "chr1\t50\t5\n", "bad2.bed"))


def test_contig_names() -> None:
    assert [normalise_contig(n) for n in ("chr1", "1", "chrM", "MT", "chrx", "chr")] == [
        "1", "1", "MT", "MT", "X", "chr"]
    assert mutation_key("chr16", 2080299, "c", "t") == "16:2080299:C:T"


def test_pyclone_import(fixtures_dir: Path) -> None:
    data = read_clonal_import(fixtures_dir / "het_imports" / "pyclone_vi.tsv")
    value = data[("1:11127039:A:G", "R2")]
    assert value.ccf == pytest.approx(0.41)
    assert value.ccf_low == pytest.approx(0.41 - 1.96 * 0.05)
    assert value.ccf_high == pytest.approx(0.41 + 1.96 * 0.05)
    assert value.cluster == "1"
    assert value.source == "PyClone-VI"
    assert data[("16:2080299:C:T", "R1")].ccf_high == 1.0  # clipped


def test_conipher_import_fixture(fixtures_dir: Path) -> None:
    data = read_clonal_import(fixtures_dir / "het_imports" / "conipher_input.tsv")
    assert data[("1:11127039:A:G", "R2")].ccf == pytest.approx(0.4)
    assert data[("1:11127039:A:G", "R2")].cluster == "2"
    assert data[("16:2080299:C:T", "R1")].ccf_low is None  # CONIPHER gives no interval


def test_conipher_real_input_table(shared_dir: Path) -> None:
    path = shared_dir / "testdata/real/B_multisample/conipher/CRUKTOY001.input_table.tsv"
    data = read_clonal_import(path)
    assert len(data) == 577 * 5
    first = data[("15:693:T:A", "CRUKTOY001_S2")]
    assert first.ccf == pytest.approx(0.86)
    assert first.cluster == "1"
    assert {v.source for v in data.values()} == {"CONIPHER"}


def test_import_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a PyClone-VI or CONIPHER table"):
        read_clonal_import(_write(tmp_path, "a\tb\n1\t2\n"))
    bad_id = "mutation_id\tsample_id\tcluster_id\tcellular_prevalence\nTSC2_Q1178*\tR1\t0\t0.9\n"
    with pytest.raises(InputError, match="does not name a variant"):
        read_clonal_import(_write(tmp_path, bad_id))
    with pytest.raises(InputError, match="no header"):
        read_clonal_import(_write(tmp_path, ""))


def test_genes_covered(tmp_path: Path) -> None:
    bed = _write(tmp_path, "chr16\t2080200\t2080400\nchr1\t11200000\t11200100\n", "panel.bed")
    spans = [("TSC2", "16", 2080165, 2080377), ("TSC2", "16", 2081595, 2081798),
             ("MTOR", "1", 11127010, 11127144), ("KRAS", "12", 25245274, 25245395)]
    assert genes_covered(read_targets(bed), spans) == {"KRAS": False, "MTOR": False,
                                                      "TSC2": True}
