"""Run each rule's ``examples``: notations that must fire it and must not.

A variant example (``MTOR:p.F2108L``) fires a rule when ``match_variant`` returns it (after the
specificity filter, i.e. what a user would see). A sample example (``{variants, phenotypes,
second_hits}``) fires it when ``match_sample`` returns it.
"""

from __future__ import annotations

from collections.abc import Callable

from mtorvar.engine.match import match_sample, match_variant
from mtorvar.errors import MtorvarError
from mtorvar.kb.loader import KnowledgeBase
from mtorvar.kb.schema import Example, Rule
from mtorvar.models import Annotation

Annotate = Callable[[str], Annotation]


def example_fires(rule: Rule, example: Example, kb: KnowledgeBase, annotate: Annotate) -> bool:
    if isinstance(example, str):
        return any(m.rule_id == rule.id for m in match_variant(annotate(example), kb))
    present = [(a, match_variant(a, kb)) for a in map(annotate, example.variants)]
    matches = match_sample(present, dict(example.phenotypes), kb, dict(example.second_hits))
    return any(m.rule_id == rule.id for m in matches)


def example_problems(kb: KnowledgeBase, annotate: Annotate) -> list[str]:
    """One problem per example that does not behave as written (or cannot be read)."""
    problems = []
    for rule in kb.rules:
        if rule.status != "active":
            continue
        where = f"{kb.sources[rule.id]}: rule {rule.id}"
        for expected, examples in ((True, rule.examples.fire), (False, rule.examples.no_fire)):
            for example in examples:
                shown = example if isinstance(example, str) else example.model_dump(
                    exclude_defaults=True)
                try:
                    fired = example_fires(rule, example, kb, annotate)
                except MtorvarError as exc:
                    problems.append(f"{where}: example {shown!r} cannot be read: {exc.one_line()}")
                    continue
                if fired != expected:
                    want = "fire" if expected else "not fire"
                    problems.append(f"{where}: example {shown!r} should {want} but "
                                    f"{'did' if fired else 'did not'}")
    return problems
