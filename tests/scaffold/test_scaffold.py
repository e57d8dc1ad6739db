"""cosmicdiff.authoring.scaffold: which files each kind × CI platform writes, overwriting,
arguments, the settings file against docs/settings.md, and the templates against their public
copies."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from cosmicdiff.authoring.scaffold import plan, scaffold
from cosmicdiff.errors import UsageError
from cosmicdiff.parsers.cosmic.folder_yaml import read_region_yaml

from ._support import HOOKS_FILE, PACKAGE_TEMPLATES, PUBLIC_CI, ROOT

#: written out here, not taken from cosmicdiff.authoring.scaffold, so that a change there shows
SKELETON = {
    "region": {
        "cosmicdiff.toml",
        ".pre-commit-config.yaml",
        "regions/{region}/README.md",
        "regions/{region}/region.yaml",
        "reports/.gitignore",
    },
    "programme": {
        "cosmicdiff.toml",
        ".pre-commit-config.yaml",
        "baselines/espir/README.md",
        "regions/README.md",
        "reports/.gitignore",
    },
}
CI_PATH = {
    None: set(),
    "gitlab": {".gitlab-ci.yml"},
    "azure": {"azure-pipelines.yml"},
    "github": {".github/workflows/cosmicdiff.yml"},
}
CI_TEMPLATE = {
    "gitlab": "gitlab-ci.yml",
    "azure": "azure-pipelines.yml",
    "github": "github-actions.yml",
}
REGION_NAMES = {
    "jonkoping": "Region Jönköpings län",
    "ostergotland": "Region Östergötland",
    "kalmar": "Region Kalmar län",
}
COMBINATIONS = [
    (kind, region, ci)
    for kind, regions in (("region", list(REGION_NAMES)), ("programme", [None]))
    for region in regions
    for ci in CI_PATH
]


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def expected(kind: str, region: str | None, ci: str | None) -> set[str]:
    return {p.format(region=region) for p in SKELETON[kind]} | CI_PATH[ci]


@pytest.mark.parametrize(("kind", "region", "ci"), COMBINATIONS)
def test_writes_exactly_the_expected_files(
    tmp_path: Path, kind: str, region: str | None, ci: str | None
) -> None:
    target = tmp_path / "repo"
    written = scaffold(target, kind=kind, ci=ci, region=region)
    assert written == sorted(written)
    assert all(p.is_relative_to(target) for p in written)
    assert {p.relative_to(target).as_posix() for p in written} == expected(kind, region, ci)
    assert files_under(target) == expected(kind, region, ci)
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert "{{" not in text and "}}" not in text, path  # every placeholder filled
        if path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)


@pytest.mark.parametrize("region", list(REGION_NAMES))
def test_region_yaml_is_read_by_cosmicdiff(tmp_path: Path, region: str) -> None:
    scaffold(tmp_path, kind="region", ci=None, region=region)
    path = tmp_path / "regions" / region / "region.yaml"
    info = read_region_yaml(path, "region.yaml")
    assert (info.id, info.name) == (region, REGION_NAMES[region])
    readme = (tmp_path / "regions" / region / "README.md").read_text(encoding="utf-8")
    for name in ("region.yaml", "mapping.yaml", "*.xml", "*.csv", REGION_NAMES[region]):
        assert name in readme


def test_programme_readmes_explain_the_folders(tmp_path: Path) -> None:
    scaffold(tmp_path, kind="programme", ci=None, region=None)
    baseline = (tmp_path / "baselines" / "espir" / "README.md").read_text(encoding="utf-8")
    for name in ("baseline.yaml", "rules.yaml", "waivers.yaml"):
        assert f"`{name}`" in baseline
    regions = (tmp_path / "regions" / "README.md").read_text(encoding="utf-8")
    for region, name in REGION_NAMES.items():
        assert f"`{region}/`" in regions and name in regions


# --- the settings file ------------------------------------------------------------------


def documented_settings() -> dict[str, Any]:
    """The example of docs/settings.md: every key with a value of its type."""
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    block = re.search(r"```toml\n(.*?)```", text, re.S)
    assert block, "docs/settings.md has no ```toml block"
    return tomllib.loads(block.group(1))


CHOICES = {
    "fail-on": {"error", "warning", "info", "never"},
    "lang": {"sv", "en"},
    "min-severity": {"error", "warning", "info"},
    "format": {"text", "json", "junit", "sarif", "gitlab", "html", "markdown", "pdf"},
}


@pytest.mark.parametrize(("kind", "region"), [("region", "kalmar"), ("programme", None)])
def test_settings_file_is_valid_per_docs(tmp_path: Path, kind: str, region: str | None) -> None:
    scaffold(tmp_path, kind=kind, ci=None, region=region)
    text = (tmp_path / "cosmicdiff.toml").read_text(encoding="utf-8")
    settings = tomllib.loads(text)
    docs = documented_settings()
    for key, value in settings.items():
        assert key in docs, f"cosmicdiff.toml: key {key!r} is not in docs/settings.md"
        assert type(value) is type(docs[key]), key
        if key in CHOICES:
            assert value in CHOICES[key], key
    for fmt, path in settings["outputs"].items():
        assert fmt in docs["outputs"] and isinstance(path, str), fmt
    # commented: every top-level key and the [outputs] table have a comment line above them
    lines = text.splitlines()
    top = lines[: lines.index("[outputs]") + 1]
    for i, line in enumerate(top):
        if re.match(r"^([a-z-]+ = |\[)", line):
            assert top[i - 1].startswith("#"), line
    if kind == "region":
        assert settings["baseline"] == "espir"
        assert settings["regions"] == [f"regions/{region}"]
    else:
        assert settings["baseline"] == "baselines/espir"
        assert settings["regions"] == [f"regions/{r}" for r in sorted(REGION_NAMES)]


@pytest.mark.parametrize(("kind", "region"), [("region", "kalmar"), ("programme", None)])
def test_settings_file_per_cosmicdiff_config(tmp_path: Path, kind: str, region: str | None) -> None:
    """`cosmicdiff config` reads the scaffolded file as it is, every key from the file."""
    from typer.testing import CliRunner

    from cosmicdiff.cli.app import app

    scaffold(tmp_path, kind=kind, ci=None, region=region)
    settings = tmp_path / "cosmicdiff.toml"
    result = CliRunner().invoke(app, ["--config", str(settings), "config"])
    assert result.exit_code == 0, result.output
    keys = tomllib.loads(settings.read_text(encoding="utf-8"))
    for key in keys:
        (line,) = [
            ln for ln in result.stdout.splitlines() if ln.startswith((f"{key} = ", f"[{key}]"))
        ]
        assert re.search(r"# \S*cosmicdiff\.toml:\d+$", line), line


# --- overwriting ------------------------------------------------------------------------


def test_refuses_to_overwrite_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "cosmicdiff.toml").write_text("# mine\n", encoding="utf-8")
    with pytest.raises(UsageError) as err:
        scaffold(tmp_path, kind="region", ci="gitlab", region="kalmar")
    assert str(tmp_path / "cosmicdiff.toml") in str(err.value)
    assert "--force" in str(err.value)
    assert files_under(tmp_path) == {"cosmicdiff.toml"}  # nothing else written either
    assert (tmp_path / "cosmicdiff.toml").read_text(encoding="utf-8") == "# mine\n"


def test_names_every_file_in_the_way(tmp_path: Path) -> None:
    scaffold(tmp_path, kind="programme", ci="azure", region=None)
    with pytest.raises(UsageError) as err:
        scaffold(tmp_path, kind="programme", ci="azure", region=None)
    for rel in expected("programme", None, "azure"):
        assert str(tmp_path.joinpath(*rel.split("/"))) in str(err.value)


def test_force_overwrites_and_leaves_other_files(tmp_path: Path) -> None:
    (tmp_path / "cosmicdiff.toml").write_text("# mine\n", encoding="utf-8")
    export = tmp_path / "regions" / "kalmar" / "export.xml"
    export.parent.mkdir(parents=True)
    export.write_text("<x/>\n", encoding="utf-8")
    written = scaffold(tmp_path, kind="region", ci="github", region="kalmar", force=True)
    assert {p.relative_to(tmp_path).as_posix() for p in written} == expected(
        "region", "kalmar", "github"
    )
    assert (
        (tmp_path / "cosmicdiff.toml")
        .read_text(encoding="utf-8")
        .startswith("# cosmicdiff settings of Region Kalmar län")
    )
    assert export.read_text(encoding="utf-8") == "<x/>\n"


def test_adds_a_ci_file_to_an_existing_scaffold_only_with_force(tmp_path: Path) -> None:
    scaffold(tmp_path, kind="region", ci=None, region="jonkoping")
    with pytest.raises(UsageError, match="already exist"):
        scaffold(tmp_path, kind="region", ci="gitlab", region="jonkoping")
    assert not (tmp_path / ".gitlab-ci.yml").exists()
    scaffold(tmp_path, kind="region", ci="gitlab", region="jonkoping", force=True)
    assert (tmp_path / ".gitlab-ci.yml").is_file()


def test_a_folder_where_a_file_goes_is_refused_even_with_force(tmp_path: Path) -> None:
    (tmp_path / "cosmicdiff.toml").mkdir()
    with pytest.raises(UsageError, match="is a folder"):
        scaffold(tmp_path, kind="programme", ci=None, region=None, force=True)


def test_a_file_where_a_folder_goes_is_refused(tmp_path: Path) -> None:
    (tmp_path / "regions").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="is a file"):
        scaffold(tmp_path, kind="programme", ci=None, region=None, force=True)
    target = tmp_path / "file"
    target.write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match="not a folder"):
        scaffold(target, kind="programme", ci=None, region=None)


def test_creates_the_target_folder(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b"
    scaffold(target, kind="programme", ci=None, region=None)
    assert (target / "cosmicdiff.toml").is_file()


# --- arguments --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"kind": "regoin", "ci": None, "region": "kalmar"},
            "unknown kind 'regoin'; choose one of: region, programme",
        ),
        (
            {"kind": "programme", "ci": "jenkins", "region": None},
            "unknown CI platform 'jenkins'; choose one of: azure, github, gitlab",
        ),
        (
            {"kind": "region", "ci": None, "region": "uppsala"},
            "unknown region id 'uppsala'; choose one of: jonkoping, kalmar, ostergotland",
        ),
        (
            {"kind": "region", "ci": None, "region": "Kalmar"},
            "unknown region id 'Kalmar'; choose one of: jonkoping, kalmar, ostergotland",
        ),
        (
            {"kind": "region", "ci": "gitlab", "region": None},
            "a region repository needs a region id; choose one of: jonkoping, kalmar, ostergotland",
        ),
        (
            {"kind": "programme", "ci": None, "region": "kalmar"},
            "a programme repository holds every region; give no region id (got 'kalmar')",
        ),
    ],
)
def test_bad_arguments(tmp_path: Path, kwargs: dict[str, str | None], message: str) -> None:
    with pytest.raises(UsageError) as err:
        scaffold(tmp_path / "repo", **kwargs)  # type: ignore[arg-type]
    assert str(err.value) == message
    assert not (tmp_path / "repo").exists()


# --- templates --------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CI_TEMPLATE.values()))
def test_public_ci_templates_are_the_package_templates(name: str) -> None:
    """The scaffold copies cosmicdiff/authoring/scaffold_templates/ci/ (the source of truth,
    shipped in the package); ci/ in the repository is the public copy for people who copy by
    hand."""
    public = (PUBLIC_CI / name).read_bytes()
    shipped = (PACKAGE_TEMPLATES / "ci" / name).read_bytes()
    assert public == shipped, (
        f"ci/{name} and cosmicdiff/authoring/scaffold_templates/ci/"
        f"{name} differ: edit the package one, then cp it to ci/{name}"
    )


def test_no_other_ci_templates() -> None:
    assert {p.name for p in PUBLIC_CI.iterdir()} == set(CI_TEMPLATE.values())
    assert {p.name for p in (PACKAGE_TEMPLATES / "ci").iterdir()} == set(CI_TEMPLATE.values())


@pytest.mark.parametrize(("kind", "region"), [("region", "kalmar"), ("programme", None)])
def test_ci_file_is_the_public_template(kind: str, region: str | None) -> None:
    for ci, name in CI_TEMPLATE.items():
        files = plan(kind=kind, ci=ci, region=region)
        (path,) = CI_PATH[ci]
        assert files[path] == (PUBLIC_CI / name).read_bytes()


HOOK_KEYS = ("id", "name", "entry", "files", "pass_filenames", "require_serial")


@pytest.mark.parametrize(("kind", "region"), [("region", "ostergotland"), ("programme", None)])
def test_pre_commit_config_uses_the_hooks_of_cosmicdiff(
    tmp_path: Path, kind: str, region: str | None
) -> None:
    scaffold(tmp_path, kind=kind, ci=None, region=region)
    text = (tmp_path / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    config = yaml.safe_load(text)
    manifest = yaml.safe_load(HOOKS_FILE.read_text(encoding="utf-8"))
    assert [h["id"] for h in manifest] == ["cosmicdiff-validate", "cosmicdiff-compare"]
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    assert [{k: h[k] for k in HOOK_KEYS} for h in repo["hooks"]] == [
        {k: h[k] for k in HOOK_KEYS} for h in manifest
    ]
    assert all(h["language"] == "system" for h in repo["hooks"])
    assert all(h["language"] == "python" for h in manifest)
    # what to check comes from cosmicdiff.toml: no paths as args
    assert not any("args" in h for h in repo["hooks"])
    # the remote form is documented in a comment, with the same hooks
    assert "#   - repo: https://" in text and "#     rev: " in text
    assert all(f"#       - id: {h['id']}" in text for h in manifest)


def test_templates_are_package_data() -> None:
    """Every template is matched by a package-data glob, so the wheel carries it (setuptools
    matches like glob.glob: `*` never crosses a `/` and never matches a leading dot)."""
    import glob

    package_data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]["package-data"]["cosmicdiff.authoring"]
    package = ROOT / "cosmicdiff" / "authoring"
    matched = {
        m for pattern in package_data for m in glob.glob(pattern, root_dir=package, recursive=True)
    }
    templates = {
        p.relative_to(package).as_posix() for p in PACKAGE_TEMPLATES.rglob("*") if p.is_file()
    }
    assert templates, "no templates found"
    assert templates <= matched, (
        f"add 'scaffold_templates/*/*' to [tool.setuptools."
        f"package-data] cosmicdiff.authoring; not matched: "
        f"{sorted(templates - matched)}"
    )
