"""Pure VCF field values built from the report."""

from __future__ import annotations

from mtorvar.report.vcf_records import (
    FORMAT_STATE,
    INFO_IDS,
    annotate_record,
    header_lines,
    index_variants,
    vcf_escape,
)
from tests.unit.report_factory import make_report


def test_header_declares_every_field_as_number_a() -> None:
    lines = header_lines(make_report())
    for key in INFO_IDS:
        assert any(line.startswith(f"##INFO=<ID={key},Number=A,Type=String,") for line in lines)
    assert any(line.startswith(f"##FORMAT=<ID={FORMAT_STATE},Number=A,") for line in lines)
    assert "##mtorvar_version=0.1.0" in lines
    assert "##mtorvar_genome_build=GRCh38" in lines
    assert {"MTORVAR_RAPALOG", "MTORVAR_TORKI", "MTORVAR_DUAL_PI3K_MTOR",
            "MTORVAR_RAPALINK"} <= set(INFO_IDS)


def test_multiallelic_record_gets_one_value_per_alt() -> None:
    index = index_variants(make_report())
    ann = annotate_record(index[("12", 25245350, "C")], ("T", "A"), ("N", "R1", "R3", "X"))
    assert ann is not None
    assert ann.info["MTORVAR_HGVSP"] == ("p.G12D", "p.G12V")
    assert ann.info["MTORVAR_RAPALOG"] == ("reduced", "reduced")
    assert ann.sample_states["R1"] == ("present", "not_assessed")
    assert ann.sample_states["R3"] == ("absent", "present")
    assert ann.sample_states["X"] == (".", ".")


def test_alt_missing_from_report_is_dot_and_unreported_record_is_none() -> None:
    index = index_variants(make_report())
    ann = annotate_record(index[("12", 25245350, "C")], ("T", "G"), ("R1",))
    assert ann is not None
    assert ann.info["MTORVAR_GENE"] == ("KRAS", ".")
    assert ann.sample_states["R1"] == ("present", ".")
    assert annotate_record(index[("12", 25245350, "C")], ("G",), ("R1",)) is None


def test_values_are_escaped_and_empty_is_missing() -> None:
    index = index_variants(make_report())
    ann = annotate_record(index[("1", 11150000, "T")], ("C",), ())
    assert ann is not None
    assert ann.info["MTORVAR_HGVSP"] == (".",)
    assert ann.info["MTORVAR_RULES"] == (".",)
    assert vcf_escape("p.F2108=") == "p.F2108%3D"
    assert vcf_escape("a;b,c d:e%") == "a%3Bb%2Cc%20d%3Ae%25"
    assert vcf_escape("p.Q1178*") == "p.Q1178*"
