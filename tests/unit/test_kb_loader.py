"""Loading the knowledge base: the built-in set, site rule folders, and broken rule sets."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtorvar.errors import RuleSetError
from mtorvar.kb.loader import load_knowledge_base, rules_dir
from mtorvar.kb.yamlsafe import MAX_FILE_BYTES

FIX = Path(__file__).resolve().parents[2] / "fixtures"


def problems_for(folder: str) -> list[str]:
    with pytest.raises(RuleSetError) as info:
        load_knowledge_base([FIX / folder])
    assert info.value.exit_code == 3
    return info.value.problems


def test_builtin_knowledge_base_loads_with_version_and_sha() -> None:
    kb = load_knowledge_base()
    assert kb.version == (rules_dir() / "VERSION").read_text().strip()
    assert len(kb.sha256) == 64
    assert int(kb.sha256, 16) >= 0
    assert set(kb.genes) == {"MTOR", "TSC1", "TSC2", "PIK3CA", "KRAS"}
    assert kb.genes["KRAS"].protein_length == 188
    assert {d.id for d in kb.drugs.drug_classes} == {"rapalog", "torki", "dual_pi3k_mtor",
                                                     "rapalink"}
    assert [lvl.level for lvl in kb.evidence.levels] == ["A", "B", "C", "D", "E"]
    assert kb.domain_ranges[("MTOR", "FRB")] == (2015, 2114)
    assert str(kb.sources["MTOR-FRB-F2108"]).startswith(str(rules_dir() / "MTOR.yaml") + ":")


def test_sha_is_stable_and_changes_with_extra_rules() -> None:
    assert load_knowledge_base().sha256 == load_knowledge_base().sha256
    assert load_knowledge_base([FIX / "rules_override"]).sha256 != load_knowledge_base().sha256


def test_every_citation_is_an_identifier() -> None:
    for rule in load_knowledge_base().rules:
        for citation in rule.citations:
            assert citation.split(":", 1)[0] in {"PMID", "PMCID", "DOI"}, (rule.id, citation)


def test_unknown_key_names_file_line_and_key() -> None:
    (problem,) = problems_for("rules_unknown_key")
    assert "rules_unknown_key/site.yaml:14:" in problem
    assert "unknown key 'evidnce'" in problem
    assert "SITE-UNKNOWN-KEY" in problem


def test_bad_evidence_level() -> None:
    (problem,) = problems_for("rules_bad_level")
    assert "rules_bad_level/site.yaml:11:" in problem
    assert "evidence_level" in problem


def test_duplicate_id_without_overrides() -> None:
    (problem,) = problems_for("rules_duplicate_id")
    assert "rules_duplicate_id/site.yaml:3:" in problem
    assert "duplicate rule ID MTOR-FRB-F2108" in problem
    assert "MTOR.yaml:" in problem
    assert "overrides: true" in problem


def test_unknown_gene() -> None:
    problems = problems_for("rules_unknown_gene")
    assert any("unknown gene 'BRAF'" in p and "site.yaml:4:" in p for p in problems)


def test_range_outside_protein() -> None:
    problems = problems_for("rules_range_outside")
    assert any("range 150-189 is outside KRAS (1-188)" in p and "site.yaml:7:" in p
               for p in problems)


def test_missing_examples() -> None:
    problems = problems_for("rules_missing_examples")
    assert any("missing examples" in p and "SITE-NO-NOFIRE" in p for p in problems)


def test_bad_yaml_reports_line() -> None:
    (problem,) = problems_for("rules_bad_yaml")
    assert "rules_bad_yaml/site.yaml:" in problem
    assert "invalid YAML" in problem


def test_all_problems_of_all_files_are_reported_at_once() -> None:
    problems = problems_for("rules_many_problems")
    text = "\n".join(problems)
    assert "a.yaml:5:" in text
    assert "unknown gene 'TSC3'" in text
    assert "a.yaml:57:" in text
    assert "predictions.rapalog.call" in text
    assert "a.yaml:23: rule SITE-MANY-2: residue 2600 is outside MTOR" in text
    assert "a.yaml:38: rule SITE-MANY-3: unknown domain 'FRB2' for MTOR" in text
    assert "b.yaml:2:" in text
    assert "duplicate rule ID SITE-MANY-1" in text
    assert len(problems) == 5
    # one message line per problem for the CLI's one-line error
    with pytest.raises(RuleSetError) as info:
        load_knowledge_base([FIX / "rules_many_problems"])
    assert "\n" not in info.value.one_line()


def test_override_replaces_builtin_rule_and_adds_site_rule() -> None:
    kb = load_knowledge_base([FIX / "rules_override"])
    rule = kb.rules_by_id["MTOR-FRB-F2108"]
    assert rule.overrides
    assert rule.evidence_level == "B"
    assert rule.mechanism == "site curation"
    assert "rules_override/site.yaml" in str(kb.sources[rule.id])
    assert "SITE-KRAS-G12" in kb.rules_by_id
    assert kb.extra_dirs == (str(FIX / "rules_override"),)
    assert len(kb.rules) == len(load_knowledge_base().rules) + 1


def test_overrides_true_without_a_builtin_rule_is_an_error(tmp_path: Path) -> None:
    text = (FIX / "rules_override" / "site.yaml").read_text()
    (tmp_path / "site.yaml").write_text(text.replace("id: MTOR-FRB-F2108", "id: SITE-NEW-F2108"))
    with pytest.raises(RuleSetError) as info:
        load_knowledge_base([tmp_path])
    assert any("overrides: true but no built-in rule" in p for p in info.value.problems)


def test_missing_directory_is_a_ruleset_error(tmp_path: Path) -> None:
    with pytest.raises(RuleSetError) as info:
        load_knowledge_base([tmp_path / "nope"])
    assert "not a directory" in info.value.problems[0]


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    (tmp_path / "big.yaml").write_text("rules: []\n" + "#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(RuleSetError) as info:
        load_knowledge_base([tmp_path])
    assert "above the" in info.value.problems[0]
    assert "big.yaml" in info.value.problems[0]


def test_aliases_and_python_tags_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("x: &a [1, 2]\nrules: *a\n")
    (tmp_path / "b.yaml").write_text("rules: !!python/object/apply:os.system ['true']\n")
    with pytest.raises(RuleSetError) as info:
        load_knowledge_base([tmp_path])
    text = "\n".join(info.value.problems)
    assert "a.yaml:2: YAML aliases" in text
    assert "b.yaml:1:" in text


def test_yes_and_no_stay_words(tmp_path: Path) -> None:
    from mtorvar.kb.yamlsafe import load_yaml_text

    assert load_yaml_text("hypoxia: yes\nx: no\ny: true") == {"hypoxia": "yes", "x": "no",
                                                               "y": True}
