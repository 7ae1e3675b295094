"""``mtorvar rules list | show | validate`` and ``schema rules`` as plain functions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtorvar.errors import RuleSetError, UsageError
from mtorvar.kb.commands import rules_json_schema, rules_list, rules_show, rules_validate
from mtorvar.kb.loader import load_knowledge_base
from tests.unit.test_match_notation import annotate

KB = load_knowledge_base()
FIX = Path(__file__).resolve().parents[2] / "fixtures"


def test_rules_list_names_every_rule() -> None:
    text = rules_list(KB)
    for rule in KB.rules:
        assert rule.id in text
    assert KB.sha256 in text
    assert "rapalog=resistant" in text


def test_rules_show_gives_rule_and_source() -> None:
    data = json.loads(rules_show(KB, "MTOR-FRB-F2108"))
    assert data["id"] == "MTOR-FRB-F2108"
    assert "MTOR.yaml:" in data["source"]
    assert data["predictions"]["rapalog"]["call"] == "resistant"
    with pytest.raises(UsageError) as info:
        rules_show(KB, "NOPE")
    assert info.value.exit_code == 2


def test_rules_validate_ok_and_with_site_rules() -> None:
    assert rules_validate(annotate=annotate).startswith("OK: ")
    out = rules_validate(FIX / "rules_override", annotate=annotate)
    assert "rules_override" in out


def test_rules_validate_reports_failing_examples(tmp_path: Path) -> None:
    text = (FIX / "rules_override" / "site.yaml").read_text()
    (tmp_path / "site.yaml").write_text(text.replace("no_fire: [KRAS:p.G13D]",
                                                     "no_fire: [KRAS:p.G12D]"))
    with pytest.raises(RuleSetError) as info:
        rules_validate(tmp_path, annotate=annotate)
    assert info.value.exit_code == 3
    assert "SITE-KRAS-G12" in info.value.problems[0]


def test_rules_validate_broken_folder_exits_3() -> None:
    with pytest.raises(RuleSetError):
        rules_validate(FIX / "rules_unknown_key", annotate=annotate)


def test_json_schema_describes_rule_files() -> None:
    schema = rules_json_schema()
    assert schema["title"] == "mtorvar rule file"
    rule = schema["$defs"]["Rule"]
    assert rule["additionalProperties"] is False
    assert {"id", "match", "predictions", "evidence_level", "examples"} <= set(rule["properties"])
    json.dumps(schema)


def test_cli_names_are_wired_to_the_same_functions() -> None:
    from mtorvar.kb import commands

    assert commands.render_rules_list is rules_list
    assert commands.render_rule is rules_show
    assert commands.validate_rules is rules_validate
    assert json.loads(commands.rules_json_schema_text()) == rules_json_schema()
