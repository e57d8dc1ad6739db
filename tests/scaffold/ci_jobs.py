"""Run the shell steps of a CI template locally, the way its platform would.

Each platform's YAML is parsed (PyYAML) into the shell steps of the cosmicdiff job and the
files it publishes. The steps run in order in a scaffolded repository; a step runs after a
failed one only when its condition says always(). The shells are the platforms' own:

* GitLab: before_script and script in one bash with ``-eo pipefail`` (the runner's bash);
* Azure Pipelines: each ``script`` step in ``bash --noprofile --norc``, without -e: Azure
  sets no errexit, so a multi-line step must set it itself;
* GitHub Actions: each ``run`` step in ``bash --noprofile --norc -eo pipefail {0}``.

The install step (GitLab: the before_script; Azure and GitHub: the step whose script runs
``pip install``) is skipped by default: the cosmicdiff under test is already installed
(editable) in the venv running the tests, and the steps find it first on PATH.
``run_job(..., install=True)`` runs it too, with the COSMICDIFF_* variables pointing at a wheel
or a git repository built from this working tree (test_ci_install.py). GitLab runs
before_script and script in one shell; here they are two steps, which fail the same way.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ._support import tool_env

INSTALL = re.compile(r"\bpip install\b")
SHELLS = {
    "gitlab": ["bash", "-eo", "pipefail"],
    "azure": ["bash", "--noprofile", "--norc"],
    "github": ["bash", "--noprofile", "--norc", "-eo", "pipefail"],
}
CONDITION = re.compile(r"^always\(\)( && hashFiles\('([^']+)'\) != '')?$")


@dataclass
class Step:
    """One shell step: its script, whether it runs after a failure, files it needs."""

    name: str
    script: str
    always: bool = False
    needs: tuple[str, ...] = ()  # hashFiles(...) != '': skipped when a file is missing
    install: bool = False  # installs cosmicdiff: run only with run_job(..., install=True)


@dataclass
class Publish:
    """A file or folder the job publishes, and whether it is published after a failure."""

    what: str  # junit, sarif, codequality, artifact
    path: str
    always: bool


@dataclass
class Job:
    platform: str
    steps: list[Step]
    published: list[Publish]
    env: dict[str, str] = field(default_factory=dict)

    @property
    def installs(self) -> int:
        """The number of install steps."""
        return sum(step.install for step in self.steps)

    def install_scripts(self) -> list[str]:
        return [step.script for step in self.steps if step.install]


@dataclass
class Ran:
    """The outcome of a job: the platform's status (the first failing step's exit status)."""

    status: int
    log: str
    ran: list[str]


def _condition(cond: str | None) -> tuple[bool, tuple[str, ...]]:
    """Read a GitHub ``if:`` / Azure ``condition:``: only the forms the templates use."""
    if cond is None:
        return False, ()
    match = CONDITION.match(cond.strip())
    assert match, f"condition {cond!r} is not one this emulation understands"
    return True, ((match.group(2),) if match.group(2) else ())


def gitlab_job(text: str) -> Job:
    doc = yaml.safe_load(text)
    (name,) = [k for k, v in doc.items() if isinstance(v, dict) and "script" in v]
    job = doc[name]
    before = "\n".join(job.get("before_script", []))
    steps = [Step("before_script", before, install=bool(INSTALL.search(before)))] if before else []
    steps.append(Step(name, "\n".join(job["script"])))
    artifacts = job["artifacts"]
    always = artifacts.get("when") == "always"
    published = [Publish(kind, path, always) for kind, path in artifacts["reports"].items()]
    published += [Publish("artifact", path, always) for path in artifacts["paths"]]
    env = {**doc.get("variables", {}), **job.get("variables", {})}
    return Job("gitlab", steps, published, env)


_AZURE_TASKS = {
    "PublishTestResults@2": ("junit", "testResultsFiles"),
    "PublishBuildArtifacts@1": ("artifact", "PathtoPublish"),
    "PublishPipelineArtifact@1": ("artifact", "targetPath"),
}


def azure_job(text: str) -> Job:
    doc = yaml.safe_load(text)
    steps, published = [], []
    for step in doc["steps"]:
        always, needs = _condition(step.get("condition"))
        if "script" in step:
            script = step["script"]
            name = step.get("displayName", "script")
            steps.append(Step(name, script, always, needs, bool(INSTALL.search(script))))
        elif step.get("task") in _AZURE_TASKS:
            kind, key = _AZURE_TASKS[step["task"]]
            path = step["inputs"][key]
            if kind == "artifact" and path.endswith(".sarif"):
                kind = "sarif"
            published.append(Publish(kind, path, always))
    return Job("azure", steps, published, dict(doc.get("variables", {})))


_GITHUB_ACTIONS = {
    "mikepenz/action-junit-report": ("junit", "report_paths"),
    "github/codeql-action/upload-sarif": ("sarif", "sarif_file"),
    "actions/upload-artifact": ("artifact", "path"),
}


def github_job(text: str) -> Job:
    doc = yaml.safe_load(text)
    (job,) = doc["jobs"].values()
    steps, published = [], []
    for step in job["steps"]:
        always, needs = _condition(step.get("if"))
        if "run" in step:
            script = step["run"]
            name = step.get("name", "run")
            steps.append(Step(name, script, always, needs, bool(INSTALL.search(script))))
        else:
            action = step["uses"].split("@")[0]
            if action in _GITHUB_ACTIONS:
                kind, key = _GITHUB_ACTIONS[action]
                published.append(Publish(kind, step["with"][key], always))
    env = {**doc.get("env", {}), **job.get("env", {})}
    return Job("github", steps, published, env)


PARSERS = {"gitlab": gitlab_job, "azure": azure_job, "github": github_job}


def load_job(platform: str, path: Path) -> Job:
    return PARSERS[platform](path.read_text(encoding="utf-8"))


def run_job(job: Job, cwd: Path, *, install: bool = False, **env: str) -> Ran:
    """Run the job's steps in ``cwd`` (the install step only with ``install``); return the
    job's status and the combined log. ``env`` overrides the job's variables."""
    environ = tool_env(CI="true", **{**{k: str(v) for k, v in job.env.items()}, **env})
    status, log, ran = 0, [], []
    for step in job.steps:
        if step.install and not install:
            continue
        if status and not step.always:
            continue
        if any(not (cwd / p).exists() for p in step.needs):
            continue
        proc = subprocess.run(
            [*SHELLS[job.platform], "-c", step.script],
            cwd=cwd,
            env=environ,
            capture_output=True,
            text=True,
            timeout=300 if step.install else 120,
            check=False,
        )
        ran.append(step.name)
        log.append(f"--- {step.name}: exit {proc.returncode}\n{proc.stdout}{proc.stderr}")
        if proc.returncode and not status:
            status = proc.returncode
    return Ran(status, "\n".join(log), ran)


def settings_outputs(repo: Path) -> dict[str, str]:
    """Return the [outputs] table of the repository's cosmicdiff.toml."""
    outputs: dict[str, str] = tomllib.loads((repo / "cosmicdiff.toml").read_text(encoding="utf-8"))[
        "outputs"
    ]
    return outputs
