"""Tests of the report formats (JSON contract, JUnit, SARIF, GitLab, terminal)."""
