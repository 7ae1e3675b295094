"""Cancer-cell fractions (purity/copy number, imports) and TSC1/TSC2 second hits."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.engine.ccf import (
    add_imported_ccf,
    assess_second_hits,
    ccf_from_vaf,
    ccf_warnings,
    estimate_ccf,
    expected_vaf,
    wilson_interval,
)
from mtorvar.engine.observe import observe_allele
from mtorvar.io.samplesheet import (
    CopyNumber,
    read_clonal_import,
    read_copy_number,
    read_samplesheet,
)
from mtorvar.models.report import SampleInfo
from mtorvar.models.variant import AlleleCall, Observation
from tests.unit.het_helpers import ANNOTATIONS, analyse, read_fixture_vcf

TSC2 = "chr16:2080299:C>T"
F2108L = "chr1:11127039:A>G"
Q1178 = ANNOTATIONS[("16", 2080299, "C", "T")]
Q1192 = ANNOTATIONS[("16", 2080341, "C", "T")]


def test_wilson_interval_known_values() -> None:
    low, high = wilson_interval(40, 100)
    assert low == pytest.approx(0.3094, abs=1e-4)
    assert high == pytest.approx(0.4980, abs=1e-4)
    assert wilson_interval(0, 50)[0] == 0.0
    assert wilson_interval(0, 0) == (0.0, 1.0)


def test_ccf_formula_round_trips_expected_vaf() -> None:
    for purity, cn, m, ccf in [(0.6, 2, 1, 1.0), (0.4, 3, 1, 0.5), (0.9, 4, 2, 0.8)]:
        vaf = expected_vaf(purity, cn, m, ccf)
        assert ccf_from_vaf(vaf, purity, cn, m) == pytest.approx(ccf)


def test_estimate_ccf_clonal_heterozygous() -> None:
    est = estimate_ccf(25, 100, 0.5, total_cn=2, minor_cn=1)
    assert est is not None
    assert est.ccf == pytest.approx(1.0)
    assert est.multiplicity == 1
    assert est.low < 1.0
    assert est.high == 1.0  # clipped


def test_estimate_ccf_subclonal_interval_brackets_point() -> None:
    est = estimate_ccf(20, 200, 0.5)
    assert est is not None
    assert est.ccf == pytest.approx(0.4)
    assert est.low < est.ccf < est.high
    assert "assumed 2" in est.note


def test_multiplicity_needs_evidence() -> None:
    loh = estimate_ccf(80, 100, 0.8, total_cn=2, minor_cn=0)
    assert loh is not None
    assert loh.multiplicity == 2
    assert loh.ccf == pytest.approx(1.0)
    balanced = estimate_ccf(80, 100, 0.8, total_cn=2, minor_cn=1)  # major 1: m stays 1
    assert balanced is not None
    assert balanced.multiplicity == 1
    assert "raw CCF" in balanced.note


def test_ploidy_stands_in_for_missing_copy_number() -> None:
    est = estimate_ccf(30, 100, 0.6, ploidy=3.1)
    assert est is not None
    assert est.total_cn == 3
    assert "ploidy" in est.note


def test_no_ccf_without_depth_or_purity() -> None:
    assert estimate_ccf(0, 0, 0.5) is None
    assert estimate_ccf(5, 10, 0.0) is None


def test_ccf_fixture(fixtures_dir: Path) -> None:
    case = fixtures_dir / "het_ccf"
    result = analyse(*read_fixture_vcf(case / "tumour.vcf"),
                     sheet=read_samplesheet(case / "samples.tsv"),
                     copy_number=read_copy_number(case / "copynumber.tsv"))
    tsc2 = result.variants[TSC2].observations
    assert tsc2["R1"].ccf == pytest.approx(1.0)  # VAF 0.8, purity 0.8, LOH: m = 2
    assert tsc2["R2"].ccf == pytest.approx(1.0)  # VAF 0.25, purity 0.5, heterozygous
    assert tsc2["R3"].ccf is None  # no purity: no guess
    assert tsc2["NORMAL"].ccf is None
    mtor = result.variants[F2108L].observations["R2"]
    assert mtor.ccf == pytest.approx(0.4)
    assert mtor.ccf_low is not None
    assert mtor.ccf_high is not None
    assert mtor.ccf_low < 0.4 < mtor.ccf_high
    assert any("R3" in w and "purity" in w for w in result.warnings)
    assert result.second_hits["R1"] == {"TSC2": "biallelic"}
    assert result.second_hits["R2"] == {"TSC2": "monoallelic"}
    assert result.regions["R1"].second_hit == {"TSC2": "biallelic"}
    assert result.regions["R1"].predictions["rapalog"].because == (
        "FAKE-TSC2-LOF", "FAKE-TSC2-BIALLELIC")


def test_ccf_warnings_only_when_asked() -> None:
    no_purity = [SampleInfo(name="R1"), SampleInfo(name="R2")]
    assert ccf_warnings(no_purity) == []
    assert ccf_warnings(no_purity, copy_number_given=True) != []
    some = [SampleInfo(name="R1", purity=0.5), SampleInfo(name="R2")]
    assert ccf_warnings(some) == [
        "no purity for sample(s) R2: CCF not computed there (add a purity column to the "
        "sample sheet)"]


def _hit(ann: object, alt: int, depth: int, call: AlleleCall | None = None) -> tuple:
    obs = Observation(state="present", evidence="reads", alt_reads=alt, depth=depth,
                      vaf=alt / depth)
    return ann, obs, call


def test_two_lof_variants_are_biallelic_unless_in_cis() -> None:
    sample = SampleInfo(name="R1")
    hits, _ = assess_second_hits(sample, [_hit(Q1178, 30, 100), _hit(Q1192, 28, 100)])
    assert hits == {"TSC2": "biallelic"}
    cis = AlleleCall(phased=True, phase_set="7", allele_on_haplotype=(1,))
    hits, notes = assess_second_hits(sample, [_hit(Q1178, 30, 100, cis),
                                              _hit(Q1192, 28, 100, cis)])
    assert hits == {"TSC2": "monoallelic"}
    assert "same haplotype" in notes[0]
    trans = cis.model_copy(update={"allele_on_haplotype": (0,)})
    hits, _ = assess_second_hits(sample, [_hit(Q1178, 30, 100, cis),
                                          _hit(Q1192, 28, 100, trans)])
    assert hits == {"TSC2": "biallelic"}


def test_one_lof_copy_number_and_vaf_rules() -> None:
    sample = SampleInfo(name="R1", purity=0.6)
    one = [_hit(Q1178, 30, 100)]
    assert assess_second_hits(sample, one, {("R1", "TSC2"): CopyNumber(total_cn=1)})[0] == {
        "TSC2": "biallelic"}
    assert assess_second_hits(sample, one, {("R1", "TSC2"): CopyNumber(
        total_cn=3, minor_cn=1)})[0] == {"TSC2": "monoallelic"}
    # purity 0.6: heterozygous VAF 0.3; LOH 0.43 (deletion) or 0.6 (copy-neutral)
    assert assess_second_hits(sample, [_hit(Q1178, 300, 1000)])[0] == {"TSC2": "monoallelic"}
    assert assess_second_hits(sample, [_hit(Q1178, 580, 1000)])[0] == {"TSC2": "biallelic"}
    assert assess_second_hits(sample, [_hit(Q1178, 4, 10)])[0] == {"TSC2": "unknown"}
    assert assess_second_hits(SampleInfo(name="R1"), one)[0] == {"TSC2": "unknown"}


def test_no_lof_no_entry() -> None:
    missense = ANNOTATIONS[("1", 11127039, "A", "G")]
    assert assess_second_hits(SampleInfo(name="R1"), [_hit(missense, 30, 100)])[0] == {}
    absent = (Q1178, Observation(state="absent"), None)
    assert assess_second_hits(SampleInfo(name="R1"), [absent])[0] == {}


@pytest.mark.parametrize("name", ["pyclone_vi.tsv", "conipher_input.tsv"])
def test_imported_ccf_replaces_computed(fixtures_dir: Path, name: str) -> None:
    imported = read_clonal_import(fixtures_dir / "het_imports" / name)
    header, alleles = read_fixture_vcf(fixtures_dir / "het_ccf" / "tumour.vcf")
    samples = [SampleInfo(name=n, role="normal" if n == "NORMAL" else "tumor")
               for n in header.samples]
    mtor = next(a for a in alleles if a.pos == 11127039)
    observed = add_imported_ccf(observe_allele(mtor, samples), mtor, imported)
    r2 = observed.observations["R2"]
    assert r2.ccf == pytest.approx(0.41 if name.startswith("pyclone") else 0.4)
    assert "cluster" in (r2.note or "")
    assert observed.observations["R3"].ccf is None
