"""The baselines that ship with cosmicdiff, and the stable names their files are shown by.

An installed wheel carries them as ``cosmicdiff/_baselines`` (pyproject.toml maps the
source folder ``baselines/`` there); a source checkout or an editable install reads
``baselines/`` itself. A file of a shipped baseline is shown as ``<baseline>:<file>``
(``espir:lakemedel.yaml``, with the line: ``espir:lakemedel.yaml:135``) and the folder as
``espir``: the same on every machine, never the install location.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def shipped_roots() -> tuple[Path, ...]:
    """Return the folders that hold shipped baselines (resolved), installed one first."""
    roots = (
        Path(str(resources.files("cosmicdiff"))) / "_baselines",
        Path(__file__).resolve().parents[2] / "baselines",
    )
    return tuple(dict.fromkeys(r.resolve() for r in roots if r.is_dir()))


def shipped_baselines() -> dict[str, Path]:
    """Return the baselines that ship with cosmicdiff (name -> folder)."""
    found: dict[str, Path] = {}
    for root in shipped_roots():
        for folder in sorted(root.iterdir()):
            if (folder / "baseline.yaml").is_file():
                found.setdefault(folder.name, folder)
    return found


def shipped_name(resolved: Path) -> str | None:
    """Return how a (resolved) path inside a shipped baseline is shown, else None.

    ``espir`` for the baseline folder, ``espir:lakemedel.yaml`` for one of its files.
    """
    for root in shipped_roots():
        try:
            parts = resolved.relative_to(root).parts
        except ValueError:
            continue
        if not parts or not (root / parts[0] / "baseline.yaml").is_file():
            return None
        return parts[0] + (":" + "/".join(parts[1:]) if len(parts) > 1 else "")
    return None
