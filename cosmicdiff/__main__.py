"""Run the command-line interface as ``python -m cosmicdiff``."""

from __future__ import annotations

from cosmicdiff.cli.app import main

if __name__ == "__main__":
    main()
