"""Matched pairs -> raw deviations of the kinds in report-json.md."""
