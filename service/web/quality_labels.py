"""The needs-quality rules in words (the ids stay in the API): what a finding of each is called, in lists and
reports, and what passing it says, in the need form's checklist."""

from service.web.i18n import N_

RULE_NAMES = {
    "problem-not-solution": N_("Solution instead of problem"),
    "brand-name": N_("Brand named"),
    "measurable-outcome": N_("No measurable outcome"),
    "context": N_("Missing context"),
    "too-short": N_("Too short"),
    "personal-data": N_("Personal data"),
}
RULE_PASSED = {
    "problem-not-solution": N_("Describes the problem, not a solution"),
    "brand-name": N_("Names no brand without “or equivalent”"),
    "measurable-outcome": N_("Says how success will be measured"),
    "context": N_("Says who is affected and how it is today"),
    "too-short": N_("Long enough to be matched"),
    "personal-data": N_("Holds no personal data"),
}
