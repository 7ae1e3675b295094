"""Plain functions behind ``mtorvar rules list | show ID | validate [DIR]`` and
``mtorvar schema rules``; the CLI prints what they return."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mtorvar.errors import RuleSetError, UsageError
from mtorvar.kb.examples import example_problems
from mtorvar.kb.loader import KnowledgeBase, load_knowledge_base
from mtorvar.kb.schema import RuleFile
from mtorvar.models import Annotation


def rules_list(kb: KnowledgeBase) -> str:
    """One line per rule: ID, status, gene, tier, level, calls, title."""
    header = f"{'ID':<26} {'status':<10} {'gene':<7} {'tier':<12} lvl  calls / title"
    lines = [header]
    for rule in kb.rules:
        calls = ", ".join(f"{d}={p.call}" for d, p in rule.predictions.items()
                          if p.call != "unknown")
        lines.append(f"{rule.id:<26} {rule.status:<10} {rule.gene or '-':<7} "
                     f"{rule.match.tier:<12} {rule.evidence_level:<4} {calls or '-'}")
        lines.append(f"{'':<26} {rule.title}")
    lines.append(f"{len(kb.rules)} rules; knowledge base {kb.version} sha256 {kb.sha256}")
    return "\n".join(lines) + "\n"


def rules_show(kb: KnowledgeBase, rule_id: str) -> str:
    """The rule as JSON, with the file and line it came from."""
    rule = kb.rules_by_id.get(rule_id)
    if rule is None:
        close = [r.id for r in kb.rules if rule_id.upper() in r.id] or [r.id for r in kb.rules][:5]
        raise UsageError(f"no rule with ID {rule_id!r}",
                         hint=f"'mtorvar rules list' shows all; similar: {', '.join(close)}")
    data = {"source": str(kb.sources[rule.id]), **rule.model_dump(mode="json", exclude_none=True)}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def rules_validate(directory: Path | None = None,
                   annotate: Callable[[str], Annotation] | None = None) -> str:
    """Validate the built-in rules plus ``directory`` and run all examples.

    Raises ``RuleSetError`` (exit 3) listing every problem; returns a one-line summary.
    """
    kb = load_knowledge_base([directory] if directory is not None else [])
    if annotate is None:
        # lazy: the genome models load only when examples are actually run
        from mtorvar.genome.notation import annotation_from_notation

        annotate = annotation_from_notation
    problems = example_problems(kb, annotate)
    if problems:
        raise RuleSetError(f"{len(problems)} rule example(s) failed", problems=problems,
                           hint="a rule's examples must fire / not fire as written")
    extra = f" + {directory}" if directory is not None else ""
    return (f"OK: {len(kb.rules)} rules (built-in{extra}), every example passes; "
            f"knowledge base {kb.version} sha256 {kb.sha256}\n")


def rules_json_schema() -> dict[str, Any]:
    """JSON Schema of one rule file (``mtorvar schema rules``)."""
    schema = RuleFile.model_json_schema()
    schema["title"] = "mtorvar rule file"
    schema["$id"] = "https://mtorvar.invalid/schemas/rules.json"
    return schema


def rules_json_schema_text() -> str:
    """``rules_json_schema`` as deterministic JSON text."""
    return json.dumps(rules_json_schema(), indent=2, sort_keys=True) + "\n"


# Names the CLI (mtorvar/cli.py) calls.
render_rules_list = rules_list
render_rule = rules_show
validate_rules = rules_validate
