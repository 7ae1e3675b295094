"""Load and validate the knowledge base: ``rules/`` (or the wheel's ``mtorvar/_rules``) plus
any ``--rules DIR`` a site adds. Every problem in every file is collected and reported at once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from mtorvar.errors import RuleSetError
from mtorvar.kb.schema import (
    KNOWN_FILES,
    DrugsFile,
    EvidenceFile,
    GenesFile,
    GeneSpec,
    PolicyFile,
    Rule,
    RuleFile,
)
from mtorvar.kb.validate import RuleSource, domain_ranges, validate_rules
from mtorvar.kb.yamlsafe import MAX_FILES_PER_DIR, YamlError, line_of, load_yaml_file, plain

NOT_RULE_FILES = {*KNOWN_FILES, "domains.yaml"}  # domains.yaml belongs to mtorvar.kb.domains


@dataclass(frozen=True)
class KnowledgeBase:
    """The validated rule set and everything the engine needs to apply it."""

    version: str
    sha256: str
    rules: tuple[Rule, ...]
    genes: dict[str, GeneSpec]
    drugs: DrugsFile
    evidence: EvidenceFile
    policy: PolicyFile
    sources: dict[str, RuleSource]
    extra_dirs: tuple[str, ...] = ()
    domain_ranges: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    @property
    def rules_by_id(self) -> dict[str, Rule]:
        return {rule.id: rule for rule in self.rules}

    def level_weight(self, level: str) -> int:
        return next((spec.weight for spec in self.evidence.levels if spec.level == level), 0)


def rules_dir() -> Path:
    """``rules/`` beside the package in a checkout, else ``mtorvar/_rules`` inside a wheel."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_rules", package.parent / "rules"):
        if (candidate / "genes.yaml").is_file():
            return candidate
    raise RuleSetError(
        "the built-in knowledge base (rules/) was not found",
        hint="reinstall mtorvar; the wheel must contain mtorvar/_rules",
    )


class _Collector:
    """Problems across all files, each as 'file:line: message'."""

    def __init__(self) -> None:
        self._found: list[tuple[str, int, str]] = []

    def add(self, path: Path | str, line: int | None, message: str) -> None:
        self._found.append((str(path), line or 0, message))

    @property
    def problems(self) -> list[str]:
        """In file and line order, so a curator can work down the list."""
        return [f"{path}:{line}: {message}" if line else f"{path}: {message}"
                for path, line, message in sorted(self._found, key=lambda f: (f[0], f[1]))]

    def pydantic(self, path: Path, data: Any, exc: ValidationError) -> None:
        for err in exc.errors():
            loc = tuple(err["loc"])
            self.add(path, line_of(data, loc), _describe_error(data, loc, err))


def _describe_error(data: Any, loc: tuple[Any, ...], err: Any) -> str:
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = f"unknown key {loc[-1]!r}"
        loc = loc[:-1]
    # Drop pydantic's union-branch labels (e.g. 'str', 'SampleExample') from the path.
    shown = [str(p) for p in loc if p not in ("str", "SampleExample")]
    rule_id = None
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        try:
            rule_id = data["rules"][loc[1]].get("id")
        except (AttributeError, IndexError, KeyError, TypeError):
            rule_id = None
        shown = shown[2:]
    prefix = f"rule {rule_id}: " if rule_id else ""
    path = ".".join(shown)
    return f"{prefix}{path + ': ' if path else ''}{msg}"


def _parse(path: Path, model: type[BaseModel], out: _Collector) -> tuple[Any, Any] | None:
    """(raw data, validated model) or None after recording the problems."""
    try:
        data = load_yaml_file(path)
    except YamlError as exc:
        out.add(path, exc.line, exc.message)
        return None
    if not isinstance(data, dict):
        out.add(path, getattr(data, "line", None), "expected a mapping at the top of the file")
        return None
    try:
        return data, model.model_validate(data)
    except ValidationError as exc:
        out.pydantic(path, data, exc)
        return None


def _rule_files(directory: Path, builtin: bool, out: _Collector) -> list[Path]:
    if not directory.is_dir():
        out.add(directory, None, "not a directory of rule files")
        return []
    files = sorted(p for p in directory.iterdir()
                   if p.suffix in (".yaml", ".yml") and p.is_file()
                   and not (builtin and p.name in NOT_RULE_FILES))
    if len(files) > MAX_FILES_PER_DIR:
        out.add(directory, None, f"{len(files)} rule files, above the limit of {MAX_FILES_PER_DIR}")
        return []
    return files


def _file_rules(path: Path, out: _Collector) -> tuple[Any, list[tuple[int, Rule]]] | None:
    """Raw data and the valid rules of one file; each invalid rule is reported on its own so
    one bad rule does not hide the problems of the others."""
    try:
        data = load_yaml_file(path)
    except YamlError as exc:
        out.add(path, exc.line, exc.message)
        return None
    try:
        RuleFile.model_validate({**data, "rules": []} if isinstance(data, dict) else data)
    except ValidationError as exc:
        out.pydantic(path, data, exc)
        return None
    if not isinstance(data.get("rules"), list):
        out.add(path, getattr(data, "line", None), "expected a list under 'rules'")
        return None
    rules = []
    for index, item in enumerate(data["rules"]):
        try:
            rules.append((index, Rule.model_validate(item)))
        except ValidationError as exc:
            for err in exc.errors():
                err["loc"] = ("rules", index, *err["loc"])
                out.add(path, line_of(data, err["loc"]), _describe_error(data, err["loc"], err))
    return data, rules


class _RuleMerger:
    """Collects rules across files: duplicates are errors unless an extra rule overrides a
    built-in one with ``overrides: true``."""

    def __init__(self, out: _Collector) -> None:
        self.out = out
        self.rules: dict[str, Rule] = {}
        self.sources: dict[str, RuleSource] = {}
        self.builtin: dict[str, bool] = {}

    def add(self, rule: Rule, source: RuleSource, builtin: bool) -> None:
        previous = self.sources.get(rule.id)
        if previous is None:
            if rule.overrides:
                self.out.add(source.path, source.line,
                             f"rule {rule.id}: overrides: true but no built-in rule has this ID")
        elif not (rule.overrides and not builtin and self.builtin[rule.id]):
            hint = " (add overrides: true to replace a built-in rule)" \
                if self.builtin[rule.id] and not builtin else ""
            self.out.add(source.path, source.line,
                         f"duplicate rule ID {rule.id}, first defined at {previous}{hint}")
            return
        self.rules[rule.id], self.sources[rule.id] = rule, source
        self.builtin[rule.id] = builtin


def _load_rules(
    files: list[tuple[Path, bool]], out: _Collector, hashes: list[tuple[str, str]]
) -> tuple[dict[str, Rule], dict[str, RuleSource]]:
    """Rules by ID with the built-in/extra duplicate and ``overrides`` logic applied."""
    merger = _RuleMerger(out)
    for path, builtin in files:
        parsed = _file_rules(path, out)
        if parsed is None:
            continue
        data, file_rules = parsed
        hashes.append((("builtin/" if builtin else "extra/") + path.name, _canonical(data)))
        for index, rule in file_rules:
            source = RuleSource(str(path), line_of(data, ("rules", index)) or 0,
                                _field_lines(data["rules"][index]))
            merger.add(rule, source, builtin)
    return merger.rules, merger.sources


def _field_lines(raw: Any) -> tuple[tuple[str, int], ...]:
    """Lines of a rule's keys and of its match's keys, for cross-check messages."""
    lines = [(str(k), v) for k, v in getattr(raw, "key_lines", {}).items()]
    match = raw.get("match") if isinstance(raw, dict) else None
    lines += [(f"match.{k}", v) for k, v in getattr(match, "key_lines", {}).items()]
    return tuple(lines)


def _canonical(data: Any) -> str:
    return json.dumps(plain(data), sort_keys=True, separators=(",", ":"), default=str,
                      ensure_ascii=False)


def _read_version(base: Path, out: _Collector) -> str:
    try:
        version = (base / "VERSION").read_text(encoding="utf-8").strip()
    except OSError:
        out.add(base / "VERSION", None, "missing knowledge-base VERSION file")
        return "unknown"
    if not version or len(version) > 64 or any(c.isspace() for c in version):
        out.add(base / "VERSION", 1, "VERSION must be one short token such as 1.2.0")
    return version


def load_knowledge_base(extra_dirs: Sequence[Path] = ()) -> KnowledgeBase:
    """Load, validate and fingerprint the knowledge base; ``RuleSetError`` lists every problem."""
    return _load(rules_dir(), tuple(Path(d) for d in extra_dirs))


@lru_cache(maxsize=8)
def _load(base: Path, extra: tuple[Path, ...]) -> KnowledgeBase:
    out = _Collector()
    hashes: list[tuple[str, str]] = []
    version = _read_version(base, out)
    parts: dict[str, Any] = {}
    for name, model in KNOWN_FILES.items():
        parsed = _parse(base / name, model, out)
        if parsed is not None:
            hashes.append(("builtin/" + name, _canonical(parsed[0])))
            parts[name] = parsed[1]
    _hash_domains(base, hashes)
    files = [(p, True) for p in _rule_files(base, True, out)]
    for directory in extra:
        files += [(p, False) for p in _rule_files(directory, False, out)]
    rules, sources = _load_rules(files, out, hashes)
    if len(parts) < len(KNOWN_FILES):
        raise _error(out)
    genes: GenesFile = parts["genes.yaml"]
    kb = KnowledgeBase(
        version=version,
        sha256=_fingerprint(version, hashes),
        rules=tuple(sorted(rules.values(), key=lambda r: r.id)),
        genes={g.symbol: g for g in genes.genes},
        drugs=parts["drugs.yaml"],
        evidence=parts["evidence.yaml"],
        policy=parts["policy.yaml"],
        sources=sources,
        extra_dirs=tuple(str(d) for d in extra),
        domain_ranges=domain_ranges(base),
    )
    for source, message in validate_rules(kb):
        out.add(source.path, source.line, message)  # validate_rules points at the field
    if out.problems:
        raise _error(out)
    return kb


def _hash_domains(base: Path, hashes: list[tuple[str, str]]) -> None:
    """domains.yaml is validated by mtorvar.kb.domains, but domain rules depend on it: hash it."""
    with contextlib.suppress(YamlError):
        hashes.append(("builtin/domains.yaml", _canonical(load_yaml_file(base / "domains.yaml"))))


def _fingerprint(version: str, hashes: list[tuple[str, str]]) -> str:
    digest = hashlib.sha256(f"VERSION\0{version}\0".encode())
    for name, canonical in sorted(hashes):
        digest.update(f"{name}\0{canonical}\0".encode())
    return digest.hexdigest()


def _error(out: _Collector) -> RuleSetError:
    count = len(out.problems)
    return RuleSetError(
        f"invalid rule set ({count} problem{'s' if count != 1 else ''})",
        problems=list(out.problems),
        hint="fix the listed files; 'mtorvar rules validate DIR' checks a rule folder",
    )
