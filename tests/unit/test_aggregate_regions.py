"""Region calls, tumour verdicts, subclones, phenotypes (fake rule engine from het_helpers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.engine.aggregate import (
    KbEngine,
    VariantFacts,
    aggregate,
    region_call,
    resistant_subclones,
)
from mtorvar.engine.merge import SITE_NOT_IN_FILE, merge_inputs
from mtorvar.io.samplesheet import read_samplesheet
from mtorvar.models.report import SampleInfo
from mtorvar.models.variant import Observation
from mtorvar.models.vcf import VcfHeader
from tests.unit.het_helpers import (
    ANNOTATIONS,
    FakeEngine,
    analyse,
    fake_match_variant,
    read_fixture_vcf,
)

TSC2 = "chr16:2080299:C>T"
F2108L = "chr1:11127039:A>G"


def test_resistant_subclone(fixtures_dir: Path) -> None:
    case = fixtures_dir / "het_resistant_subclone"
    result = analyse(*read_fixture_vcf(case / "tumour.vcf"),
                     sheet=read_samplesheet(case / "samples.tsv"))
    assert list(result.regions) == ["R1", "R2", "R3"]  # the normal is never a region
    assert result.regions["R1"].region == "cortex"
    r2 = result.regions["R2"].predictions
    assert r2["rapalog"].call == "resistant"
    assert r2["rapalog"].because == ("FAKE-MTOR-F2108L",)
    assert r2["torki"].call == "sensitive"
    assert result.regions["R1"].predictions["rapalog"].call == "sensitive"
    rapalog = result.tumor.predictions["rapalog"]
    assert rapalog.call == "heterogeneous"
    assert rapalog.by_sample == {"R1": "sensitive", "R2": "resistant", "R3": "sensitive"}
    assert result.tumor.predictions["torki"].call == "sensitive"
    assert result.tumor.effective_in_all_samples == ("torki", "dual_pi3k_mtor", "rapalink")
    assert result.tumor.resistant_subclones == (F2108L,)


@pytest.mark.parametrize(("case", "rapalog", "effective"), [
    ("sensitive", "sensitive", ("rapalog", "torki", "dual_pi3k_mtor", "rapalink")),
    ("resistant", "resistant", ("torki", "dual_pi3k_mtor", "rapalink")),
    ("reduced", "reduced", ()),
    ("no_effect", "no_effect", ()),
    ("unknown", "unknown", ()),
])
def test_each_tumour_verdict(fixtures_dir: Path, case: str, rapalog: str,
                             effective: tuple[str, ...]) -> None:
    result = analyse(*read_fixture_vcf(fixtures_dir / "het_verdicts" / f"{case}.vcf"))
    assert result.tumor.predictions["rapalog"].call == rapalog
    assert result.tumor.predictions["rapalog"].by_sample == {"R1": rapalog, "R2": rapalog}
    assert result.tumor.effective_in_all_samples == effective
    assert result.tumor.resistant_subclones == ()  # truncal: no subclone


def test_hypoxic_and_4ebp1_high_regions(fixtures_dir: Path) -> None:
    case = fixtures_dir / "het_phenotypes"
    engine = FakeEngine()
    result = analyse(*read_fixture_vcf(case / "tumour.vcf"),
                     sheet=read_samplesheet(case / "samples.tsv"), engine=engine)
    assert result.regions["R1"].predictions["rapalog"].call == "sensitive"
    hypoxic = result.regions["R2"]
    assert hypoxic.predictions["rapalog"].call == "reduced"
    assert hypoxic.phenotype_matches == ("FAKE-HYPOXIA",)
    s6k1_low = result.regions["R3"]
    assert s6k1_low.phenotype_matches == ("FAKE-4EBP1-HIGH",)
    assert s6k1_low.predictions["rapalog"].call == "reduced"
    assert s6k1_low.predictions["torki"].call == "sensitive"  # 4E-BP1 pattern spares TORKi
    assert result.tumor.predictions["rapalog"].call == "heterogeneous"
    assert "torki" in result.tumor.effective_in_all_samples
    # phenotypes handed to the engine: only known values, unknown dropped
    assert engine.sample_calls[1][0] == {"hypoxia": "yes"}
    assert engine.sample_calls[2][0] == {"hypoxia": "no", "acidity": "no", "ps6": "low",
                                         "p4ebp1": "high"}


def test_per_region_files_missing_site_is_uncertain_not_wild_type(fixtures_dir: Path) -> None:
    case = fixtures_dir / "het_per_region"
    merged = merge_inputs([read_fixture_vcf(case / "R1.vcf"), read_fixture_vcf(case / "R2.vcf")])
    header = VcfHeader(path="merged", samples=merged.samples, meta=merged.meta)
    result = analyse(header, list(merged.alleles))
    assert [s.role for s in result.samples] == ["normal", "tumor", "tumor"]
    assert result.state(F2108L, "R1") == "not_assessed"
    assert result.variants[F2108L].observations["R1"].note == SITE_NOT_IN_FILE
    assert result.variants[F2108L].clonality == "undetermined"
    r1 = result.regions["R1"].predictions["rapalog"]
    assert r1.call == "sensitive"
    assert r1.uncertain_because == (F2108L,)
    assert result.regions["R1"].predictions["torki"].uncertain_because == ()  # same call
    assert result.tumor.predictions["rapalog"].call == "heterogeneous"
    assert result.tumor.resistant_subclones == ()  # never shown absent anywhere


def test_unassessed_sample_does_not_make_verdict_heterogeneous() -> None:
    samples = [SampleInfo(name="R1"), SampleInfo(name="R2"), SampleInfo(name="R3")]
    ann = ANNOTATIONS[("16", 2080299, "C", "T")]
    present = Observation(state="present", evidence="reads", depth=100, alt_reads=40, vaf=0.4)
    facts = [VariantFacts(id=TSC2, annotation=ann, matches=tuple(fake_match_variant(ann, TSC2)),
                          observations={"R1": present, "R2": present,
                                        "R3": Observation(state="not_assessed")})]
    regions, tumor = aggregate(samples, facts, FakeEngine())
    assert [r.predictions["rapalog"].call for r in regions] == ["sensitive", "sensitive",
                                                                 "unknown"]
    assert regions[2].predictions["rapalog"].uncertain_because == (TSC2,)
    assert tumor.predictions["rapalog"].call == "sensitive"
    assert tumor.predictions["rapalog"].by_sample["R3"] == "unknown"
    assert tumor.effective_in_all_samples == ()  # R3 unknown: not "in every sample"


def test_no_variants_everything_unknown() -> None:
    regions, tumor = aggregate([SampleInfo(name="R1")], [], FakeEngine())
    assert {c.call for c in regions[0].predictions.values()} == {"unknown"}
    assert {t.call for t in tumor.predictions.values()} == {"unknown"}
    assert tumor.effective_in_all_samples == ()


def test_second_hit_reaches_the_engine(fixtures_dir: Path) -> None:
    engine = FakeEngine()
    sample = SampleInfo(name="R1")
    region = region_call(sample, [], engine, {"TSC2": "biallelic"})
    assert region.second_hit == {"TSC2": "biallelic"}
    assert engine.sample_calls == [({}, {"TSC2": "biallelic"})]
    assert region.predictions["rapalog"].because == ("FAKE-TSC2-BIALLELIC",)


def test_resistant_subclones_needs_present_and_absent() -> None:
    ann = ANNOTATIONS[("1", 11127039, "A", "G")]
    matches = tuple(fake_match_variant(ann, F2108L))

    def facts(*states: str) -> VariantFacts:
        return VariantFacts(id=F2108L, annotation=ann, matches=matches, observations={
            f"R{i}": Observation(state=s) for i, s in enumerate(states, 1)})

    names = ["R1", "R2", "R3"]
    assert resistant_subclones([facts("present", "absent", "absent")], names, {}) == (F2108L,)
    assert resistant_subclones([facts("present", "present", "present")], names, {}) == ()
    assert resistant_subclones([facts("present", "not_assessed", "filtered")], names, {}) == ()


def test_kb_engine_delegates_to_match_module(monkeypatch: pytest.MonkeyPatch) -> None:
    import types

    fake = types.ModuleType("mtorvar.engine.match")
    seen = {}

    def match_sample(present: list, phenotypes: dict, kb: object, second: dict) -> list:
        seen["kb"] = kb
        return []

    fake.match_sample = match_sample  # type: ignore[attr-defined]
    fake.combine = lambda matches, kb: FakeEngine().combine(matches)  # type: ignore[attr-defined]
    monkeypatch.setitem(__import__("sys").modules, "mtorvar.engine.match", fake)
    region = region_call(SampleInfo(name="R1"), [], KbEngine(kb="KB"))
    assert seen["kb"] == "KB"
    assert region.predictions["rapalog"].call == "unknown"
