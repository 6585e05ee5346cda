"""The shipped demo content: one module per course, plus the domains' introductions.

Written for this project by its demo faculty (fictional, illustrative names). The
clinical content is meant to be accurate; it is teaching material, not a guideline.
"""

from courses.demo.content import (
    consent_and_data_sharing,
    data_standards,
    family_history,
    national_strategy,
    preventing_sjs_ten,
    talking_about_results,
    variant_reports,
)
from courses.demo.content.domains import DOMAIN_INTRODUCTIONS

COURSES = [
    preventing_sjs_ten.COURSE,
    variant_reports.COURSE,
    family_history.COURSE,
    talking_about_results.COURSE,
    data_standards.COURSE,
    consent_and_data_sharing.COURSE,
    national_strategy.COURSE,
]

__all__ = ["COURSES", "DOMAIN_INTRODUCTIONS"]
