"""Build a cosmicdiff release from the tagged commit: sdist and wheel in dist/, checked by
twine, with dist/SHA256SUMS. Publishes nothing (docs/release.md says what to do with dist/).

    python .ci/release.py [--no-isolation]

Refuses (exit 2, one line) unless HEAD is a tag vX.Y.Z, the working tree is clean, CHANGELOG.md
has the section ``## [X.Y.Z] - YYYY-MM-DD`` as its newest version, and the CI templates
(ci/*.yml and their package copies) install that tag. ``--no-isolation`` builds with the
setuptools, setuptools-scm and wheel installed here (offline), as the tests do.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = [
    *sorted((ROOT / "ci").glob("*.yml")),
    *sorted((ROOT / "cosmicdiff" / "authoring" / "scaffold_templates" / "ci").glob("*.yml")),
]


class Refused(Exception):
    pass


def _run(*args: str) -> str:
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode:
        raise Refused(f"{' '.join(args)}: {(proc.stderr or proc.stdout).strip()}")
    return proc.stdout


def check() -> str:
    """Return the version to release, or raise Refused saying what is not ready."""
    tags = _run("git", "tag", "--points-at", "HEAD").split()
    releases = [t for t in tags if re.fullmatch(r"v\d+\.\d+\.\d+", t)]
    if len(releases) != 1:
        raise Refused(f"HEAD must carry one tag vX.Y.Z (has: {', '.join(tags) or 'none'})")
    version = releases[0][1:]
    if _run("git", "status", "--porcelain", "--untracked-files=no").strip():
        raise Refused("the working tree has uncommitted changes")
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.findall(r"(?m)^## \[(\d+\.\d+\.\d+)\] - \d{4}-\d\d-\d\d$", changelog)
    if not sections or sections[0] != version:
        raise Refused(
            f"CHANGELOG.md: the newest version section must be '## [{version}] - YYYY-MM-DD' "
            f"(is {sections[0] if sections else 'none'})"
        )
    for path in TEMPLATES:
        pins = re.findall(r'(?m)^\s*COSMICDIFF_VERSION: "([^"]*)"$', path.read_text("utf-8"))
        if pins != [f"v{version}"]:
            raise Refused(f'{path.relative_to(ROOT)}: COSMICDIFF_VERSION must be "v{version}"')
    return version


def build(version: str, *, isolation: bool) -> list[Path]:
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    args = [sys.executable, "-m", "build", "--outdir", str(dist)]
    _run(*args, *([] if isolation else ["--no-isolation"]), str(ROOT))
    built = sorted(dist.iterdir())
    expected = {f"cosmicdiff-{version}.tar.gz", f"cosmicdiff-{version}-py3-none-any.whl"}
    if {p.name for p in built} != expected:
        raise Refused(f"built {[p.name for p in built]}, expected {sorted(expected)}")
    _run(sys.executable, "-m", "twine", "check", "--strict", *map(str, built))
    sums = "".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}\n" for p in built)
    (dist / "SHA256SUMS").write_text(sums, encoding="utf-8")
    return built


def main(argv: list[str]) -> int:
    if set(argv) - {"--no-isolation"}:
        print("usage: python .ci/release.py [--no-isolation]", file=sys.stderr)
        return 2
    try:
        version = check()
        built = build(version, isolation="--no-isolation" not in argv)
    except Refused as exc:
        print(f"release: {exc}", file=sys.stderr)
        return 2
    for path in built:
        print(f"dist/{path.name}")
    print("dist/SHA256SUMS")
    print(f"cosmicdiff {version}: built and checked; nothing was published (docs/release.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
