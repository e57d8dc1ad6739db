"""The command line: ``app`` (the typer app, the explicit registration of every command and
the one place that turns errors into messages and exit statuses), one module per command
group, and the helpers they share (``common``, ``choices``, ``emit``, ``settings``,
``progress``).
"""
