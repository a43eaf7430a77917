"""The needs-quality rules in words, for the pages and reports that name them (the ids stay in the API)."""

from service.web.i18n import N_

RULE_NAMES = {
    "problem-not-solution": N_("Solution instead of problem"),
    "brand-name": N_("Brand named"),
    "measurable-outcome": N_("No measurable outcome"),
    "context": N_("Missing context"),
    "too-short": N_("Too short"),
    "personal-data": N_("Personal data"),
}
