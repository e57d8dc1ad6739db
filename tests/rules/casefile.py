"""Rules tested as data: read the case files, build each case's inputs, classify, compare.

One file per rule, ``tests/rules/cases/<rule name>.yaml``::

    rule: CD105                        # the rule's code; the file is named after its name
    cases:
      - name: abbreviation             # the test id is CD105-abbreviation
        about: a keyword shortened     # optional: one line saying what the case shows
        baseline: {from: mini}         # the baseline (see below)
        region:                        # the region export (see below)
          from: baseline
          keywords: [{id: B-SO-2, name: Suicidriskbed.}]
        options:                       # optional: the baseline's rules.yaml, as written there
          cases: {psychiatry: {severities: {renamed: error}}}
        expect:                        # every finding, nothing more: [] when nothing is reported
          - {kind: renamed, rule: CD105, severity: warning, entity: keyword,
             baseline_id: B-SO-2, local_id: B-SO-2, path: B-JM-1/B-SO-6/B-SO-2,
             message: "name is 'Suicidriskbed.'"}
        suppressed: 1                  # optional: expected differences left out (default 0)

``baseline`` and ``region`` are model fragments in the YAML form (docs/yaml-form.md:
``terms``, ``valueLists``, ``keywords``, ``templates``), with these keys besides:

* ``from``: where the fragment starts. For the baseline, a fixture baseline folder under
  ``tests/fixtures/baselines/`` (its ``model.yaml`` and ``baseline.yaml``); for the region,
  ``baseline``: a copy of the case's baseline model. The fragment's records are then
  merged into those of ``from`` by id (terms by ``system:code``): the fields given replace
  the ones there, a field given as ``null`` is dropped, a record with a new id is added.
  A list field (``items``, ``values``, ``bindings``) is replaced as a whole.
* ``remove``: records of ``from`` left out, by section and id (``{keywords: [B-SO-3]}``).
* baseline only, ``cases``: ``baseline.yaml``'s cases as ``{case id: [template ids]}``;
  default: those of ``from``, else one case ``main`` holding every template.
* region only, ``region``: the region's id (default ``r1``); ``mapping``: the region's
  ``mapping.yaml``.

An expected finding names its ``kind``, ``rule``, ``severity``, ``entity``,
``baseline_id``, ``local_id``, ``path`` and a fragment of its ``message``; it may name
any other field of the contract's JSON deviation listed in :data:`FINDING_OPTIONAL`.
Unnamed, ``field`` must be null and ``allowed_extension`` false.

Each case is written to a temporary folder and read by the project's own readers, then
matched, diffed and classified as ``cosmicdiff compare`` does (waivers and scores aside).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from cosmicdiff.diff.region import diff_region
from cosmicdiff.io.safe_yaml import line_of, load_yaml
from cosmicdiff.match.identity import match_region
from cosmicdiff.match.scope import build_scope
from cosmicdiff.match.single import pair_single_artefacts
from cosmicdiff.pipeline import load_checked_baseline, load_checked_region
from cosmicdiff.rules.classify import classify
from cosmicdiff.rules.files import load_baseline_config

HERE = Path(__file__).resolve().parent
CASES_DIR = HERE / "cases"
FIXTURE_BASELINES = HERE.parent / "fixtures" / "baselines"

#: The record sections of the YAML form, in the order the reader takes them.
SECTIONS = ("terms", "valueLists", "keywords", "templates")
CASE_KEYS = frozenset({"name", "about", "baseline", "region", "options", "expect", "suppressed"})
CASE_REQUIRED = ("name", "baseline", "region", "expect")
BASELINE_KEYS = frozenset({"from", "cases", "remove", *SECTIONS})
REGION_KEYS = frozenset({"from", "region", "mapping", "remove", *SECTIONS})
#: What every expected finding says (the names of the contract's JSON deviation).
FINDING_REQUIRED = (
    "kind",
    "rule",
    "severity",
    "entity",
    "baseline_id",
    "local_id",
    "path",
    "message",
)
#: What an expected finding may say besides.
FINDING_OPTIONAL = frozenset(
    {
        "field",
        "allowed_extension",
        "region",
        "case",
        "cases",
        "expected",
        "actual",
        "name",
        "template",
        "matched_by",
        "grouped",
    }
)
#: What an expected finding that does not say it means.
FINDING_DEFAULTS: Mapping[str, Any] = {"field": None, "allowed_extension": False}
CASE_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*\Z")
#: libyaml's dumper where PyYAML has it: the pure-Python one would take most of the time
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class CaseFileError(Exception):
    """A case file that does not follow the format; ``str()`` names file and line."""


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleCase:
    """One named case of a rule: inputs, rules.yaml options and the expected findings."""

    rule: str
    name: str
    where: str
    baseline: Mapping[str, Any]
    region: Mapping[str, Any]
    options: Mapping[str, Any] | None
    expect: tuple[Mapping[str, Any], ...]
    suppressed: int

    @property
    def id(self) -> str:
        """Return the test id: rule code and case name."""
        return f"{self.rule}-{self.name}"

    def fires(self) -> bool:
        """Return True when the case expects a finding of its own rule."""
        return any(e["rule"] == self.rule for e in self.expect)


@dataclass(frozen=True, kw_only=True, slots=True)
class CaseFile:
    """A rule's case file: the rule code it names and its cases."""

    path: Path
    rule: str
    cases: tuple[RuleCase, ...]


# -- reading ---------------------------------------------------------------------------------


def case_files() -> list[Path]:
    """Return the case files, in name order."""
    return sorted(CASES_DIR.glob("*.yaml"))


def all_cases() -> list[RuleCase]:
    """Return every case of every case file."""
    return [case for path in case_files() for case in read_case_file(path).cases]


def plain(value: Any) -> Any:
    """Return YAML data as plain dicts and lists (without the loader's line bookkeeping)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _shown(path: Path) -> str:
    return path.relative_to(HERE).as_posix() if path.is_relative_to(HERE) else str(path)


def _fail(path: Path, node: Any, key: Any, message: str) -> CaseFileError:
    return CaseFileError(f"{_shown(path)}:{line_of(node, key) or '?'}: {message}")


def _check_keys(
    path: Path, node: Any, what: str, allowed: frozenset[str], required: Sequence[str] = ()
) -> None:
    """Refuse a node that is not a mapping, lacks a required key or has an unknown one."""
    if not isinstance(node, dict):
        raise _fail(path, node, None, f"{what} must be a mapping")
    for key in node:
        if key not in allowed:
            raise _fail(
                path,
                node,
                key,
                f"unknown key {key!r} in {what}; allowed: {', '.join(sorted(allowed))}",
            )
    for key in required:
        if key not in node:
            raise _fail(path, node, None, f"{what} needs {key!r}")


@functools.cache
def read_case_file(path: Path) -> CaseFile:
    """Read and check one case file (once); raise CaseFileError naming file and line."""
    data = load_yaml(path, _shown(path))
    _check_keys(path, data, "a case file", frozenset({"rule", "cases"}), ("rule", "cases"))
    cases = data["cases"]
    if not isinstance(cases, list) or not cases:
        raise _fail(path, data, "cases", "'cases' must be a non-empty list")
    read = [_read_case(path, data["rule"], cases, i) for i in range(len(cases))]
    names = [c.name for c in read]
    for i, name in enumerate(names):
        if name in names[:i]:
            raise _fail(path, cases, i, f"case name {name!r} is used twice")
    return CaseFile(path=path, rule=str(data["rule"]), cases=tuple(read))


def _read_case(path: Path, rule: str, cases: list[Any], index: int) -> RuleCase:
    raw = cases[index]
    what = f"case {index + 1}"
    _check_keys(path, raw, what, CASE_KEYS, CASE_REQUIRED)
    name = raw["name"]
    if not isinstance(name, str) or not CASE_NAME.match(name):
        raise _fail(path, raw, "name", f"{what}: name {name!r} must be lower-case-with-hyphens")
    _check_keys(path, raw["baseline"], f"the baseline of case {name!r}", BASELINE_KEYS)
    _check_keys(path, raw["region"], f"the region of case {name!r}", REGION_KEYS)
    if raw["region"].get("from", "baseline") != "baseline":
        raise _fail(path, raw["region"], "from", f"case {name!r}: a region starts 'from: baseline'")
    expect = raw["expect"]
    if not isinstance(expect, list):
        raise _fail(path, raw, "expect", f"case {name!r}: 'expect' must be a list ([] for none)")
    for i, finding in enumerate(expect):
        _check_keys(
            path,
            finding,
            f"expected finding {i + 1} of case {name!r}",
            frozenset({*FINDING_REQUIRED, *FINDING_OPTIONAL}),
            FINDING_REQUIRED,
        )
    suppressed = raw.get("suppressed", "0")
    if not str(suppressed).isdigit():
        raise _fail(path, raw, "suppressed", f"case {name!r}: 'suppressed' must be a count")
    return RuleCase(
        rule=str(rule),
        name=name,
        where=f"{_shown(path)}:{line_of(raw)}",
        baseline=plain(raw["baseline"]),
        region=plain(raw["region"]),
        options=plain(raw["options"]) if "options" in raw else None,
        expect=tuple(plain(expect)),
        suppressed=int(suppressed),
    )


# -- building the inputs ---------------------------------------------------------------------


def record_key(section: str, record: Mapping[str, Any]) -> str:
    """Return the key a record is merged by: its id, or ``system:code`` for a term."""
    if section == "terms":
        return f"{record.get('system')}:{record.get('code')}"
    return str(record.get("id"))


def edited(model: Mapping[str, Any], edits: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``model`` (YAML form) with the records of ``edits`` merged in and its
    ``remove`` left out; a field set to None is dropped. Other keys of ``model`` are kept."""
    out = {k: v for k, v in model.items() if k not in SECTIONS}
    remove = edits.get("remove") or {}
    for section in SECTIONS:
        records = {record_key(section, r): dict(r) for r in model.get(section) or ()}
        for key in remove.get(section) or ():
            if records.pop(str(key), None) is None:
                raise ValueError(f"remove: there is no {section} record {key!r} to remove")
        for record in edits.get(section) or ():
            key = record_key(section, record)
            merged = {**records.get(key, {}), **record}
            records[key] = {k: v for k, v in merged.items() if v is not None}
        if records:
            out[section] = list(records.values())
    return out


@functools.cache
def fixture_baseline(name: str) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """Return the ``baseline.yaml`` and ``model.yaml`` of a fixture baseline (not to be changed)."""
    folder = FIXTURE_BASELINES / name
    return (
        plain(load_yaml(folder / "baseline.yaml", f"{name}/baseline.yaml")),
        plain(load_yaml(folder / "model.yaml", f"{name}/model.yaml")),
    )


def baseline_files(spec: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the contents of the case baseline's ``baseline.yaml`` and ``model.yaml``."""
    start: tuple[Mapping[str, Any], Mapping[str, Any]] = (
        {"id": "base", "name": "Regelfall", "version": "1"},
        {},
    )
    if "from" in spec:
        start = fixture_baseline(str(spec["from"]))
    meta, model = dict(start[0]), edited(start[1], spec)
    if "cases" in spec:
        meta["cases"] = {
            cid: {"name": f"Fall {cid}", "templates": list(tids)}
            for cid, tids in spec["cases"].items()
        }
    elif "cases" not in meta:
        tids = [t["id"] for t in model.get("templates", [])]
        meta["cases"] = {"main": {"name": "Fall main", "templates": tids}}
    return meta, model


def region_files(
    spec: Mapping[str, Any], baseline_model: Mapping[str, Any]
) -> tuple[dict[str, Any], Any]:
    """Return the contents of the case region's ``model.yaml`` and ``mapping.yaml`` (or None)."""
    start = baseline_model if spec.get("from") == "baseline" else {}
    model = {"region": spec.get("region", "r1"), **edited(start, spec)}
    return model, spec.get("mapping")


def _dump(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def write_case(case: RuleCase, folder: Path) -> tuple[Path, Path]:
    """Write the case's baseline folder (with rules.yaml) and region folder; return both."""
    meta, model = baseline_files(case.baseline)
    region, mapping = region_files(case.region, model)
    base_dir, region_dir = folder / "baseline", folder / "region"
    _dump(base_dir / "baseline.yaml", meta)
    _dump(base_dir / "model.yaml", model)
    if case.options is not None:
        _dump(base_dir / "rules.yaml", case.options)
    _dump(region_dir / "model.yaml", region)
    if mapping is not None:
        _dump(region_dir / "mapping.yaml", mapping)
    return base_dir, region_dir


# -- running and comparing -------------------------------------------------------------------


def classified(base_dir: Path, region_dir: Path) -> tuple[list[dict[str, Any]], int]:
    """Match, diff and classify the region as compare does; return the findings as the
    contract's JSON deviations and the number of expected differences left out."""
    baseline = load_checked_baseline(base_dir)
    settings, _waivers = load_baseline_config(baseline, base_dir)
    region = pair_single_artefacts(load_checked_region(region_dir), baseline)
    raw = diff_region(baseline, build_scope(baseline), region, match_region(region, baseline))
    found, suppressed = classify(raw.deviations, settings)
    return [d.to_json() for d in found], suppressed


def agrees(expected: Mapping[str, Any], found: Mapping[str, Any]) -> bool:
    """Return True when a finding says all the expectation says (its message: a fragment)."""
    for key, value in {**FINDING_DEFAULTS, **expected}.items():
        if key == "message":
            if str(value) not in str(found.get("message")):
                return False
        elif found.get(key) != value:
            return False
    return True


def unmatched(
    expect: Sequence[Mapping[str, Any]], found: Sequence[Mapping[str, Any]]
) -> tuple[list[Mapping[str, Any]], list[Mapping[str, Any]]]:
    """Pair expectations and findings one to one (as many as possible); return the
    expectations and the findings left without a partner."""
    owner: dict[int, int] = {}  # finding -> expectation

    def claim(i: int, seen: set[int]) -> bool:
        for j, finding in enumerate(found):
            if j not in seen and agrees(expect[i], finding):
                seen.add(j)
                if j not in owner or claim(owner[j], seen):
                    owner[j] = i
                    return True
        return False

    for i in range(len(expect)):
        claim(i, set())
    paired = set(owner.values())
    return (
        [e for i, e in enumerate(expect) if i not in paired],
        [f for j, f in enumerate(found) if j not in owner],
    )


def _flow(finding: Mapping[str, Any]) -> str:
    return yaml.safe_dump(
        dict(finding), allow_unicode=True, sort_keys=False, default_flow_style=True, width=10_000
    ).strip()


def as_expected(finding: Mapping[str, Any]) -> dict[str, Any]:
    """Return a found finding as a case file would expect it (to paste into one)."""
    out = {k: finding.get(k) for k in (*FINDING_REQUIRED[:-1], "case")}
    out |= {k: finding.get(k) for k, v in FINDING_DEFAULTS.items() if finding.get(k) != v}
    return out | {"message": finding.get("message")}


def mismatch_report(
    case: RuleCase, missing: Sequence[Mapping[str, Any]], extra: Sequence[Mapping[str, Any]]
) -> str:
    """Say which expectations were not met and which findings nobody expected."""
    lines = [f"{case.id} ({case.where}):"]
    if missing:
        lines += ["expected, not found:", *(f"  - {_flow(e)}" for e in missing)]
    if extra:
        lines += ["found, not expected:", *(f"  - {_flow(as_expected(f))}" for f in extra)]
    return "\n".join(lines)
