"""Every active rule's examples run, and every active rule has both kinds."""

from __future__ import annotations

import pytest

from mtorvar.kb.examples import example_fires, example_problems
from mtorvar.kb.loader import load_knowledge_base
from tests.unit.test_match_notation import annotate

KB = load_knowledge_base()
ACTIVE = [rule for rule in KB.rules if rule.status == "active"]
CASES = [(rule.id, expected, example)
         for rule in ACTIVE
         for expected, examples in ((True, rule.examples.fire), (False, rule.examples.no_fire))
         for example in examples]


def test_every_active_rule_has_fire_and_no_fire_examples() -> None:
    lacking = [r.id for r in ACTIVE if not r.examples.fire or not r.examples.no_fire]
    assert lacking == []
    assert len(ACTIVE) >= 15


@pytest.mark.parametrize(("rule_id", "expected", "example"), CASES,
                         ids=[f"{c[0]}-{'fire' if c[1] else 'no_fire'}-{i}"
                              for i, c in enumerate(CASES)])
def test_example(rule_id: str, expected: bool, example: object) -> None:
    rule = KB.rules_by_id[rule_id]
    assert example_fires(rule, example, KB, annotate) is expected  # type: ignore[arg-type]


def test_example_runner_reports_nothing_for_the_builtin_set() -> None:
    assert example_problems(KB, annotate) == []


def test_example_runner_reports_a_wrong_example() -> None:
    rule = KB.rules_by_id["MTOR-FRB-F2108"]
    broken = rule.model_copy(update={"examples": rule.examples.model_copy(
        update={"no_fire": ["MTOR:p.F2108L"]})})
    kb = KB.__class__(**{**KB.__dict__, "rules": tuple(
        broken if r.id == rule.id else r for r in KB.rules)})
    problems = example_problems(kb, annotate)
    assert len(problems) == 1
    assert "MTOR-FRB-F2108" in problems[0]
    assert "should not fire but did" in problems[0]
    assert "MTOR.yaml:" in problems[0]
