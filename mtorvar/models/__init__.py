"""Typed models the pipeline stages exchange (never raw dicts or cyvcf2 objects)."""

from mtorvar.models.base import DRUG_CLASSES, Build, Call, DrugClass, Frozen
from mtorvar.models.prediction import ClassCall, Prediction, RuleMatch
from mtorvar.models.variant import Allele, AlleleCall, Annotation, Observation
from mtorvar.models.vcf import SampleCall, VcfHeader, VcfRecord

__all__ = [
    "DRUG_CLASSES",
    "Allele",
    "AlleleCall",
    "Annotation",
    "Build",
    "Call",
    "ClassCall",
    "DrugClass",
    "Frozen",
    "Observation",
    "Prediction",
    "RuleMatch",
    "SampleCall",
    "VcfHeader",
    "VcfRecord",
]
