"""Tests of the people-facing reports: HTML, PDF, Markdown and ``cosmicdiff report``."""
