"""Writing configuration and docs: export XML and YAML writers, repository scaffolding,
generated rule docs.
"""
