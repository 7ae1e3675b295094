"""The rule engine: specificity, unknown variants, second hits, co-occurrence, phenotypes,
and the combination policy."""

from __future__ import annotations

from pathlib import Path

from mtorvar.engine.match import combine, match_sample, match_variant, variant_predictions
from mtorvar.kb.loader import load_knowledge_base
from mtorvar.models import Annotation, RuleMatch
from tests.unit.test_match_notation import annotate

KB = load_knowledge_base()
FIX = Path(__file__).resolve().parents[2] / "fixtures"


def ids(notation: str) -> list[str]:
    return [m.rule_id for m in match_variant(annotate(notation), KB)]


def sample(*notations: str, phenotypes: dict[str, str] | None = None,
           second_hits: dict[str, str] | None = None) -> list[RuleMatch]:
    present = [(a, match_variant(a, KB)) for a in map(annotate, notations)]
    return match_sample(present, phenotypes or {}, KB, second_hits or {})


def calls(matches: list[RuleMatch]) -> dict[str, str]:
    return {drug: c.call for drug, c in combine(matches, KB).items()}


def test_f2108l_is_rapalog_resistant_and_kinase_inhibitor_sensitive() -> None:
    matches = match_variant(annotate("MTOR:p.F2108L"), KB)
    assert [m.rule_id for m in matches] == ["MTOR-FRB-F2108"]  # exact beats the FRB domain rule
    m = matches[0]
    assert m.specificity == "exact"
    assert m.gene == "MTOR"
    assert m.variant == "MTOR:p.F2108L"
    assert "PMID:25295501" in m.citations
    assert "PMID:27279227" in m.citations
    assert calls(matches) == {"rapalog": "resistant", "torki": "sensitive",
                              "dual_pi3k_mtor": "sensitive", "rapalink": "sensitive"}
    combined = combine(matches, KB)
    assert combined["rapalog"].because == ("MTOR-FRB-F2108",)
    assert combined["rapalog"].evidence_level == "C"
    assert combined["dual_pi3k_mtor"].evidence_level == "E"
    assert any("weak" in n for n in combined["dual_pi3k_mtor"].notes)


def test_three_letter_notation_matches_the_same_rule() -> None:
    assert ids("MTOR:p.Phe2108Leu") == ["MTOR-FRB-F2108"]


def test_unknown_frb_missense_is_only_a_flag_never_resistant() -> None:
    matches = match_variant(annotate("MTOR:p.K2066N"), KB)
    assert [m.rule_id for m in matches] == ["MTOR-FRB-VUS"]
    combined = combine(matches, KB)
    assert {c.call for c in combined.values()} == {"unknown"}
    assert combined["rapalog"].because == ("MTOR-FRB-VUS",)
    assert "FRB" in combined["rapalog"].notes[0]


def test_e2014k_at_the_frb_edge_is_activating_not_resistant() -> None:
    matches = match_variant(annotate("MTOR:p.E2014K"), KB)
    assert [m.rule_id for m in matches] == ["MTOR-ACT-E2014K-E2419K"]
    assert calls(matches)["rapalog"] == "sensitive"


def test_e2014k_stays_sensitive_even_under_a_wide_rapamycin_binding_range_rule(
        tmp_path: Path) -> None:
    # A site adds the wider UniProt rapamycin-binding region 2012-2144 as a resistance range:
    # the exact activating rule still wins for E2014K (specific beats general).
    (tmp_path / "wide.yaml").write_text("""
rules:
  - id: SITE-MTOR-RAPA-REGION
    status: active
    gene: MTOR
    title: wide rapamycin-binding region
    match: {range: {start: 2012, end: 2144}, variant_class: missense}
    mechanism: test
    predictions: {rapalog: {call: resistant}}
    evidence_level: E
    citation_note: test
    curated: 2026-11-27
    examples: {fire: ["MTOR:p.K2066N"], no_fire: ["MTOR:p.E2014K"]}
""")
    kb = load_knowledge_base([tmp_path])
    assert [m.rule_id for m in match_variant(annotate("MTOR:p.E2014K"), kb)] == [
        "MTOR-ACT-E2014K-E2419K"]
    assert "SITE-MTOR-RAPA-REGION" in [m.rule_id for m in
                                       match_variant(annotate("MTOR:p.K2066N"), kb)]


def test_unknown_variant_is_unknown_never_sensitive() -> None:
    for notation in ("MTOR:p.L2115P", "TSC2:p.P4L", "KRAS:p.D33E", "PIK3CA:p.R88Q",
                     "MTOR:p.F2108="):
        matches = match_variant(annotate(notation), KB)
        assert matches == [], notation
        combined = combine(matches, KB)
        assert {c.call for c in combined.values()} == {"unknown"}
        assert all(c.because == () for c in combined.values())


def test_codon_rule_respects_alt_residues() -> None:
    assert ids("MTOR:p.S2035F") == ["MTOR-FRB-S2035"]
    assert ids("MTOR:p.S2035I") == ["MTOR-FRB-S2035"]
    assert ids("MTOR:p.S2035N") == ["MTOR-FRB-VUS"]  # not a documented drug-contact change


def test_kinase_domain_m2327i_resists_kinase_inhibitors_not_rapalink() -> None:
    c = calls(match_variant(annotate("MTOR:p.M2327I"), KB))
    assert c["torki"] == "resistant"
    assert c["rapalink"] == "sensitive"
    # Rodrik-Outmezguine 2016: M2327I cells kept full sensitivity to rapamycin (FRB intact)
    assert c["rapalog"] == "sensitive"


def test_tsc_loss_of_function_and_c_terminal_exception() -> None:
    assert ids("TSC2:p.Q1178*") == ["TSC2-LOF"]
    assert ids("TSC2:p.L1750Afs*25") == ["TSC2-LOF"]
    assert ids("TSC2:c.225+1G>A") == ["TSC2-LOF"]
    assert ids("TSC1:p.M1?") == ["TSC1-LOF"]
    assert ids("TSC1:p.R509*") == ["TSC1-LOF"]
    assert ids("TSC1:p.S1100*") == []  # very C-terminal truncation: exception
    assert ids("TSC2:p.N1643K") == ["TSC2-GAP-N1643"]
    assert calls(match_variant(annotate("TSC2:p.Q1178*"), KB))["rapalog"] == "sensitive"


def test_single_tsc2_hit_says_second_allele_unknown_or_weakened() -> None:
    unknown = combine(sample("TSC2:p.Q1178*"), KB)["rapalog"]
    assert unknown.call == "sensitive"
    assert any("not assessed" in n for n in unknown.notes)
    mono = combine(sample("TSC2:p.Q1178*", second_hits={"TSC2": "monoallelic"}), KB)["rapalog"]
    assert mono.call == "sensitive"
    assert any(n.startswith("weakened") for n in mono.notes)


def test_biallelic_tsc2_by_two_variants_or_copy_number_strengthens() -> None:
    two = combine(sample("TSC2:p.Q1178*", "TSC2:p.L1750Afs*25"), KB)["rapalog"]
    assert any(n.startswith("strengthened") and "two inactivating TSC2" in n for n in two.notes)
    loh = combine(sample("TSC2:p.Q1178*", second_hits={"TSC2": "biallelic"}), KB)["rapalog"]
    assert any(n.startswith("strengthened") and "copy-number" in n for n in loh.notes)
    # a TSC1 second-hit does not strengthen a TSC2 call
    other = combine(sample("TSC2:p.Q1178*", second_hits={"TSC1": "biallelic"}), KB)["rapalog"]
    assert not any(n.startswith("strengthened") for n in other.notes)


def test_resistance_with_adequate_evidence_outranks_sensitivity() -> None:
    # Wagle 2014 NEJM: truncal TSC2 Q1178* (sensitive) plus acquired F2108L (resistant).
    combined = combine(sample("TSC2:p.Q1178*", "MTOR:p.F2108L"), KB)
    assert combined["rapalog"].call == "resistant"
    assert combined["rapalog"].because == ("MTOR-FRB-F2108",)
    assert any("outranks sensitive (TSC2-LOF)" in n for n in combined["rapalog"].notes)
    assert combined["torki"].call == "sensitive"
    assert combined["torki"].because == ("MTOR-FRB-F2108",)  # level D beats TSC2-LOF's E


def test_weak_resistance_does_not_outrank_documented_sensitivity() -> None:
    # KRAS Q61H resistance is inferential (E); TSC2 LoF sensitivity is level C.
    combined = combine(sample("TSC2:p.Q1178*", "KRAS:p.Q61H"), KB)
    assert combined["rapalog"].call == "sensitive"
    assert "outranks resistant (KRAS-Q61)" in " ".join(combined["rapalog"].notes)


def test_frb_plus_kinase_mutation_leaves_only_rapalink() -> None:
    c = calls(sample("MTOR:p.F2108L", "MTOR:p.M2327I"))
    assert c == {"rapalog": "resistant", "torki": "resistant", "dual_pi3k_mtor": "reduced",
                 "rapalink": "sensitive"}


def test_kras_pik3ca_cooccurrence() -> None:
    matches = sample("KRAS:p.G12D", "PIK3CA:p.E545K")
    combo = [m for m in matches if m.rule_id == "COMBO-KRAS-PIK3CA"]
    assert len(combo) == 1
    assert combo[0].variant is None
    assert "KRAS:p.G12D" in combo[0].notes[0]
    assert "PIK3CA:p.E545K" in combo[0].notes[0]
    combined = combine(matches, KB)
    assert combined["rapalog"].call == "resistant"
    assert set(combined["rapalog"].because) == {"COMBO-KRAS-PIK3CA", "KRAS-G12"}
    assert "COMBO-KRAS-PIK3CA" not in [m.rule_id for m in sample("PIK3CA:p.E545K")]


def test_pik3ca_alone_does_not_predict_rapalog_benefit() -> None:
    c = combine(sample("PIK3CA:p.H1047R"), KB)["rapalog"]
    assert c.call == "no_effect"
    assert c.evidence_level == "B"


def test_hypoxia_lowers_rapalog_unless_atm_low_or_mtor_hyperactive() -> None:
    hyp = combine(sample("TSC2:p.Q1178*", phenotypes={"hypoxia": "yes"}), KB)
    assert hyp["rapalog"].call == "reduced"
    assert hyp["rapalog"].because == ("PHENO-HYPOXIA",)
    atm = combine(sample("TSC2:p.Q1178*", phenotypes={"hypoxia": "yes", "atm": "low"}), KB)
    assert atm["rapalog"].call == "sensitive"
    act = sample("MTOR:p.S2215Y", phenotypes={"hypoxia": "yes"})
    assert "PHENO-HYPOXIA" not in [m.rule_id for m in act]
    assert combine(act, KB)["rapalog"].call == "sensitive"
    assert combine(sample(phenotypes={"hypoxia": "unknown"}), KB)["rapalog"].call == "unknown"


def test_s6k_low_4ebp1_high_pattern_spares_kinase_inhibitors() -> None:
    c = combine(sample(phenotypes={"ps6": "low", "p4ebp1": "high"}), KB)
    assert c["rapalog"].call == "reduced"
    assert c["torki"].call == "sensitive"
    assert c["rapalog"].because == ("PHENO-PS6LOW-P4EBP1HIGH",)


def test_combine_deduplicates_repeated_matches() -> None:
    variant_matches = match_variant(annotate("TSC2:p.Q1178*"), KB)
    all_matches = variant_matches + sample("TSC2:p.Q1178*")
    combined = combine(all_matches, KB)["rapalog"]
    assert combined.because == ("TSC2-LOF",)
    assert any("not assessed" in n for n in combined.notes)


def test_variant_predictions_name_the_rules() -> None:
    preds = variant_predictions(match_variant(annotate("MTOR:p.F2108L"), KB), KB)
    assert preds["rapalog"].call == "resistant"
    assert preds["rapalog"].note is not None
    assert "MTOR-FRB-F2108" in preds["rapalog"].note
    assert variant_predictions([], KB)["torki"].call == "unknown"


def test_match_is_pure_and_deterministic() -> None:
    ann = annotate("TSC2:p.Q1178*")
    first = sample("TSC2:p.Q1178*", "MTOR:p.F2108L", phenotypes={"hypoxia": "yes"})
    second = sample("TSC2:p.Q1178*", "MTOR:p.F2108L", phenotypes={"hypoxia": "yes"})
    assert first == second
    assert match_variant(ann, KB) == match_variant(ann, KB)


def test_deprecated_rules_do_not_fire(tmp_path: Path) -> None:
    text = (FIX / "rules_override" / "site.yaml").read_text()
    (tmp_path / "site.yaml").write_text(text.replace(
        "    status: active\n    gene: MTOR", "    status: deprecated\n    gene: MTOR"))
    kb = load_knowledge_base([tmp_path])
    # the deprecated exact rule is skipped; only the FRB flag is left
    assert [m.rule_id for m in match_variant(annotate("MTOR:p.F2108L"), kb)] == ["MTOR-FRB-VUS"]


def test_range_rule_with_in_frame_and_any_classes(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text("""
rules:
  - id: SITE-KRAS-SWITCH2-INFRAME
    status: active
    gene: KRAS
    title: in-frame changes in switch II
    match: {range: {start: 59, end: 76}, variant_class: inframe}
    mechanism: test
    predictions: {rapalog: {call: reduced}}
    evidence_level: E
    citation_note: test
    curated: 2026-11-27
    examples: {fire: ["KRAS:p.Q61H"], no_fire: ["KRAS:p.G12D"]}
""")
    kb = load_knowledge_base([tmp_path])
    deletion = Annotation(gene="KRAS", transcript="NM_004985.5", hgvs_p="p.A59_G60del",
                          variant_class="inframe_deletion", protein_start=59, protein_end=60)
    assert [m.rule_id for m in match_variant(deletion, kb)] == ["SITE-KRAS-SWITCH2-INFRAME"]
    assert match_variant(annotate("KRAS:p.D33E"), kb) == []
