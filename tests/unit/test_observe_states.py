"""States, the power rule, clonality and normal flags (DESIGN.md section 4)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from mtorvar.engine.observe import (
    ObserveParams,
    binomial_sf,
    clonality_of,
    detection_power,
    min_depth_for_power,
    observe_allele,
    observe_call,
)
from mtorvar.engine.samples import resolve_samples
from mtorvar.models.report import SampleInfo
from mtorvar.models.variant import Allele, AlleleCall
from tests.unit.het_helpers import analyse, read_fixture_vcf

TSC2 = "chr16:2080299:C>T"
F2108L = "chr1:11127039:A>G"
KRAS = "chr12:25245350:C>T"
PIK3CA = "chr3:179218303:G>A"
SYN = "chr1:11127037:G>A"


def _binom_sf_reference(k: int, n: int, p: float) -> float:
    return sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))


@pytest.mark.parametrize(("k", "n", "p"), [(3, 124, 0.05), (3, 30, 0.2), (1, 10, 0.5),
                                           (5, 40, 0.01), (3, 3, 0.9), (0, 5, 0.3)])
def test_binomial_sf_matches_exact_sum(k: int, n: int, p: float) -> None:
    assert binomial_sf(k, n, p) == pytest.approx(_binom_sf_reference(k, n, p), abs=1e-12)


def test_binomial_sf_edges() -> None:
    assert binomial_sf(4, 3, 0.5) == 0.0
    assert binomial_sf(1, 100, 0.0) == 0.0
    assert binomial_sf(3, 100, 1.0) == 1.0
    assert 0.999 < binomial_sf(3, 100_000, 0.05) <= 1.0  # large depth, no overflow


def test_power_boundary_depths() -> None:
    assert min_depth_for_power(0.05, 3, 0.95) == 124
    assert detection_power(123, 0.05, 3) < 0.95 <= detection_power(124, 0.05, 3)
    assert min_depth_for_power(0.2, 3, 0.95) == 30


def test_states_fixture(fixtures_dir: Path) -> None:
    result = analyse(*read_fixture_vcf(fixtures_dir / "het_states" / "states.vcf"),
                     params=ObserveParams(pass_only=True))
    tsc2 = result.variants[TSC2].observations
    assert tsc2["R1"].state == "present"
    assert tsc2["R1"].evidence == "reads"
    assert (tsc2["R1"].depth, tsc2["R1"].alt_reads, tsc2["R1"].vaf) == (100, 40, 0.4)
    assert tsc2["R2"].state == "absent"
    assert tsc2["R2"].power is not None
    assert tsc2["R2"].power >= 0.95
    assert tsc2["R3"].state == "not_assessed"
    assert tsc2["R3"].power is not None
    assert tsc2["R3"].power < 0.95
    assert tsc2["R4"].state == "not_assessed"
    assert tsc2["R4"].depth is None
    # 4 of 400 reads: VAF 0.01 < min_vaf, and 400 reads have power at v* = 0.05 -> absent
    assert result.state(F2108L, "R1") == "absent"
    assert "alt read" in (result.variants[F2108L].observations["R1"].note or "")
    assert result.state(F2108L, "R3") == "not_assessed"  # 50 reads: power 0.46 at 0.05
    # GT-only: carrying genotype present, reference genotype and ./. not assessed
    pik = result.variants[PIK3CA].observations
    assert pik["R1"].state == "present"
    assert pik["R1"].evidence == "genotype"
    assert pik["R2"].state == "not_assessed"
    assert pik["R2"].evidence == "genotype"
    assert pik["R3"].state == "not_assessed"
    # FILTER failed + pass_only: filtered everywhere, nothing assessed
    assert {o.state for o in result.variants[KRAS].observations.values()} == {"filtered"}
    assert result.variants[KRAS].clonality == "undetermined"


def test_failed_filter_is_observed_without_pass_only(fixtures_dir: Path) -> None:
    result = analyse(*read_fixture_vcf(fixtures_dir / "het_states" / "states.vcf"))
    assert result.state(KRAS, "R1") == "present"
    assert result.state(KRAS, "R2") == "absent"
    assert result.state(KRAS, "R4") == "not_assessed"  # depth 3


def test_power_rule_at_its_boundary(fixtures_dir: Path) -> None:
    result = analyse(*read_fixture_vcf(fixtures_dir / "het_power" / "power.vcf"))
    # TSC2: lowest present VAF 0.04 is floored to 0.05 -> 124 reads needed
    assert result.variants[TSC2].v_star == 0.05
    assert result.state(TSC2, "R1") == "present"
    assert result.state(TSC2, "R2") == "absent"  # 124 reads
    assert result.state(TSC2, "R3") == "not_assessed"  # 123 reads
    # MTOR: present at VAF 0.2 -> 30 reads suffice, 29 do not
    assert result.variants[F2108L].v_star == 0.2
    assert result.state(F2108L, "R1") == "absent"
    assert result.state(F2108L, "R3") == "not_assessed"


def test_thresholds_are_parameters() -> None:
    call = AlleleCall(carries=True, alt_reads=3, depth=200, vaf=0.015)
    assert observe_call(call, 0.05, ObserveParams()).state == "absent"  # VAF < 0.02
    assert observe_call(call, 0.05, ObserveParams(min_vaf=0.01)).state == "present"
    assert observe_call(call, 0.05, ObserveParams(min_alt_reads=4, min_vaf=0.01)).state \
        == "absent"
    low = AlleleCall(alt_reads=0, depth=60)
    assert observe_call(low, 0.05, ObserveParams()).state == "not_assessed"
    assert observe_call(low, 0.05, ObserveParams(power=0.5)).state == "absent"


def test_af_without_allele_depths_and_no_coverage() -> None:
    estimated = observe_call(AlleleCall(vaf=0.3, depth=50), 0.05, ObserveParams())
    assert estimated.state == "present"
    assert estimated.alt_reads == 15
    assert "estimated" in (estimated.note or "")
    assert observe_call(AlleleCall(alt_reads=0, depth=0), 0.05, ObserveParams()).state \
        == "not_assessed"
    assert observe_call(None, 0.05, ObserveParams()).note == "sample missing from the input file"


@pytest.mark.parametrize(("states", "expected"), [
    (["present", "present", "present"], "truncal"),
    (["present", "present", "not_assessed"], "truncal"),
    (["present", "present", "absent"], "shared"),
    (["present", "absent", "absent"], "private"),
    (["present", "not_assessed", "not_assessed"], "undetermined"),
    (["present"], "undetermined"),
    (["absent", "absent"], "undetermined"),
    (["filtered", "filtered"], "undetermined"),
    (["present", "filtered", "absent"], "private"),
])
def test_clonality_classes(states: list, expected: str) -> None:
    clonality, counts = clonality_of(states)
    assert clonality == expected
    assert counts["assessed"] == counts["present"] + counts["absent"]


def test_clonality_fixture_and_normal_flag(fixtures_dir: Path) -> None:
    result = analyse(*read_fixture_vcf(fixtures_dir / "het_clonality" / "clonality.vcf"))
    assert [s.role for s in result.samples] == ["normal", "tumor", "tumor", "tumor"]
    clonality = {k: v.clonality for k, v in result.variants.items()}
    assert clonality == {SYN: "truncal", F2108L: "private", PIK3CA: "shared",
                         KRAS: "undetermined", TSC2: "truncal"}
    assert result.variants[PIK3CA].clonality_counts == {
        "present": 2, "absent": 1, "not_assessed": 0, "filtered": 0, "assessed": 3}
    # the normal is observed but never counted
    assert result.variants[TSC2].clonality_counts["assessed"] == 3
    assert result.state(TSC2, "N") == "absent"
    assert any("normal sample N" in w and "germline" in w for w in result.variants[SYN].warnings)
    assert not result.variants[TSC2].warnings


def test_single_alt_read_in_normal_is_not_flagged(fixtures_dir: Path) -> None:
    result = analyse(*read_fixture_vcf(fixtures_dir / "het_pam01" / "pam01_kras.grch37.vcf"))
    assert not result.variants["12:25398284:C>A"].warnings


def test_pam01_kras_g12v_is_truncal(fixtures_dir: Path) -> None:
    header, alleles = read_fixture_vcf(fixtures_dir / "het_pam01" / "pam01_kras.grch37.vcf")
    result = analyse(header, alleles)
    kras = result.variants["12:25398284:C>A"]
    assert kras.clonality == "truncal"
    assert kras.clonality_counts["present"] == 6
    assert result.samples[0].role == "normal"  # ##normal_sample=Pam01N3
    assert result.tumor.predictions["rapalog"].call == "reduced"


def _pam01_table(path: Path) -> dict[str, dict[str, str]]:
    lines = path.read_bytes().decode().replace("\r\n", "\n").replace("\r", "\n").splitlines()
    header = lines[0].split("\t")
    return {row[3] + ":" + row[1]: dict(zip(header, row, strict=True))
            for row in (line.split("\t") for line in lines[1:] if line)}


def test_pam01_real_counts_agree_with_fixture(shared_dir: Path, fixtures_dir: Path) -> None:
    base = shared_dir / "testdata/real/B_multisample/treeomics_makohon2017"
    mutant = _pam01_table(base / "Pam01_1-6_mutant_reads.txt")["KRAS:25398284"]
    coverage = _pam01_table(base / "Pam01_1-6_phredcoverage.txt")["KRAS:25398284"]
    header, alleles = read_fixture_vcf(fixtures_dir / "het_pam01" / "pam01_kras.grch37.vcf")
    for name, call in zip(header.samples, alleles[0].calls, strict=True):
        assert (call.alt_reads, call.depth) == (int(mutant[name]), int(coverage[name]))


def test_pam01_real_table_every_site_judged(shared_dir: Path) -> None:
    """Run the state rules on every Pam01 mutation: KRAS truncal, the normal excluded."""
    base = shared_dir / "testdata/real/B_multisample/treeomics_makohon2017"
    mutant = _pam01_table(base / "Pam01_1-6_mutant_reads.txt")
    coverage = _pam01_table(base / "Pam01_1-6_phredcoverage.txt")
    names = ["Pam01N3", "LiM1", "LiM2", "NoM1", "NoM2", "PT1", "PT2"]
    samples, _ = resolve_samples(names, normal="Pam01N3")
    clonality = {}
    for key, row in mutant.items():
        if key not in coverage:
            continue
        calls = tuple(AlleleCall(alt_reads=int(row[n]), depth=int(coverage[key][n]))
                      for n in names)
        allele = Allele(chrom="12", contig="12", pos=1, ref="C", alt="A", allele_index=1,
                        calls=calls)
        clonality[key] = observe_allele(allele, samples).clonality
    assert clonality["KRAS:25398284"] == "truncal"
    assert len(clonality) > 50
    assert set(clonality.values()) >= {"truncal", "shared"}


def test_sites_only_vcf_gives_sites_sample(fixtures_dir: Path) -> None:
    result = analyse(*read_fixture_vcf(fixtures_dir / "het_sites_only" / "sites.vcf"))
    assert [s.name for s in result.samples] == ["SITES"]
    assert result.state(F2108L, "SITES") == "present"
    assert result.regions["SITES"].predictions["rapalog"].call == "resistant"


def test_sample_missing_from_calls_is_not_assessed() -> None:
    samples = [SampleInfo(name="R1"), SampleInfo(name="R2")]
    allele = Allele(chrom="1", contig="1", pos=5, ref="A", alt="G", allele_index=1,
                    calls=(AlleleCall(alt_reads=10, depth=50),))
    observed = observe_allele(allele, samples)
    assert observed.observations["R2"].state == "not_assessed"
    assert observed.clonality == "undetermined"


def test_fifty_sample_vcf(tmp_path: Path) -> None:
    """A 60-region VCF: state and clonality per sample at scale, deterministic order."""
    names = ["NORMAL"] + [f"R{i:02d}" for i in range(1, 60)]
    cells = ["0/0:100,0:100"] + [
        "0/1:70,30:100" if i % 3 else "0/0:200,0:200" for i in range(1, 60)]
    text = ("##fileformat=VCFv4.2\n##normal_sample=NORMAL\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\t"
            "FILTER\tINFO\tFORMAT\t" + "\t".join(names) + "\n"
            "chr1\t11127039\t.\tA\tG\t.\tPASS\t.\tGT:AD:DP\t" + "\t".join(cells) + "\n"
            "chr16\t2080299\t.\tC\tT\t.\tPASS\t.\tGT:AD:DP\t" + "\t".join(
                ["0/0:90,0:90"] + ["0/1:60,40:100"] * 59) + "\n")
    path = tmp_path / "many.vcf"
    path.write_text(text)
    result = analyse(*read_fixture_vcf(path))
    assert len(result.samples) == 60
    assert list(result.regions) == names[1:]
    f2108l = result.variants[F2108L]
    assert f2108l.clonality == "shared"
    assert f2108l.clonality_counts == {"present": 40, "absent": 19, "not_assessed": 0,
                                       "filtered": 0, "assessed": 59}
    assert result.variants[TSC2].clonality == "truncal"
    assert result.tumor.predictions["rapalog"].call == "heterogeneous"
    assert F2108L in result.tumor.resistant_subclones
