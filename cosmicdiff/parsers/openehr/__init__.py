"""Readers of openEHR archetypes (ADL 1.4) and operational templates (OPT 1.4)."""
