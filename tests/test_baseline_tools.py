"""``baseline propose`` / ``baseline diff`` and the YAML-form writer they write drafts with.

Pinned here: the writer's round trip (the shipped baseline, generated models, tricky
strings); the votes on the example regions (one change: X1; one tie: J12/O5 on
ESP-SO-00328); the vote rules on hand-made Results; the two CLI commands end to end,
with the exact counts and scores they report today; and that a draft is deterministic.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ESPIR, EXAMPLES, CliResult, run_cli
from hypothesis import HealthCheck, given, settings
from model_edit import as_finding
from test_roundtrip import exports

from cosmicdiff.authoring.yaml_writer import baseline_yaml, export_yaml
from cosmicdiff.model import (
    Baseline,
    Binding,
    Case,
    CaseId,
    Export,
    Item,
    Keyword,
    KeywordId,
    KeywordType,
    Status,
    Template,
    TemplateId,
    Term,
    Value,
    ValueList,
    ValueListId,
)
from cosmicdiff.parsers import load_baseline
from cosmicdiff.pipeline import CompareOptions, compare
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.result.parts import RegionInfo
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Entity, Kind
from cosmicdiff.workshop.baseline import Proposal, Vote, collect_votes, propose, proposed_baseline

TODAY = "2026-11-23"
REGIONS = sorted(EXAMPLES.iterdir())
REGION_IDS = ["jonkoping", "kalmar", "ostergotland"]
DRAFT_FILES = {"baseline.yaml", "model.yaml", "PROPOSAL.md", "rules.yaml", "waivers.yaml"}
X1_NOTE = (
    "proposed: renamed 'Trombektomi utförd' -> 'Trombektomi genomförd' "
    "(jonkoping, kalmar, ostergotland: 3 of 3 regions)"
)
SECTIONS = ("terms", "value_lists", "keywords", "templates")


def _write_and_load(
    baseline: Baseline, folder: Path, notes: dict[tuple[str, str], list[str]] | None = None
) -> Baseline:
    """Write a baseline in its YAML form (baseline.yaml + model.yaml) and read it back."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "baseline.yaml").write_text(
        baseline_yaml(baseline, baseline.version), encoding="utf-8"
    )
    (folder / "model.yaml").write_text(export_yaml(baseline.export, notes=notes), encoding="utf-8")
    return load_baseline(folder)


def _assert_same_model(read: Baseline, original: Baseline) -> None:
    for section in SECTIONS:
        assert getattr(read.export, section) == getattr(original.export, section), section
    assert read.cases == original.cases
    assert (read.id, read.name, read.version) == (original.id, original.name, original.version)


def _one_line(text: str) -> str:
    return " ".join(text.split())


# -- shared runs ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def espir() -> Baseline:
    return load_baseline(ESPIR)


@pytest.fixture(scope="module")
def example_result() -> Result:
    return compare(ESPIR, REGIONS, CompareOptions(today=dt.date.fromisoformat(TODAY), fail_on=None))


@pytest.fixture(scope="module")
def example_proposal(espir: Baseline, example_result: Result) -> Proposal:
    return propose(espir, example_result)


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> tuple[CliResult, Path]:
    out = tmp_path_factory.mktemp("propose") / "draft"
    return run_cli("baseline", "propose", "-b", ESPIR, *REGIONS, "-o", out, "--today", TODAY), out


@pytest.fixture(scope="module")
def forced_draft(tmp_path_factory: pytest.TempPathFactory) -> tuple[CliResult, Path]:
    """A second run, into an existing non-empty folder with --force."""
    out = tmp_path_factory.mktemp("propose-force") / "draft"
    out.mkdir()
    (out / "README.md").write_text("workshop notes\n", encoding="utf-8")
    return run_cli(
        "baseline", "propose", "-b", ESPIR, *REGIONS, "-o", out, "--today", TODAY, "--force"
    ), out


@pytest.fixture(scope="module")
def diff_doc(draft: tuple[CliResult, Path]) -> dict[str, Any]:
    r = run_cli("baseline", "diff", ESPIR, draft[1], *REGIONS, "--today", TODAY, "--format", "json")
    assert r.code == 0, r.stderr
    doc: dict[str, Any] = json.loads(r.stdout)
    return doc


# -- yaml_writer round trip -----------------------------------------------------------------


def test_shipped_baseline_round_trips_through_the_yaml_form(
    espir: Baseline, tmp_path: Path
) -> None:
    read = _write_and_load(espir, tmp_path / "copy")
    _assert_same_model(read, espir)
    assert [len(getattr(read.export, s)) for s in SECTIONS] == [36, 23, 145, 15]
    # writing what was read gives the same text: the form is a fixed point
    assert export_yaml(read.export) == (tmp_path / "copy" / "model.yaml").read_text("utf-8")
    assert baseline_yaml(read, read.version) == (tmp_path / "copy" / "baseline.yaml").read_text(
        "utf-8"
    )


def _flow_texts(e: Export) -> Iterator[str]:
    """Yield the strings export_yaml writes inside flow mappings and sequences."""
    for t in e.terms.values():
        yield t.system
        yield from t.displays.values()
    for vl in e.value_lists.values():
        for v in vl.values:
            yield v.display
            yield from (b.system for b in v.bindings)
    for k in e.keywords.values():
        yield from (b.system for b in k.bindings)
    for tpl in e.templates.values():
        yield from tpl.cases or ()
        yield from (item.keyword for _, item in tpl.walk())


def _texts(e: Export) -> Iterator[str]:
    """Yield every string of the export's records."""
    for t in e.terms.values():
        yield from (t.system, t.code, *t.displays.values())
    for vl in e.value_lists.values():
        yield from (vl.id, vl.name)
        for v in vl.values:
            yield from (v.code, v.display, *(x for b in v.bindings for x in (b.system, b.code)))
    for k in e.keywords.values():
        yield from (k.id, k.name, k.unit or "", k.value_list or "", k.description or "")
        yield from (x for b in k.bindings for x in (b.system, b.code))
    for tpl in e.templates.values():
        yield from (tpl.id, tpl.name, tpl.version or "", tpl.note_type or "", *(tpl.cases or ()))
        yield from (item.keyword for _, item in tpl.walk())


def _yaml_form_safe(e: Export) -> bool:
    """Every model the strategy makes is written faithfully (kept as a hook for filters)."""
    return True


def _empty_as_none(e: Export) -> Export:
    """An empty unit or description is not written; it reads back as None (same_text: equal)."""
    return dataclasses.replace(
        e,
        keywords={
            k: kw._replace(unit=kw.unit or None, description=kw.description or None)
            for k, kw in e.keywords.items()
        },
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(exports().filter(_yaml_form_safe).map(_empty_as_none))
def test_generated_model_round_trips_through_the_yaml_form(original: Export) -> None:
    baseline = Baseline(
        id="b",
        name="B",
        version="1",
        export=original,
        cases=(
            Case(
                id=CaseId("c"),
                name="C",
                templates=tuple(TemplateId(t) for t in sorted(original.templates)),
            ),
        ),
    )
    with tempfile.TemporaryDirectory() as tmp:
        _assert_same_model(_write_and_load(baseline, Path(tmp)), baseline)


def _tricky(text: str, code: str) -> Baseline:
    """A small baseline with ``text`` in every free-text field and ``code`` in every code."""
    vl = ValueList(
        id=ValueListId("VL-1"),
        name=text,
        values=(
            Value(code=code, display=text, bindings=(Binding(system="kva", code=code),)),
            Value(code="2", display="två"),
        ),
    )
    keywords = [
        Keyword(id=KeywordId("K-HEAD"), name=text, type=KeywordType.TEXT, description=text),
        Keyword(
            id=KeywordId(code),
            name=text,
            type=KeywordType.NUMERIC,
            unit=text,
            bindings=(Binding(system="kva", code=code),),
            status=Status.INACTIVE,
            hidden_from_1177=True,
            description=text,
        ),
        Keyword(id=KeywordId("K-FIX"), name="Väg", type=KeywordType.FIX_VALUE, value_list=vl.id),
    ]
    template = Template(
        id=TemplateId("T-1"),
        name=text,
        version=code,
        note_type="auf",
        cases=(CaseId("c1"), CaseId(text)),
        items=(
            Item(
                keyword=KeywordId("K-HEAD"),
                mandatory=True,
                children=(
                    Item(keyword=KeywordId(code), repeatable=True),
                    Item(keyword=KeywordId("K-FIX")),
                ),
            ),
            Item(keyword=KeywordId(code)),
        ),
    )
    terms = [
        Term(system="kva", code=code, displays={"sv": text}),
        Term(
            system="snomed-ct", code="1", displays={"en": text, "sv": text}, status=Status.RETIRED
        ),
    ]
    export = Export(
        region="b",
        terms={t.key: t for t in terms},
        value_lists={vl.id: vl},
        keywords={k.id: k for k in keywords},
        templates={template.id: template},
    )
    return Baseline(
        id="b",
        name=text,
        version=code,
        export=export,
        cases=(
            Case(id=CaseId("c1"), name=text, templates=(template.id,)),
            Case(id=CaseId("c2"), name="C2", templates=(template.id,)),
        ),
    )


SINGLE_LINE = [
    "Dos, mg",
    "Obs: viktigt",
    "Tid 10:30",
    "a #b",
    "#1 prioritet",
    "a#b",
    "'citat'",
    '"citat"',
    "O'Brien",
    "-x",
    "- punkt",
    "yes",
    "no",
    "Nej",
    "N",
    "on",
    "off",
    "true",
    "False",
    "null",
    "~",
    "007",
    "010",
    "1.5",
    "1e3",
    "0x1F",
    ".inf",
    "2026-11-23",
    "12:30:00",
    "Blodtryck (mm[Hg])",
    "{x}",
    "[x]",
    "&ref",
    "*stjärna",
    "!viktigt",
    "%",
    "@hem",
    "`kod`",
    "|",
    ">",
    "a\\b",
    " inledande",
    "avslutande ",
    "Åsa Öberg é ü ß 中文 🙂",
    "...",
    "---",
    "a\tb",
    "<<",
    "=",
]


@pytest.mark.parametrize("text", SINGLE_LINE, ids=repr)
def test_tricky_single_line_strings_survive(text: str, tmp_path: Path) -> None:
    original = _tricky(text, code=text)
    _assert_same_model(_write_and_load(original, tmp_path), original)


MULTI_LINE = [
    "Rad 1\nRad 2",
    "Stycke 1\n\nStycke 2",
    "slutar med radbrytning\n",
    "\nbörjar med radbrytning",
    "  indrag\n  igen: ja, #2",
    "a\u2028b",
]


@pytest.mark.parametrize("text", MULTI_LINE, ids=repr)
def test_newlines_in_descriptions_names_and_displays_survive(text: str, tmp_path: Path) -> None:
    original = _tricky(text, code="C1")
    _assert_same_model(_write_and_load(original, tmp_path), original)
    kw = load_baseline(tmp_path).export.keywords[KeywordId("C1")]
    assert (kw.description, kw.name) == (text, text)


def _one_value_list(display: str) -> Baseline:
    vl = ValueList(
        id=ValueListId("VL-1"), name="Rökning", values=(Value(code="9", display=display),)
    )
    return Baseline(
        id="b",
        name="B",
        version="1",
        export=Export(region="b", value_lists={vl.id: vl}),
        cases=(Case(id=CaseId("c"), name="C"),),
    )


@pytest.mark.parametrize("text", ["Annat, ange...", "Se även..."], ids=repr)
def test_trailing_ellipsis_survives(text: str, tmp_path: Path) -> None:
    original = _tricky(text, code="C1")
    _assert_same_model(_write_and_load(original, tmp_path), original)


@pytest.mark.parametrize("text", ["Anamnes\u00a0", "\u2003Anamnes"], ids=repr)
def test_edge_unicode_space_survives(text: str, tmp_path: Path) -> None:
    original = _tricky(text, code="C1")
    _assert_same_model(_write_and_load(original, tmp_path), original)


@pytest.mark.parametrize(
    ("display", "pure_python"),
    [(":a", False), ("?a", False), ("Vet ej?", True)],
    ids=["colon", "question", "no-libyaml"],
)
def test_flow_text_with_question_mark_or_leading_colon_survives(
    display: str, pure_python: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if pure_python:  # the loader used where PyYAML is installed without libyaml
        monkeypatch.setattr("cosmicdiff.io.safe_yaml._FastLoader", None)
    original = _one_value_list(display)
    _assert_same_model(_write_and_load(original, tmp_path), original)


def test_newline_in_a_quoted_code_survives(tmp_path: Path) -> None:
    original = _tricky("x", code="A\nB")
    _assert_same_model(_write_and_load(original, tmp_path), original)


# -- votes on the example regions -----------------------------------------------------------


def test_examples_give_one_change_one_tie_and_nothing_listed(example_proposal: Proposal) -> None:
    assert example_proposal.counts() == {"change": 1, "tie": 1, "listed": 0, "additions": 0}
    assert example_proposal.templates_removed == []
    assert example_proposal.additions == []


def test_examples_change_is_x1_by_all_three_regions(example_proposal: Proposal) -> None:
    new = "Trombektomi genomförd"
    assert [v for v in example_proposal.votes if v.outcome == "change"] == [
        Vote(
            entity="keyword",
            baseline_id="ESP-SO-00314",
            kind="renamed",
            field=None,
            template=None,
            baseline_value="Trombektomi utförd",
            votes=dict.fromkeys(REGION_IDS, new),
            outcome="change",
            value=new,
        )
    ]


def test_examples_tie_is_kopia_till_status_without_ostergotland(example_proposal: Proposal) -> None:
    # J12: Jönköping set it inactive; O5: Östergötland lacks the item, so it does not vote
    assert [v for v in example_proposal.votes if v.outcome == "tie"] == [
        Vote(
            entity="keyword",
            baseline_id="ESP-SO-00328",
            kind="status_changed",
            field=None,
            template=None,
            baseline_value="active",
            votes={"jonkoping": "inactive", "kalmar": "active"},
            outcome="tie",
            value=None,
        )
    ]


def test_examples_structural_differences_are_listed_only(example_proposal: Proposal) -> None:
    # every structural difference in the examples is one region's: the majority follows the
    # baseline, so there is nothing to propose or to list
    listed = [v for v in example_proposal.votes if v.outcome == "listed"]
    assert listed == []
    unit_majority = collect_votes(
        _result(
            [
                _dev(
                    r,
                    Kind.ORDER_CHANGED,
                    Entity.KEYWORD,
                    "K1",
                    template="T-1",
                    expected="1",
                    actual="2",
                )
                for r in ("r1", "r2")
            ]
        )
    )
    assert [(v.kind, v.outcome) for v in unit_majority] == [("order_changed", "listed")]


def test_examples_draft_renames_x1_and_keeps_everything_else(
    espir: Baseline, example_proposal: Proposal
) -> None:
    base, new = espir.export, example_proposal.export
    for section in ("terms", "value_lists", "templates"):
        assert getattr(new, section) == getattr(base, section), section
    assert new.keywords.keys() == base.keywords.keys()
    changed = [k for k in base.keywords if new.keywords[k] != base.keywords[k]]
    assert changed == ["ESP-SO-00314"]
    assert new.keywords["ESP-SO-00314"] == base.keywords["ESP-SO-00314"]._replace(
        name="Trombektomi genomförd"
    )
    assert new.keywords["ESP-SO-00328"].status is Status.ACTIVE  # the tie changes nothing
    assert example_proposal.notes == {("keywords", "ESP-SO-00314"): [X1_NOTE]}
    draft = proposed_baseline(espir, example_proposal, "2027.1")
    assert (draft.version, draft.cases) == ("2027.1", espir.cases)


# -- votes on hand-made results -------------------------------------------------------------

R3 = ("r1", "r2", "r3")


def _small_baseline() -> Baseline:
    route = ValueList(
        id=ValueListId("VL-1"),
        name="Administreringsväg",
        values=(Value(code="po", display="Peroral"), Value(code="iv", display="Intravenös")),
    )
    kws = [
        Keyword(id=KeywordId("K-BP"), name="Blodtryck", type=KeywordType.NUMERIC, unit="mmHg"),
        Keyword(id=KeywordId("K-ANA"), name="Anamnes", type=KeywordType.TEXT),
        Keyword(id=KeywordId("K-COPY"), name="Kopia till", type=KeywordType.TEXT),
        Keyword(id=KeywordId("K-PLAN"), name="Planering", type=KeywordType.TEXT),
        Keyword(
            id=KeywordId("K-ROUTE"),
            name="Administreringsväg",
            type=KeywordType.FIX_VALUE,
            value_list=route.id,
        ),
    ]
    t1 = Template(
        id=TemplateId("T-1"),
        name="Mottagningsanteckning",
        items=tuple(
            Item(keyword=KeywordId(k)) for k in ("K-ANA", "K-BP", "K-COPY", "K-PLAN", "K-ROUTE")
        ),
    )
    t2 = Template(
        id=TemplateId("T-2"),
        name="Remiss",
        items=(Item(keyword=KeywordId("K-ANA")), Item(keyword=KeywordId("K-COPY"))),
    )
    term = Term(system="icd-10-se", code="I64", displays={"sv": "Stroke"})
    export = Export(
        region="small",
        terms={term.key: term},
        value_lists={route.id: route},
        keywords={k.id: k for k in kws},
        templates={t1.id: t1, t2.id: t2},
    )
    return Baseline(
        id="small",
        name="Small",
        version="1",
        export=export,
        cases=(
            Case(id=CaseId("c1"), name="C1", templates=(t1.id, t2.id)),
            Case(id=CaseId("c2"), name="C2", templates=(t2.id,)),
        ),
    )


SMALL = _small_baseline()


def _result(
    devs: list[Deviation], regions: tuple[str, ...] = R3, not_compared: tuple[str, ...] = ()
) -> Result:
    infos = tuple(
        RegionInfo(
            id=r,
            name=None,
            source=r,
            compared=r not in not_compared,
            error="unreadable" if r in not_compared else None,
        )
        for r in regions
    )
    return Result(
        baseline_id="small",
        baseline_name="Small",
        baseline_version="1",
        baseline_source="small",
        baseline_digest="",
        cases=(("c1", "C1"), ("c2", "C2")),
        regions=infos,
        deviations=tuple(as_finding(d) for d in devs),
        scores={},
    )


def _dev(
    region: str,
    kind: Kind,
    entity: Entity,
    bid: str | None,
    *,
    local: str | None = None,
    path: str | None = None,
    **kw: Any,
) -> Deviation:
    return Deviation(
        region=region,
        kind=kind,
        entity=entity,
        baseline_id=bid,
        local_id=local,
        path=path or bid or local,
        **kw,
    )


def _unit(region: str, actual: str | None) -> Deviation:
    return _dev(
        region,
        Kind.UNIT_CHANGED,
        Entity.KEYWORD,
        "K-BP",
        local=f"{region}-BP",
        path=f"{region}-T1/{region}-BP",
        expected="mmHg",
        actual=actual,
    )


def _missing_item(region: str, keyword: str, template: str) -> Deviation:
    return _dev(
        region,
        Kind.MISSING,
        Entity.KEYWORD,
        keyword,
        path=f"{template}/{keyword}",
        template=template,
        expected=SMALL.export.keywords[keyword].name,
    )


def _missing_template(region: str, template: str) -> Deviation:
    return _dev(
        region,
        Kind.MISSING,
        Entity.TEMPLATE,
        template,
        template=template,
        expected=SMALL.export.templates[template].name,
    )


def _assert_only_keywords_changed(prop: Proposal, *changed: str) -> None:
    base, new = SMALL.export, prop.export
    for section in ("terms", "value_lists", "templates"):
        assert getattr(new, section) == getattr(base, section), section
    assert [k for k in base.keywords if new.keywords[k] != base.keywords[k]] == list(changed)


def test_unit_change_by_two_of_three_goes_into_the_draft() -> None:
    prop = propose(SMALL, _result([_unit("r1", "mm[Hg]"), _unit("r3", "mm[Hg]")]))
    assert prop.votes == [
        Vote(
            entity="keyword",
            baseline_id="K-BP",
            kind="unit_changed",
            field=None,
            template=None,
            baseline_value="mmHg",
            votes={"r1": "mm[Hg]", "r2": "mmHg", "r3": "mm[Hg]"},
            outcome="change",
            value="mm[Hg]",
        )
    ]
    assert prop.export.keywords["K-BP"].unit == "mm[Hg]"
    _assert_only_keywords_changed(prop, "K-BP")
    assert prop.notes == {
        ("keywords", "K-BP"): ["proposed: unit_changed 'mmHg' -> 'mm[Hg]' (r1, r3: 2 of 3 regions)"]
    }


def test_change_by_one_of_three_is_no_vote() -> None:
    prop = propose(SMALL, _result([_unit("r2", "mm[Hg]")]))
    assert prop.votes == []
    assert prop.export == SMALL.export
    assert prop.notes == {}


def test_majority_for_no_unit_removes_the_unit() -> None:
    prop = propose(SMALL, _result([_unit("r1", None), _unit("r2", None)]))
    assert [(v.outcome, v.value) for v in prop.votes] == [("change", None)]
    assert prop.export.keywords["K-BP"].unit is None


def test_three_different_names_are_a_tie() -> None:
    devs = [
        _dev(
            r,
            Kind.RENAMED,
            Entity.KEYWORD,
            "K-ANA",
            local=f"{r}-ANA",
            expected="Anamnes",
            actual=name,
        )
        for r, name in (("r1", "Sjukhistoria"), ("r2", "Anamnes, aktuell"))
    ]
    prop = propose(SMALL, _result(devs))
    assert prop.votes == [
        Vote(
            entity="keyword",
            baseline_id="K-ANA",
            kind="renamed",
            field=None,
            template=None,
            baseline_value="Anamnes",
            votes={"r1": "Sjukhistoria", "r2": "Anamnes, aktuell", "r3": "Anamnes"},
            outcome="tie",
            value=None,
        )
    ]
    assert prop.counts() == {"change": 0, "tie": 1, "listed": 0, "additions": 0}
    assert prop.export == SMALL.export


def test_region_not_compared_does_not_vote() -> None:
    # r1 vs r2 is 1-1 once r3 (not compared) is left out: a tie, not a change
    prop = propose(
        SMALL, _result([_unit("r1", "mm[Hg]"), _unit("r3", "mm[Hg]")], not_compared=("r3",))
    )
    assert [(v.outcome, v.votes) for v in prop.votes] == [("tie", {"r1": "mm[Hg]", "r2": "mmHg"})]
    assert prop.export == SMALL.export


def test_keyword_missing_in_two_of_three_is_dropped_from_that_template_only() -> None:
    prop = propose(
        SMALL, _result([_missing_item("r1", "K-COPY", "T-1"), _missing_item("r2", "K-COPY", "T-1")])
    )
    assert prop.votes == [
        Vote(
            entity="keyword",
            baseline_id="K-COPY",
            kind="missing",
            field=None,
            template="T-1",
            baseline_value="present",
            votes={"r1": "absent", "r2": "absent", "r3": "present"},
            outcome="change",
            value="absent",
        )
    ]
    t1, t2 = prop.export.templates["T-1"], prop.export.templates["T-2"]
    assert [i.keyword for i in t1.items] == ["K-ANA", "K-BP", "K-PLAN", "K-ROUTE"]
    assert t2 == SMALL.export.templates["T-2"]
    assert prop.export.keywords == SMALL.export.keywords  # still defined, used by T-2
    assert prop.notes == {
        ("templates", "T-1"): [
            "proposed: missing 'present' -> 'absent' (r1, r2: 2 of 3 regions) (item K-COPY)"
        ]
    }


def test_keyword_missing_in_one_of_three_stays() -> None:
    prop = propose(SMALL, _result([_missing_item("r3", "K-COPY", "T-1")]))
    assert prop.votes == []
    assert prop.export.templates == SMALL.export.templates


def test_mandatory_by_majority_changes_that_template_only() -> None:
    devs = [
        _dev(
            r,
            Kind.MANDATORY_CHANGED,
            Entity.KEYWORD,
            "K-ANA",
            local=f"{r}-ANA",
            path=f"{r}-T1/{r}-ANA",
            template="T-1",
            field="mandatory",
            expected="false",
            actual="true",
        )
        for r in ("r2", "r3")
    ]
    prop = propose(SMALL, _result(devs))
    assert [(v.outcome, v.template, v.value) for v in prop.votes] == [("change", "T-1", "true")]
    assert [i.mandatory for i in prop.export.templates["T-1"].items] == [
        True,
        False,
        False,
        False,
        False,
    ]
    assert prop.export.templates["T-2"] == SMALL.export.templates["T-2"]


def test_template_missing_everywhere_is_removed_from_the_cases(tmp_path: Path) -> None:
    prop = propose(SMALL, _result([_missing_template(r, "T-2") for r in R3]))
    assert [(v.entity, v.baseline_id, v.outcome, v.votes) for v in prop.votes] == [
        ("template", "T-2", "change", dict.fromkeys(R3, "absent"))
    ]
    assert prop.templates_removed == ["T-2"]
    assert list(prop.export.templates) == ["T-1"]
    draft = proposed_baseline(SMALL, prop, "2")
    assert [(c.id, c.templates) for c in draft.cases] == [("c1", ("T-1",)), ("c2", ())]
    assert draft.version == "2"
    # the draft, comments and an emptied case included, is a readable baseline
    _assert_same_model(_write_and_load(draft, tmp_path, notes=prop.notes), draft)


def test_template_missing_in_one_region_stays() -> None:
    prop = propose(SMALL, _result([_missing_template("r1", "T-2")]))
    assert (prop.votes, prop.templates_removed) == ([], [])
    assert proposed_baseline(SMALL, prop, "2").cases == SMALL.cases


def _extra_value(region: str, local_list: str, code: str, display: str) -> Deviation:
    return _dev(
        region,
        Kind.EXTRA,
        Entity.VALUE,
        None,
        local=f"{local_list}#{code}",
        actual=display,
        units=(("valuelist", "VL-1"),),
    )


def test_extra_value_shared_by_a_majority_is_appended() -> None:
    prop = propose(
        SMALL,
        _result(
            [
                _extra_value("r3", "R3-VL-7", "sond", "Via sond"),
                _extra_value("r1", "R1-VL-2", "sond", "via  sond"),
                _extra_value("r2", "R2-VL-9", "rekt", "Rektal"),
            ]
        ),
    )
    assert prop.additions == [
        {
            "entity": "value",
            "name": "via  sond",
            "in": "VL-1",
            "regions": {"r1": "R1-VL-2#sond", "r3": "R3-VL-7#sond"},
            "applied": True,
        }
    ]
    assert prop.export.value_lists["VL-1"].values == (
        *SMALL.export.value_lists["VL-1"].values,
        Value(code="sond", display="via  sond"),
    )
    assert prop.notes == {
        ("valueLists", "VL-1"): ["proposed: value 'sond' 'via  sond' added (r1, r3 have it)"]
    }
    assert prop.counts() == {"change": 0, "tie": 0, "listed": 0, "additions": 1}


def test_extra_keyword_shared_by_a_majority_is_listed_not_placed() -> None:
    devs = [
        _dev(
            r,
            Kind.EXTRA,
            Entity.KEYWORD,
            None,
            local=f"{r}-TOLK",
            path=f"{r}-T1/{r}-TOLK",
            template="T-1",
            actual="Tolk, språk",
        )
        for r in ("r1", "r2")
    ]
    prop = propose(SMALL, _result(devs))
    assert prop.additions == [
        {
            "entity": "keyword",
            "name": "Tolk, språk",
            "in": "T-1",
            "regions": {"r1": "r1-TOLK", "r2": "r2-TOLK"},
        }
    ]
    assert prop.export == SMALL.export


def test_order_changed_everywhere_is_listed_never_applied() -> None:
    devs = [
        _dev(
            r,
            Kind.ORDER_CHANGED,
            Entity.KEYWORD,
            "K-PLAN",
            local=f"{r}-PLAN",
            path=f"{r}-T1/{r}-PLAN",
            template="T-1",
            expected="4",
            actual="1",
        )
        for r in R3
    ]
    prop = propose(SMALL, _result(devs))
    assert prop.votes == [
        Vote(
            entity="keyword",
            baseline_id="K-PLAN",
            kind="order_changed",
            field=None,
            template="T-1",
            baseline_value="4",
            votes=dict.fromkeys(R3, "1"),
            outcome="listed",
            value=None,
        )
    ]
    assert prop.counts() == {"change": 0, "tie": 0, "listed": 1, "additions": 0}
    assert prop.export == SMALL.export
    assert prop.notes == {}


def _status(region: str, entity: Entity, bid: str, actual: str) -> Deviation:
    return _dev(
        region, Kind.STATUS_CHANGED, entity, bid, local=bid, expected="active", actual=actual
    )


APPLIED_CASES = {
    "keyword-unit": [_unit("r1", "mm[Hg]"), _unit("r2", "mm[Hg]")],
    "keyword-status": [_status(r, Entity.KEYWORD, "K-COPY", "inactive") for r in R3],
    "template-status": [_status(r, Entity.TEMPLATE, "T-2", "inactive") for r in R3[:2]],
    "item-missing": [_missing_item(r, "K-COPY", "T-2") for r in R3[1:]],
    "template-missing": [_missing_template(r, "T-2") for r in R3[1:]],
    "value-renamed": [
        _dev(
            r,
            Kind.RENAMED,
            Entity.VALUE,
            "VL-1#po",
            local=f"{r}#po",
            expected="Peroral",
            actual="Via munnen",
        )
        for r in R3[:2]
    ],
    "value-missing": [
        _dev(r, Kind.MISSING, Entity.VALUE, "VL-1#iv", expected="Intravenös") for r in R3[:2]
    ],
    "term-renamed": [
        _dev(
            r,
            Kind.RENAMED,
            Entity.TERM,
            "icd-10-se:I64",
            local="icd-10-se:I64",
            expected="Stroke",
            actual="Slaganfall",
        )
        for r in R3[:2]
    ],
}
NOT_APPLIED_CASES = {
    "term-status": [_status(r, Entity.TERM, "icd-10-se:I64", "retired") for r in R3[:2]],
    "term-missing": [
        _dev(r, Kind.MISSING, Entity.TERM, "icd-10-se:I64", expected="Stroke") for r in R3[:2]
    ],
    "valuelist-missing": [
        _dev(r, Kind.MISSING, Entity.VALUELIST, "VL-1", expected="Administreringsväg")
        for r in R3[:2]
    ],
}


def _assert_change_votes_take_effect(devs: list[Deviation]) -> Proposal:
    """Assert that a vote counted (and shown) as a 'change' is in the draft, with provenance."""
    prop = propose(SMALL, _result(devs))
    if any(v.outcome == "change" for v in prop.votes):
        draft = proposed_baseline(SMALL, prop, "2")
        assert (draft.export, draft.cases) != (SMALL.export, SMALL.cases)
        assert prop.notes or prop.templates_removed
    return prop


@pytest.mark.parametrize("devs", APPLIED_CASES.values(), ids=APPLIED_CASES.keys())
def test_every_change_vote_changes_the_draft(devs: list[Deviation]) -> None:
    prop = _assert_change_votes_take_effect(devs)
    assert [v.outcome for v in prop.votes] == ["change"]


@pytest.mark.parametrize("devs", NOT_APPLIED_CASES.values(), ids=NOT_APPLIED_CASES.keys())
def test_change_votes_propose_cannot_apply(devs: list[Deviation]) -> None:
    _assert_change_votes_take_effect(devs)


def test_region_missing_a_keyword_in_one_template_still_votes_on_it() -> None:
    # r3 lacks K-COPY in T-1 but has it, unchanged, in T-2: r2 and r3 follow the baseline
    devs = [
        _status("r1", Entity.KEYWORD, "K-COPY", "inactive"),
        _missing_item("r3", "K-COPY", "T-1"),
    ]
    votes = collect_votes(_result(devs))
    assert [(v.kind, v.outcome) for v in votes] == []  # today: status_changed is a 'tie'


# -- cosmicdiff baseline propose ------------------------------------------------------------


def test_propose_writes_the_draft_folder(draft: tuple[CliResult, Path]) -> None:
    r, out = draft
    assert r.code == 0, r.stderr
    assert {p.name for p in out.iterdir()} == DRAFT_FILES
    lines = r.stdout.splitlines()
    assert lines[0] == (
        "Draft espir 2026.1-proposal from jonkoping, kalmar, ostergotland: "
        "1 change(s), 1 tie(s) to decide, 0 structural difference(s) listed, "
        "0 addition(s) shared by a majority."
    )
    assert lines[1].startswith(
        "  CHANGE keyword ESP-SO-00314 renamed: 'Trombektomi utförd' -> 'Trombektomi genomförd'"
    )
    assert lines[2] == (
        "  TIE    keyword ESP-SO-00328 status_changed: baseline 'active'  "
        "(jonkoping: inactive; kalmar: active)"
    )
    assert lines[-1] == f"wrote {out}/baseline.yaml, model.yaml, PROPOSAL.md"
    assert len(lines) == 4


def test_propose_model_carries_header_and_provenance(draft: tuple[CliResult, Path]) -> None:
    text = (draft[1] / "model.yaml").read_text("utf-8")
    lines = text.splitlines()
    assert lines[0] == (
        "# Draft of eSPiR gemensam grundkonfiguration 2026.1-proposal, "
        "proposed by cosmicdiff from the consensus of jonkoping, kalmar, "
        "ostergotland"
    )
    assert lines[1].startswith(f"# on {TODAY}; base: espir 2026.1.")
    i = lines.index("  - id: ESP-SO-00314")
    assert lines[i - 1 : i + 2] == [
        f"  # {X1_NOTE}",
        "  - id: ESP-SO-00314",
        "    name: Trombektomi genomförd",
    ]
    assert [line for line in lines if "proposed:" in line and line.startswith("  #")] == [
        f"  # {X1_NOTE}"
    ]


def test_propose_draft_loads_as_the_proposed_baseline(
    draft: tuple[CliResult, Path], espir: Baseline, example_proposal: Proposal
) -> None:
    read = load_baseline(draft[1])
    assert (read.id, read.name, read.version) == (espir.id, espir.name, "2026.1-proposal")
    for section in SECTIONS:
        assert getattr(read.export, section) == getattr(example_proposal.export, section)
    assert read.cases == espir.cases
    for name in ("rules.yaml", "waivers.yaml"):  # copied as they are
        assert (draft[1] / name).read_bytes() == (ESPIR / name).read_bytes()
    v = run_cli("validate", draft[1])
    assert v.code == 0, v.stderr
    assert v.stdout.startswith("ok: ")
    assert v.stdout.rstrip().endswith(
        ": baseline espir 2026.1-proposal: 36 terms, 23 value lists, 145 keywords, 15 templates"
    )


def test_propose_md_holds_every_vote(
    draft: tuple[CliResult, Path], example_proposal: Proposal
) -> None:
    text = (draft[1] / "PROPOSAL.md").read_text("utf-8")
    assert text.startswith("# Proposal: eSPiR gemensam grundkonfiguration 2026.1-proposal\n")
    block = re.search(r"```yaml\n(.*?)\n```", text, re.DOTALL)
    assert block is not None
    doc = yaml.safe_load(block.group(1))
    assert doc["schema"] == "cosmicdiff/baseline-proposal/1"
    assert doc["counts"] == {"change": 1, "tie": 1, "listed": 0, "additions": 0}
    assert doc["votes"] == [v.to_json() for v in example_proposal.votes]


def test_propose_again_without_force_is_refused(draft: tuple[CliResult, Path]) -> None:
    out = draft[1]
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    r = run_cli("baseline", "propose", "-b", ESPIR, *REGIONS, "-o", out, "--today", TODAY)
    assert r.code == 2
    assert _one_line(r.stderr) == f"{out}: folder exists and is not empty; use --force"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_propose_force_writes_into_a_folder_with_other_files(
    forced_draft: tuple[CliResult, Path],
) -> None:
    r, out = forced_draft
    assert r.code == 0, r.stderr
    assert {p.name for p in out.iterdir()} == DRAFT_FILES | {"README.md"}
    assert (out / "README.md").read_text("utf-8") == "workshop notes\n"


def test_propose_is_deterministic(
    draft: tuple[CliResult, Path], forced_draft: tuple[CliResult, Path]
) -> None:
    for name in sorted(DRAFT_FILES):
        assert (draft[1] / name).read_bytes() == (forced_draft[1] / name).read_bytes(), name


def test_propose_json_summary() -> None:
    r = run_cli("baseline", "propose", "-b", ESPIR, *REGIONS, "--today", TODAY, "--format", "json")
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["counts"] == {"change": 1, "tie": 1, "listed": 0, "additions": 0}
    assert doc["baseline"] == {"id": "espir", "version": "2026.1"}
    assert doc["draft_version"] == "2026.1-proposal"
    assert doc["regions"] == REGION_IDS
    assert (doc["templates_removed"], doc["additions"]) == ([], [])
    assert [v["outcome"] for v in doc["votes"]].count("change") == 1


def test_propose_version_option_names_the_draft(tmp_path: Path) -> None:
    r = run_cli(
        "baseline",
        "propose",
        "-b",
        ESPIR,
        REGIONS[0],
        "-o",
        tmp_path / "d",
        "--version",
        "2027.1",
        "--today",
        TODAY,
        "--format",
        "json",
    )
    assert r.code == 0, r.stderr
    # one region alone is a majority of one: each of its attribute changes is applied
    assert json.loads(r.stdout)["draft_version"] == "2027.1"
    assert load_baseline(tmp_path / "d").version == "2027.1"


def test_propose_with_a_bad_region_path_is_an_input_error(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-region"
    r = run_cli(
        "baseline",
        "propose",
        "-b",
        ESPIR,
        REGIONS[0],
        missing,
        "-o",
        tmp_path / "out",
        "--today",
        TODAY,
    )
    assert r.code == 2
    assert "no such file or folder" in _one_line(r.stderr)
    assert not (tmp_path / "out").exists()


def test_propose_with_an_unknown_format_is_a_usage_error() -> None:
    r = run_cli("baseline", "propose", "-b", ESPIR, REGIONS[0], "--format", "xml")
    assert (r.code, r.stderr.strip()) == (2, "--format 'xml': use text or json")


# -- cosmicdiff baseline diff ---------------------------------------------------------------


def test_diff_has_one_change_that_helps_every_region(diff_doc: dict[str, Any]) -> None:
    assert diff_doc["schema"] == "cosmicdiff/baseline-diff/1"
    assert (diff_doc["old"], diff_doc["new"]) == (
        {"id": "espir", "version": "2026.1"},
        {"id": "espir", "version": "2026.1-proposal"},
    )
    assert diff_doc["changes"] == [
        {
            "kind": "renamed",
            "entity": "keyword",
            "old_id": "ESP-SO-00314",
            "new_id": "ESP-SO-00314",
            "field": None,
            "old": "Trombektomi utförd",
            "new": "Trombektomi genomförd",
            "helps": REGION_IDS,
            "hurts": [],
        }
    ]


def test_diff_scores_rise_in_referrals_and_stay_elsewhere(diff_doc: dict[str, Any]) -> None:
    assert diff_doc["scores"] == {
        "jonkoping": {
            "psychiatry": {"old": 0.9493, "new": 0.9493},
            "drugs": {"old": 0.954, "new": 0.954},
            "referrals": {"old": 0.9351, "new": 0.9416},
        },
        "kalmar": {
            "psychiatry": {"old": 0.9348, "new": 0.9348},
            "drugs": {"old": 0.9425, "new": 0.9425},
            "referrals": {"old": 0.9545, "new": 0.961},
        },
        "ostergotland": {
            "psychiatry": {"old": 0.9855, "new": 0.9855},
            "drugs": {"old": 0.8851, "new": 0.8851},
            "referrals": {"old": 0.9416, "new": 0.9481},
        },
    }
    for per_case in diff_doc["scores"].values():
        assert per_case["referrals"]["new"] > per_case["referrals"]["old"]
        assert all(s["new"] >= s["old"] for s in per_case.values())


def test_diff_text(draft: tuple[CliResult, Path]) -> None:
    r = run_cli("baseline", "diff", ESPIR, draft[1], *REGIONS, "--today", TODAY)
    assert r.code == 0, r.stderr
    assert r.stdout.splitlines() == [
        "espir 2026.1 -> espir 2026.1-proposal: 1 change(s)",
        "  keyword ESP-SO-00314 renamed: 'Trombektomi utförd' -> 'Trombektomi genomförd'  "
        "helps jonkoping, kalmar, ostergotland",
        "  jonkoping: psychiatry 95% -> 95%, drugs 95% -> 95%, referrals 94% -> 94%",
        "  kalmar: psychiatry 93% -> 93%, drugs 94% -> 94%, referrals 95% -> 96%",
        "  ostergotland: psychiatry 99% -> 99%, drugs 89% -> 89%, referrals 94% -> 95%",
    ]


def test_diff_back_to_the_old_version_hurts_every_region(
    draft: tuple[CliResult, Path], diff_doc: dict[str, Any]
) -> None:
    r = run_cli("baseline", "diff", draft[1], ESPIR, *REGIONS, "--today", TODAY, "--format", "json")
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [(c["old"], c["new"], c["helps"], c["hurts"]) for c in doc["changes"]] == [
        ("Trombektomi genomförd", "Trombektomi utförd", [], REGION_IDS)
    ]
    assert doc["scores"] == {
        rid: {case: {"old": s["new"], "new": s["old"]} for case, s in cases.items()}
        for rid, cases in diff_doc["scores"].items()
    }


def test_diff_of_a_baseline_with_itself_is_empty() -> None:
    r = run_cli("baseline", "diff", ESPIR, ESPIR, *REGIONS, "--today", TODAY, "--format", "json")
    assert r.code == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["changes"] == []
    assert sorted(doc["scores"]) == REGION_IDS
    assert all(s["old"] == s["new"] for cases in doc["scores"].values() for s in cases.values())
    text = run_cli("baseline", "diff", ESPIR, ESPIR)
    assert (text.code, text.stdout) == (0, "espir 2026.1 -> espir 2026.1: 0 change(s)\n")
