"""Cross-file checks of a loaded rule set: genes, residues, domains, references, examples."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mtorvar.kb.domains import load_domains
from mtorvar.kb.protein import AMINO_ACIDS, first_residue, is_valid_protein_change
from mtorvar.kb.schema import Example, Rule, SampleItem

if TYPE_CHECKING:
    from mtorvar.kb.loader import KnowledgeBase


@dataclass(frozen=True)
class RuleSource:
    """Where a rule came from: file, line of the rule, lines of its fields."""

    path: str
    line: int
    field_lines: tuple[tuple[str, int], ...] = ()  # ("gene", 5), ("match.codon", 8), ...

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"

    def at(self, field_name: str | None) -> RuleSource:
        """The same rule, pointing at one of its fields when its line is known."""
        line = dict(self.field_lines).get(field_name or "", self.line)
        return RuleSource(self.path, line, self.field_lines)


Finding = tuple[RuleSource, str]
Problem = tuple[str | None, str]  # (field of the rule, message)


def domain_ranges(base: Path) -> dict[tuple[str, str], tuple[int, int]]:
    """(gene, domain name) → residue range, from the genome engineer's ``mtorvar.kb.domains``.

    Returns an empty map when ``domains.yaml`` is missing or invalid (its own loader reports
    why where domains are annotated); domain rules are then reported as unresolvable.
    """
    path = base / "domains.yaml"
    if not path.is_file():
        return {}
    try:
        entries = load_domains(path)
    except Exception:  # their loader reports its own errors where domains are used
        return {}
    return {(d.gene, d.name): (d.start, d.end) for d in entries}


def validate_rules(kb: KnowledgeBase) -> Iterator[Finding]:
    """Every problem the schema alone cannot see."""
    tags = {tag for rule in kb.rules for tag in rule.tags}
    levels: set[str] = {spec.level for spec in kb.evidence.levels}
    yield from _check_policy(kb, levels)
    for rule in kb.rules:
        source = kb.sources[rule.id]
        for field_name, message in _rule_problems(rule, kb, tags, levels):
            yield source.at(field_name), f"rule {rule.id}: {message}"


def _check_policy(kb: KnowledgeBase, levels: set[str]) -> Iterator[Finding]:
    where = RuleSource("policy.yaml", 0)
    for gene in kb.policy.second_hit.genes:
        if gene not in kb.genes:
            yield where, f"second_hit names unknown gene {gene}"
    missing = {"A", "B", "C", "D", "E"} - levels
    if missing:
        yield RuleSource("evidence.yaml", 0), f"evidence levels missing: {sorted(missing)}"


def _rule_problems(rule: Rule, kb: KnowledgeBase, tags: set[str],
                   levels: set[str]) -> Iterator[Problem]:
    yield from _level_problems(rule, levels)
    if rule.gene is not None and rule.gene not in kb.genes:
        yield "gene", f"unknown gene {rule.gene!r} (known: {', '.join(sorted(kb.genes))})"
    elif rule.gene is not None:
        yield from _residue_problems(rule, kb)
    yield from _sample_problems(rule, kb, tags)
    if rule.status == "active" and (not rule.examples.fire or not rule.examples.no_fire):
        yield "examples", ("missing examples: an active rule needs at least one fire and one "
                           "no_fire example")
    yield from _example_problems(rule, kb)
    if rule.replaced_by is not None and rule.replaced_by not in kb.rules_by_id:
        yield "replaced_by", f"replaced_by names unknown rule {rule.replaced_by}"


def _level_problems(rule: Rule, levels: set[str]) -> Iterator[Problem]:
    used = [rule.evidence_level] + [p.evidence_level for p in rule.predictions.values()
                                    if p.evidence_level]
    for level in used:
        if level not in levels:
            yield "evidence_level", f"evidence level {level} is not defined in evidence.yaml"


def _residue_problems(rule: Rule, kb: KnowledgeBase) -> Iterator[Problem]:
    assert rule.gene is not None
    length = kb.genes[rule.gene].protein_length
    match = rule.match

    def outside(pos: int) -> str:
        return f"residue {pos} is outside {rule.gene} (1-{length})"

    if match.protein_change is not None:
        for change in match.protein_change:
            parsed = first_residue(change)
            if parsed is None or not is_valid_protein_change(change):
                yield "match.protein_change", (f"cannot read protein change {change!r} "
                                               "(write e.g. p.F2108L)")
            elif parsed[1] > length:
                yield "match.protein_change", outside(parsed[1])
    if match.codon is not None and match.codon > length:
        yield "match.codon", outside(match.codon)
    for residue in match.alt_residues or []:
        if residue not in AMINO_ACIDS:
            yield "match.alt_residues", (f"alt_residues entry {residue!r} is not a "
                                         "one-letter amino acid")
    if match.range is not None and match.range.end > length:
        yield "match.range", (f"range {match.range.start}-{match.range.end} is outside "
                              f"{rule.gene} (1-{length})")
    if match.domain is not None and (rule.gene, match.domain) not in kb.domain_ranges:
        known = sorted(n for g, n in kb.domain_ranges if g == rule.gene)
        yield "match.domain", (f"unknown domain {match.domain!r} for {rule.gene} "
               f"(domains.yaml has: {', '.join(known) or 'none'})")
    for exception in match.loss_of_function.exceptions if match.loss_of_function else []:
        if exception.min_residue > length:
            yield "match.loss_of_function", outside(exception.min_residue)


def _items(rule: Rule) -> list[SampleItem]:
    if rule.match.cooccurrence is not None:
        return list(rule.match.cooccurrence.all_of)
    if rule.match.unless is not None:
        return list(rule.match.unless.present)
    return []


def _sample_problems(rule: Rule, kb: KnowledgeBase, tags: set[str]) -> Iterator[Problem]:
    for item in _items(rule):
        if item.rule is not None and item.rule not in kb.rules_by_id:
            yield "match", f"refers to unknown rule {item.rule}"
        if item.gene is not None and item.gene not in kb.genes:
            yield "match", f"refers to unknown gene {item.gene}"
        if item.tag is not None and item.tag not in tags:
            yield "match", f"refers to tag {item.tag!r} that no rule carries"
    conditions = dict(rule.match.phenotype or {})
    if rule.match.unless is not None:
        conditions.update(rule.match.unless.phenotypes)
    for key, value in conditions.items():
        allowed = kb.policy.phenotypes.get(key)
        if allowed is None:
            yield "match", (f"unknown phenotype {key!r} "
                            f"(policy.yaml knows {', '.join(kb.policy.phenotypes)})")
        elif value not in allowed:
            yield "match", f"phenotype {key}: {value!r} is not one of {', '.join(allowed)}"


def _example_problems(rule: Rule, kb: KnowledgeBase) -> Iterator[Problem]:
    sample_rule = rule.match.tier in ("cooccurrence", "phenotype")
    examples: list[Example] = [*rule.examples.fire, *rule.examples.no_fire]
    for example in examples:
        if isinstance(example, str) == sample_rule:
            kind = "a sample {variants, phenotypes}" if sample_rule else "a notation GENE:p.X"
            yield "examples", f"example {example!r} should be {kind}"
        notations = [example] if isinstance(example, str) else example.variants
        for notation in notations:
            gene = notation.split(":", 1)[0]
            if gene not in kb.genes and not gene.startswith(("NM_", "ENST")):
                yield "examples", f"example {notation!r} does not start with a known gene"
