"""Protein domains (``rules/domains.yaml``): which named domains a residue range touches."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from mtorvar.errors import RuleSetError

Confidence = Literal["corroborated", "single-source", "convention", "unverified"]


class Domain(BaseModel):
    """One named residue range of one gene's MANE Select protein."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    gene: str
    name: str = Field(min_length=1)  # short name used in reports and rules (FRB, kinase, ...)
    start: int = Field(ge=1)
    end: int = Field(ge=1)
    description: str
    source: str = Field(min_length=1)
    confidence: Confidence

    @model_validator(mode="after")
    def _ordered(self) -> Domain:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class DomainsFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    version: int
    domains: tuple[Domain, ...]


def default_path() -> Path:
    """``rules/domains.yaml`` in a checkout, ``mtorvar/_rules/domains.yaml`` in a wheel."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "_rules", package.parent / "rules"):
        if (candidate / "domains.yaml").is_file():
            return candidate / "domains.yaml"
    raise RuleSetError("domains.yaml was not found",
                       hint="reinstall mtorvar; the wheel must contain mtorvar/_rules")


@cache
def load_domains(path: Path | None = None) -> tuple[Domain, ...]:
    """Read and validate domains.yaml once (RuleSetError listing every problem)."""
    where = path or default_path()
    try:
        # libyaml when available: this runs on every annotate, the pure-Python parser is ~10x slower
        text = where.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        parsed = DomainsFile.model_validate(raw)
    except (OSError, yaml.YAMLError) as exc:
        raise RuleSetError(f"cannot read domains: {exc}", file=str(where)) from exc
    except ValidationError as exc:
        problems = [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]
        raise RuleSetError("invalid domains file", problems=problems, file=str(where)) from exc
    duplicates = _duplicates(parsed.domains)
    if duplicates:
        raise RuleSetError("duplicate domain names", problems=duplicates, file=str(where))
    return parsed.domains


def _duplicates(domains: tuple[Domain, ...]) -> list[str]:
    seen: set[tuple[str, str]] = set()
    dups = []
    for d in domains:
        if (d.gene, d.name) in seen:
            dups.append(f"{d.gene} {d.name} defined twice")
        seen.add((d.gene, d.name))
    return dups


@cache
def domains_at(gene: str, start: int, end: int) -> tuple[str, ...]:
    """Short names of the domains overlapping residues ``start..end`` (file order)."""
    return tuple(d.name for d in load_domains()
                 if d.gene == gene and d.start <= end and start <= d.end)
