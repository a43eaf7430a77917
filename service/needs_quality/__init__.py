"""The needs-quality check: findings on a need's text against Norwegian procurement guidance.

Pure functions on text, no database: `check(title, description, language, known_names)` returns a
QualityReport. The caller (service.needs.quality) gathers the catalogue's supplier and product names.
docs/needs_quality.md describes the rules and their measured precision and recall.
"""

from service.needs_quality.check import check
from service.needs_quality.findings import RULE_IDS, Finding, QualityReport

__all__ = ["RULE_IDS", "Finding", "QualityReport", "check"]
