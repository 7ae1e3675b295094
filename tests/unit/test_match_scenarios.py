"""Sample-level combinations the scientific review asked for (issue 3): what one tumour region
gets when several facts meet, and which rules the combined call names."""

from __future__ import annotations

from mtorvar.engine.match import combine, match_sample, match_variant
from mtorvar.kb.loader import load_knowledge_base
from mtorvar.models import ClassCall, DrugClass
from tests.unit.test_match_notation import annotate

KB = load_knowledge_base()


def region(*notations: str, phenotypes: dict[str, str] | None = None,
           second_hits: dict[str, str] | None = None) -> dict[DrugClass, ClassCall]:
    present = [(a, match_variant(a, KB)) for a in map(annotate, notations)]
    return combine(match_sample(present, phenotypes or {}, KB, second_hits or {}), KB)


def test_tsc2_loss_plus_frb_mutation_resists_rapalogs_not_kinase_inhibitors() -> None:
    # the Wagle 2014 relapse: TSC2 Q1178* truncal, F2108L acquired under everolimus
    calls = region("TSC2:p.Q1178*", "MTOR:p.F2108L")
    assert calls["rapalog"].call == "resistant"
    assert calls["rapalog"].because == ("MTOR-FRB-F2108",)
    assert any("outranks sensitive (TSC2-LOF)" in n for n in calls["rapalog"].notes)
    assert calls["torki"].call == "sensitive"
    assert calls["torki"].because == ("MTOR-FRB-F2108",)  # level D beats TSC2's inferential E
    assert calls["rapalink"].call == "sensitive"


def test_tsc2_loss_plus_kras_g12d_resists_rapalogs() -> None:
    calls = region("TSC2:p.Q1178*", "KRAS:p.G12D")
    assert calls["rapalog"].call == "resistant"
    assert calls["rapalog"].because == ("KRAS-G12",)
    assert calls["torki"].call == "reduced"          # both level E: reduced outranks sensitive
    assert calls["torki"].evidence_level == "E"
    assert calls["dual_pi3k_mtor"].call == "reduced"
    assert calls["rapalink"].call == "sensitive"     # only TSC2 speaks, at level E
    assert calls["rapalink"].evidence_level == "E"


def test_pik3ca_plus_kras_co_mutation_fires_the_combination_rule() -> None:
    calls = region("PIK3CA:p.H1047R", "KRAS:p.G12D")
    assert calls["rapalog"].call == "resistant"
    assert "COMBO-KRAS-PIK3CA" in calls["rapalog"].because
    # PIK3CA alone predicts dual sensitivity (preclinical); co-mutated KRAS takes it away
    assert calls["dual_pi3k_mtor"].call == "reduced"
    assert "COMBO-KRAS-PIK3CA" in calls["dual_pi3k_mtor"].because
    alone = region("PIK3CA:p.H1047R")
    assert alone["rapalog"].call == "no_effect"
    assert alone["dual_pi3k_mtor"].call == "sensitive"
    assert alone["dual_pi3k_mtor"].evidence_level == "D"


def test_kras_g13d_with_pik3ca_also_loses_dual_sensitivity() -> None:
    calls = region("PIK3CA:p.H1047R", "KRAS:p.G13D")  # HCT116-like genotype
    assert calls["dual_pi3k_mtor"].call == "reduced"
    assert calls["rapalog"].call == "resistant"


def test_hypoxic_region_with_tsc2_loss_is_reduced_for_every_class() -> None:
    calls = region("TSC2:p.Q1178*", phenotypes={"hypoxia": "yes"})
    for drug in ("rapalog", "torki", "dual_pi3k_mtor", "rapalink"):
        assert calls[drug].call == "reduced", drug
        assert "PHENO-HYPOXIA" in calls[drug].because
    assert any("outranks sensitive (TSC2-LOF)" in n for n in calls["rapalog"].notes)


def test_hypoxia_no_longer_leaves_dual_inhibitors_effective() -> None:
    # the example tumour's hypoxic core: TSC2 Q1178* + PIK3CA H1047R
    calls = region("TSC2:p.Q1178*", "PIK3CA:p.H1047R", phenotypes={"hypoxia": "yes"})
    assert calls["dual_pi3k_mtor"].call == "reduced"
    normoxic = region("TSC2:p.Q1178*", "PIK3CA:p.H1047R", phenotypes={"hypoxia": "no"})
    assert normoxic["dual_pi3k_mtor"].call == "sensitive"
    assert normoxic["rapalog"].call == "sensitive"


def test_hyperactivating_mtor_is_the_hypoxia_exception() -> None:
    calls = region("MTOR:p.S2215Y", phenotypes={"hypoxia": "yes"})
    assert calls["rapalog"].call == "sensitive"
    assert calls["rapalog"].because == ("MTOR-ACT-HYPERACTIVE",)
    assert "PHENO-HYPOXIA" not in {b for c in calls.values() for b in c.because}
    low_atm = region("TSC2:p.Q1178*", phenotypes={"hypoxia": "yes", "atm": "low"})
    assert low_atm["rapalog"].call == "sensitive"


def test_frb_plus_kinase_double_mutant_needs_rapalink() -> None:
    calls = region("MTOR:p.F2108L", "MTOR:p.M2327I")
    assert calls["rapalog"].call == "resistant"
    assert calls["torki"].call == "resistant"
    assert calls["rapalink"].call == "sensitive"
    assert "COMBO-MTOR-FRB-KINASE" in calls["torki"].because
    single = region("MTOR:p.M2327I")
    assert single["rapalog"].call == "sensitive"
    assert single["torki"].call == "resistant"


def test_s6k_low_4ebp1_high_region_escapes_rapalogs_only() -> None:
    calls = region("TSC2:p.Q1178*", phenotypes={"ps6": "low", "p4ebp1": "high"})
    assert calls["rapalog"].call == "reduced"
    assert calls["torki"].call == "sensitive"
    assert calls["torki"].because == ("PHENO-PS6LOW-P4EBP1HIGH",)  # level D step; TSC2 is E


def test_second_hit_notes_say_strengthened_or_weakened() -> None:
    two = region("TSC2:p.Q1178*", "TSC2:p.L1750Afs*25")
    assert any(n.startswith("strengthened") for n in two["rapalog"].notes)
    mono = region("TSC1:p.Q55*", second_hits={"TSC1": "monoallelic"})
    assert mono["rapalog"].call == "sensitive"
    assert any(n.startswith("weakened") and "weak" in n for n in mono["rapalog"].notes)
    alone = region("TSC1:p.Q55*")
    assert any(n.startswith("second allele not assessed") for n in alone["rapalog"].notes)


def test_weaker_kras_alleles_are_reduced_not_resistant() -> None:
    assert region("KRAS:p.A146T")["rapalog"].call == "reduced"
    assert region("KRAS:p.K117N")["rapalog"].call == "reduced"
    assert region("KRAS:p.Q61H")["rapalog"].call == "resistant"
    assert region("KRAS:p.Q61H")["rapalog"].evidence_level == "E"
    assert region("KRAS:p.G12C")["rapalog"].evidence_level == "C"
