"""Shared vocabulary: builds, drug classes, prediction calls."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Build = Literal["GRCh37", "GRCh38"]
DrugClass = Literal["rapalog", "torki", "dual_pi3k_mtor", "rapalink"]
DRUG_CLASSES: tuple[DrugClass, ...] = ("rapalog", "torki", "dual_pi3k_mtor", "rapalink")
# What one rule or one sample predicts for a drug class.
Call = Literal["sensitive", "resistant", "reduced", "no_effect", "unknown"]
# Across a tumour's samples a class can also be heterogeneous.
TumorCall = Literal["sensitive", "resistant", "reduced", "no_effect", "unknown", "heterogeneous"]
GENES: tuple[str, ...] = ("MTOR", "TSC1", "TSC2", "PIK3CA", "KRAS")


class Frozen(BaseModel):
    """Immutable model that rejects unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid")
