"""Set up a configuration repository: settings, pre-commit hooks, a CI job, folder READMEs.

Two kinds of repository use cosmicdiff:

* ``region``: one region's COSMIC configuration repository, its export in
  ``regions/<region>/``, compared with the eSPiR baseline shipped with cosmicdiff;
* ``programme``: the eSPiR programme's repository, the baseline in ``baselines/espir/`` and
  the regions' exports in ``regions/<region>/``.

Every file comes from the package data in ``cosmicdiff/authoring/scaffold_templates/``. The CI files
are copied as they are: they are the public templates (``ci/`` in the cosmicdiff repository
holds identical copies, and a test keeps the two the same). What to compare, and which
report files to write, every command takes from the ``cosmicdiff.toml`` written here; the CI
files publish the report files of its ``[outputs]`` table.
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from cosmicdiff.errors import UsageError
from cosmicdiff.io.output import write_atomic

#: The kinds of configuration repository.
KINDS = ("region", "programme")

#: The regions of the eSPiR programme: id (as in region.yaml) -> name.
REGIONS = {
    "jonkoping": "Region Jönköpings län",
    "ostergotland": "Region Östergötland",
    "kalmar": "Region Kalmar län",
}

#: CI platform -> (the file's path in a repository, its template).
CI_FILES = {
    "gitlab": (".gitlab-ci.yml", "ci/gitlab-ci.yml"),
    "azure": ("azure-pipelines.yml", "ci/azure-pipelines.yml"),
    "github": (".github/workflows/cosmicdiff.yml", "ci/github-actions.yml"),
}

#: Kind -> (path in the repository, template); ``{region}`` in a path is the region id.
#: Templates may hold ``{{region_id}}`` and ``{{region_name}}``.
_SKELETONS = {
    "region": (
        ("cosmicdiff.toml", "region/cosmicdiff.toml"),
        (".pre-commit-config.yaml", "region/pre-commit-config.yaml"),
        ("regions/{region}/README.md", "region/region-README.md"),
        ("regions/{region}/region.yaml", "region/region.yaml"),
        ("reports/.gitignore", "common/reports.gitignore"),
    ),
    "programme": (
        ("cosmicdiff.toml", "programme/cosmicdiff.toml"),
        (".pre-commit-config.yaml", "programme/pre-commit-config.yaml"),
        ("baselines/espir/README.md", "programme/baseline-README.md"),
        ("regions/README.md", "programme/regions-README.md"),
        ("reports/.gitignore", "common/reports.gitignore"),
    ),
}


def templates() -> Traversable:
    """Return the folder of the scaffold templates in the installed package."""
    return resources.files("cosmicdiff.authoring").joinpath("scaffold_templates")


def template_bytes(name: str) -> bytes:
    """Return one template (``ci/gitlab-ci.yml``, ``region/cosmicdiff.toml`` …) as stored."""
    node = templates()
    for part in name.split("/"):
        node = node.joinpath(part)
    return node.read_bytes()


def _choices(values: Iterable[str]) -> str:
    return ", ".join(sorted(values))


def _check(kind: str, ci: str | None, region: str | None) -> None:
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}; choose one of: {', '.join(KINDS)}")
    if ci is not None and ci not in CI_FILES:
        raise UsageError(f"unknown CI platform {ci!r}; choose one of: {_choices(CI_FILES)}")
    if kind == "region":
        if region is None:
            raise UsageError(
                f"a region repository needs a region id; choose one of: {_choices(REGIONS)}"
            )
        if region not in REGIONS:
            raise UsageError(f"unknown region id {region!r}; choose one of: {_choices(REGIONS)}")
    elif region is not None:
        raise UsageError(
            f"a {kind} repository holds every region; give no region id (got {region!r})"
        )


def _render(name: str, region: str | None) -> bytes:
    text = template_bytes(name).decode("utf-8")
    if region is not None:
        text = text.replace("{{region_id}}", region).replace("{{region_name}}", REGIONS[region])
    if "{{" in text:
        # a placeholder this function does not know, or a region template without a region
        raise RuntimeError(f"scaffold template {name} has an unfilled placeholder")
    return text.encode("utf-8")


def plan(*, kind: str, ci: str | None, region: str | None) -> dict[str, bytes]:
    """Return what :func:`scaffold` writes: each path (relative, ``/``) and its contents."""
    _check(kind, ci, region)
    files = {path.format(region=region): _render(name, region) for path, name in _SKELETONS[kind]}
    if ci is not None:
        path, name = CI_FILES[ci]
        files[path] = template_bytes(name)  # as it is: the public template
    return dict(sorted(files.items()))


def scaffold(
    target: Path, *, kind: str, ci: str | None, region: str | None, force: bool = False
) -> list[Path]:
    """Create a configuration repository in ``target``; return the files written, sorted.

    ``kind`` is ``region`` (needs ``region``, one of :data:`REGIONS`) or ``programme``;
    ``ci`` is None or one of :data:`CI_FILES`. An existing file is never overwritten unless
    ``force``; then nothing at all is written. Raises UsageError for bad arguments and
    existing files.
    """
    files = plan(kind=kind, ci=ci, region=region)
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target}: not a folder")
    dests = {rel: target.joinpath(*rel.split("/")) for rel in files}
    in_the_way = []
    for dest in dests.values():
        for parent in list(reversed(dest.relative_to(target).parents))[1:]:
            if (target / parent).exists() and not (target / parent).is_dir():
                raise UsageError(
                    f"{target / parent}: is a file, but the scaffold needs a folder there"
                )
        if dest.is_dir():
            raise UsageError(f"{dest}: is a folder, but the scaffold writes a file there")
        if dest.exists() or dest.is_symlink():
            in_the_way.append(dest)
    if in_the_way and not force:
        names = ", ".join(str(p) for p in in_the_way)
        raise UsageError(
            f"{names}: already exist{'s' if len(in_the_way) == 1 else ''}; "
            "nothing was written (give --force to overwrite)"
        )
    for rel, dest in dests.items():
        try:
            dest.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
                f"{dest.parent}: cannot create the folder: {exc.strerror or exc}"
            ) from None
        write_atomic(dest, files[rel])
    return sorted(dests.values())
