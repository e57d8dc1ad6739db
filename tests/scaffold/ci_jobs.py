"""Run the shell steps of a CI template locally, the way its platform would.

Each platform's YAML is parsed (PyYAML) into the shell steps of the cosmicdiff job and the
files it publishes. The steps run in order in a scaffolded repository; a step runs after a
failed one only when its condition says always(). The shells are the platforms' own:

* GitLab: before_script and script in one bash with ``-eo pipefail`` (the runner's bash);
* Azure Pipelines: each ``script`` step in ``bash --noprofile --norc``, without -e: Azure
  sets no errexit, so a multi-line step must set it itself;
* GitHub Actions: each ``run`` step in ``bash --noprofile --norc -eo pipefail {0}``.

The install line (``pip install cosmicdiff…``) is dropped: the cosmicdiff under test is
already installed (editable) in the venv running the tests, and the steps find it first on
PATH. Installing from the package index would test a release, not this working tree.
"""

from __future__ import annotations

import re
import subprocess
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ._support import tool_env

INSTALL = re.compile(r"^\s*(python -m )?pip install cosmicdiff\b.*$", re.M)
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
    installs: int = 0  # install lines dropped


@dataclass
class Ran:
    """The outcome of a job: the platform's status (the first failing step's exit status)."""

    status: int
    log: str
    ran: list[str]


def _strip_install(script: str) -> tuple[str, int]:
    stripped, count = INSTALL.subn("", script)
    return stripped, count


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
    lines = [*job.get("before_script", []), *job["script"]]
    script, installs = _strip_install("\n".join(lines))
    artifacts = job["artifacts"]
    always = artifacts.get("when") == "always"
    published = [Publish(kind, path, always) for kind, path in artifacts["reports"].items()]
    published += [Publish("artifact", path, always) for path in artifacts["paths"]]
    env = {**doc.get("variables", {}), **job.get("variables", {})}
    return Job("gitlab", [Step(name, script)], published, env, installs)


_AZURE_TASKS = {
    "PublishTestResults@2": ("junit", "testResultsFiles"),
    "PublishBuildArtifacts@1": ("artifact", "PathtoPublish"),
    "PublishPipelineArtifact@1": ("artifact", "targetPath"),
}


def azure_job(text: str) -> Job:
    doc = yaml.safe_load(text)
    steps, published, installs = [], [], 0
    for step in doc["steps"]:
        always, needs = _condition(step.get("condition"))
        if "script" in step:
            script, n = _strip_install(step["script"])
            installs += n
            if script.strip():
                steps.append(Step(step.get("displayName", "script"), script, always, needs))
        elif step.get("task") in _AZURE_TASKS:
            kind, key = _AZURE_TASKS[step["task"]]
            path = step["inputs"][key]
            if kind == "artifact" and path.endswith(".sarif"):
                kind = "sarif"
            published.append(Publish(kind, path, always))
    return Job("azure", steps, published, dict(doc.get("variables", {})), installs)


_GITHUB_ACTIONS = {
    "mikepenz/action-junit-report": ("junit", "report_paths"),
    "github/codeql-action/upload-sarif": ("sarif", "sarif_file"),
    "actions/upload-artifact": ("artifact", "path"),
}


def github_job(text: str) -> Job:
    doc = yaml.safe_load(text)
    (job,) = doc["jobs"].values()
    steps, published, installs = [], [], 0
    for step in job["steps"]:
        always, needs = _condition(step.get("if"))
        if "run" in step:
            script, n = _strip_install(step["run"])
            installs += n
            if script.strip():
                steps.append(Step(step.get("name", "run"), script, always, needs))
        else:
            action = step["uses"].split("@")[0]
            if action in _GITHUB_ACTIONS:
                kind, key = _GITHUB_ACTIONS[action]
                published.append(Publish(kind, step["with"][key], always))
    env = {**doc.get("env", {}), **job.get("env", {})}
    return Job("github", steps, published, env, installs)


PARSERS = {"gitlab": gitlab_job, "azure": azure_job, "github": github_job}


def load_job(platform: str, path: Path) -> Job:
    return PARSERS[platform](path.read_text(encoding="utf-8"))


def run_job(job: Job, cwd: Path, **env: str) -> Ran:
    """Run the job's steps in ``cwd``; return the job's status and the combined log."""
    environ = tool_env(CI="true", **{k: str(v) for k, v in job.env.items()}, **env)
    status, log, ran = 0, [], []
    for step in job.steps:
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
            timeout=120,
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
