"""The YAML files: region.yaml, mapping.yaml, baseline.yaml and the YAML form of the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosmicdiff.errors import CosmicdiffError
from cosmicdiff.model import (
    Binding,
    Case,
    Item,
    Keyword,
    KeywordType,
    SourceLocation,
    Status,
    Template,
    Term,
    Value,
    ValueList,
)
from cosmicdiff.parsers import load_baseline
from cosmicdiff.parsers.cosmic.folder_yaml import (
    RegionInfo,
    read_baseline_yaml,
    read_mapping_yaml,
    read_region_yaml,
)
from parsers.helpers import BASELINES, BROKEN, FIXTURES, load, load_error, write


def _error(fn: object, path: Path) -> list[str]:
    with pytest.raises(CosmicdiffError) as info:
        fn(path, path.name)  # type: ignore[operator]
    return info.value.lines()


# --- region.yaml -------------------------------------------------------------------------


def test_region_yaml_is_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "region.yaml",
        "id: jonkoping\nname: Region Jönköpings län\ncosmicVersion: R8.1\n"
        'exported: "2026-10-01T08:00:00+02:00"\n',
    )
    assert read_region_yaml(path, "region.yaml") == RegionInfo(
        id="jonkoping",
        name="Region Jönköpings län",
        cosmic_version="R8.1",
        exported="2026-10-01T08:00:00+02:00",
        loc=SourceLocation(path="region.yaml", line=1),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name: Region Kalmar län\n", ["region.yaml:1: region.yaml needs 'id'"]),
        (
            "id: kalmar\nlän: Kalmar\n",
            [
                "region.yaml:2: unknown key 'län' in region.yaml; allowed: cosmicVersion, "
                "exported, id, "
                "name"
            ],
        ),
        (
            "id: kalmar\nid: jonkoping\n",
            ["region.yaml:2: invalid YAML: duplicate key 'id' (first on line 1)"],
        ),
        pytest.param(
            "id: [kalmar]\n", ["region.yaml:1: 'id' must be text, not a list"], id="id-not-text"
        ),
        (
            "- kalmar\n",
            [
                "region.yaml:1: region.yaml must be a mapping of keys to values; the "
                "file holds a list of 1 entry (is it the right file?)"
            ],
        ),
    ],
    ids=["missing-id", "unknown-key", "duplicate-key", "id-not-text", "not-a-mapping"],
)
def test_region_yaml_problems(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert _error(read_region_yaml, write(tmp_path, "region.yaml", text)) == expected


# --- mapping.yaml ------------------------------------------------------------------------


def test_mapping_yaml_is_read_with_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "mapping.yaml",
        "keywords:\n  RKL-SO-20881: ESP-SO-00412\n  RKL-SO-1: ESP-SO-00001\n"
        "templates:\n  RKL-JM-77: ESP-JM-PSY-001\nvalueLists:\n  RKL-VL-9: ESP-VL-0003\n",
    )
    m = read_mapping_yaml(path, "mapping.yaml")
    assert (dict(m.keywords), dict(m.templates), dict(m.value_lists)) == (
        {"RKL-SO-20881": "ESP-SO-00412", "RKL-SO-1": "ESP-SO-00001"},
        {"RKL-JM-77": "ESP-JM-PSY-001"},
        {"RKL-VL-9": "ESP-VL-0003"},
    )
    assert dict(m.lines) == {
        ("keywords", "RKL-SO-20881"): 2,
        ("keywords", "RKL-SO-1"): 3,
        ("templates", "RKL-JM-77"): 5,
        ("valueLists", "RKL-VL-9"): 7,
    }
    assert m.path == "mapping.yaml"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "keywords:\n  RKL-SO-1: ESP-SO-1\n  RKL-SO-1: ESP-SO-2\n",
            ["mapping.yaml:3: invalid YAML: duplicate key 'RKL-SO-1' (first on line 2)"],
        ),
        (
            "keywords:\n  RKL-SO-1: ESP-SO-1\nkeywords:\n  RKL-SO-2: ESP-SO-2\n",
            ["mapping.yaml:3: invalid YAML: duplicate key 'keywords' (first on line 1)"],
        ),
        (
            "keywords:\n  RKL-SO-1: ESP-SO-1\n  RKL-SO-2: ESP-SO-1\n",
            [
                "mapping.yaml:3: keywords: 'RKL-SO-2' and 'RKL-SO-1' both map to 'ESP-SO-1'; a "
                "baseline "
                "item has one counterpart"
            ],
        ),
        (
            "sokord:\n  RKL-SO-1: ESP-SO-1\n",
            [
                "mapping.yaml:1: unknown key 'sokord' in mapping.yaml; allowed: keywords, "
                "templates, "
                "valueLists"
            ],
        ),
        (
            "templates:\n  RKL-JM-1:\n",
            ["mapping.yaml:2: templates: 'RKL-JM-1' must map to a baseline id"],
        ),
        (
            "valueLists: [RKL-VL-1, ESP-VL-1]\n",
            ["mapping.yaml:1: 'valueLists' must map local ids to baseline ids"],
        ),
    ],
    ids=[
        "duplicate-local-id",
        "duplicate-section",
        "two-locals-one-baseline-id",
        "unknown-section",
        "no-target",
        "section-not-a-mapping",
    ],
)
def test_mapping_yaml_problems(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert _error(read_mapping_yaml, write(tmp_path, "mapping.yaml", text)) == expected


def test_same_local_id_in_two_sections_is_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, "mapping.yaml", "keywords: {X-1: B-1}\nvalueLists: {X-1: B-1}\n")
    m = read_mapping_yaml(path, "mapping.yaml")
    assert (dict(m.keywords), dict(m.value_lists)) == ({"X-1": "B-1"}, {"X-1": "B-1"})


# --- baseline.yaml -----------------------------------------------------------------------


def test_mini_baseline_is_read() -> None:
    baseline = load_baseline(BASELINES / "mini", BASELINES)
    assert (baseline.id, baseline.name, baseline.version) == (
        "mini",
        "Minibaslinje för tester",
        "1.0",
    )
    assert baseline.cases == (
        Case(id="psychiatry", name="Beslutsstöd för psykiatrin", templates=("B-JM-1",)),
        Case(id="drugs", name="Läkemedel", templates=("B-JM-2",)),
    )
    assert [str(c.loc) for c in baseline.cases] == ["mini/baseline.yaml:5", "mini/baseline.yaml:6"]
    assert sorted(baseline.export.templates) == ["B-JM-1", "B-JM-2"]
    assert baseline.digest.startswith("sha256:")


def test_case_listing_an_undefined_template_is_an_error_naming_the_case(tmp_path: Path) -> None:
    write(
        tmp_path,
        "b/baseline.yaml",
        'id: b\nname: B\nversion: "1"\ncases:\n  psychiatry: {name: P, templates: [T-1]}\n'
        "  drugs: {name: L, templates: [T-1, T-404]}\n",
    )
    write(tmp_path, "b/model.yaml", "templates:\n  - {id: T-1, name: Mall}\n")
    with pytest.raises(CosmicdiffError) as info:
        load_baseline(tmp_path / "b", tmp_path)
    assert info.value.lines() == [
        "b/baseline.yaml:6: case 'drugs' lists template 'T-404', which the baseline does not define"
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'id: b\nname: B\nversion: "1"\n',
            [
                "baseline.yaml:1: baseline.yaml needs 'cases': a mapping of case id to "
                "{name, templates}"
            ],
        ),
        (
            'id: b\nname: B\nversion: "1"\ncases:\n  p: {templates: [T]}\n',
            ["baseline.yaml:5: case 'p' needs 'name'"],
        ),
        (
            "id: b\nname: B\ncases:\n  p: {name: P, templates: [T], owner: x}\n",
            [
                "baseline.yaml:4: unknown key 'owner' in case 'p'; allowed: description, name, "
                "templates",
                "baseline.yaml:1: baseline.yaml needs 'version'",
            ],
        ),
    ],
    ids=["no-cases", "case-without-name", "unknown-case-key-and-no-version"],
)
def test_baseline_yaml_problems(tmp_path: Path, text: str, expected: list[str]) -> None:
    assert _error(read_baseline_yaml, write(tmp_path, "baseline.yaml", text)) == expected


# --- the YAML form of the model ----------------------------------------------------------

MODEL = """\
terms:
  - system: icd-10-se
    code: F32
    display: {sv: Depressiv episod, en: Depressive episode}
  - {system: kva, code: AU118, display: Strukturerad suicidriskbedömning, status: retired}
valueLists:
  - id: VL-1
    name: Suicidrisk
    values:
      - code: "1"
        display: Låg risk
      - code: N
        display: no
        bindings: [{system: snomed-ct, code: "1000001"}]
keywords:
  - id: SO-1
    name: Aktuellt
    type: Text
    description: Aktuell problematik och kontaktorsak
  - id: SO-2
    name: Suicidriskbedömning
    type: FixValue
    valueList: VL-1
    bindings: [{system: kva, code: AU118}]
    status: inactive
    hiddenFrom1177: true
  - {id: SO-3, name: Systoliskt blodtryck, type: Numeric, unit: "mm[Hg]", hiddenFrom1177: false}
templates:
  - id: JM-1
    name: Psykiatrisk bedömning
    version: "3"
    noteType: utr
    cases: [psychiatry, drugs]
    status: active
    items:
      - keyword: SO-1
        mandatory: true
      - keyword: SO-3
        repeatable: true
        items:
          - {keyword: SO-2, mandatory: true}
  - {id: JM-2, name: Tom mall, cases: psychiatry drugs}
"""


def test_yaml_model_form_reads_into_the_model(tmp_path: Path) -> None:
    export = load(write(tmp_path, "model.yaml", MODEL), tmp_path)
    assert dict(export.terms) == {
        "icd-10-se:F32": Term(
            system="icd-10-se",
            code="F32",
            displays={"sv": "Depressiv episod", "en": "Depressive episode"},
        ),
        "kva:AU118": Term(
            system="kva",
            code="AU118",
            status=Status.RETIRED,
            displays={"sv": "Strukturerad suicidriskbedömning"},
        ),
    }
    assert dict(export.value_lists) == {
        "VL-1": ValueList(
            id="VL-1",
            name="Suicidrisk",
            values=(
                Value(code="1", display="Låg risk"),
                Value(
                    code="N", display="no", bindings=(Binding(system="snomed-ct", code="1000001"),)
                ),
            ),
        )
    }
    assert dict(export.keywords) == {
        "SO-1": Keyword(
            id="SO-1",
            name="Aktuellt",
            type=KeywordType.TEXT,
            description="Aktuell problematik och kontaktorsak",
        ),
        "SO-2": Keyword(
            id="SO-2",
            name="Suicidriskbedömning",
            type=KeywordType.FIX_VALUE,
            value_list="VL-1",
            bindings=(Binding(system="kva", code="AU118"),),
            status=Status.INACTIVE,
            hidden_from_1177=True,
        ),
        "SO-3": Keyword(
            id="SO-3", name="Systoliskt blodtryck", type=KeywordType.NUMERIC, unit="mm[Hg]"
        ),
    }
    assert dict(export.templates) == {
        "JM-1": Template(
            id="JM-1",
            name="Psykiatrisk bedömning",
            version="3",
            note_type="utr",
            cases=("psychiatry", "drugs"),
            items=(
                Item(keyword="SO-1", mandatory=True),
                Item(
                    keyword="SO-3",
                    repeatable=True,
                    children=(Item(keyword="SO-2", mandatory=True),),
                ),
            ),
        ),
        "JM-2": Template(id="JM-2", name="Tom mall", cases=("psychiatry", "drugs")),
    }


def test_yaml_model_form_records_carry_lines(tmp_path: Path) -> None:
    export = load(write(tmp_path, "model.yaml", MODEL), tmp_path)
    locs = (
        [str(t.loc) for t in export.terms.values()]
        + [str(v.loc) for v in export.value_lists["VL-1"].values]
        + [str(k.loc) for k in export.keywords.values()]
        + [str(t.loc) for t in export.templates.values()]
        + [str(i.loc) for _, i in export.templates["JM-1"].walk()]
    )
    assert locs == [f"model.yaml:{n}" for n in (2, 5, 10, 12, 16, 20, 27, 29, 42, 36, 38, 41)]


@pytest.mark.parametrize(
    "word",
    ["N", "n", "no", "No", "NO", "yes", "Y", "on", "off", "ja", "nej"],
    ids=["N", "n", "no", "No", "NO", "yes", "Y", "on", "off", "ja", "nej"],
)
def test_yaml_1_1_booleans_stay_strings(tmp_path: Path, word: str) -> None:
    text = (
        f"valueLists:\n  - id: VL-1\n    name: {word}\n    values:\n"
        f"      - {{code: {word}, display: {word}}}\n"
    )
    vl = load(write(tmp_path, "m.yaml", text), tmp_path).value_lists["VL-1"]
    assert (vl.name, vl.values[0].code, vl.values[0].display) == (word, word, word)


@pytest.mark.parametrize(
    "word",
    ["true", "True", "TRUE", "false", "False", "FALSE"],
    ids=["true", "True", "TRUE", "false", "False", "FALSE"],
)
def test_only_true_and_false_are_booleans(tmp_path: Path, word: str) -> None:
    text = f"keywords:\n  - {{id: K1, name: a, type: Text, hiddenFrom1177: {word}}}\n"
    kw = load(write(tmp_path, "m.yaml", text), tmp_path).keywords["K1"]
    assert kw.hidden_from_1177 is (word.lower() == "true")


BROKEN_YAML = [
    (
        "yaml-anchor-alias.yaml",
        ["broken/yaml-anchor-alias.yaml:2: invalid YAML: anchors (&name) are not allowed"],
    ),
    (
        "yaml-duplicate-key.yaml",
        ["broken/yaml-duplicate-key.yaml:4: invalid YAML: duplicate key 'id' (first on line 2)"],
    ),
    (
        "yaml-unknown-key.yaml",
        [
            "broken/yaml-unknown-key.yaml:5: unknown key 'colour' in keyword; allowed: bindings, "
            "description, hiddenFrom1177, id, name, slot, status, type, unit, valueList"
        ],
    ),
    (
        "yaml-syntax-error.yaml",
        [
            "broken/yaml-syntax-error.yaml:3: invalid YAML: while parsing a block collection "
            "expected "
            "<block end>, but found '<block mapping start>'"
        ],
    ),
    (
        "yaml-python-tag.yaml",
        [
            "broken/yaml-python-tag.yaml:1: invalid YAML: explicit tags "
            "(!!python/object/apply:os.system) are not allowed"
        ],
    ),
    (
        "yaml-bad-boolean.yaml",
        ["broken/yaml-bad-boolean.yaml:5: 'hiddenFrom1177' must be true or false, not 'ja'"],
    ),
    ("yaml-not-utf8.yaml", ["broken/yaml-not-utf8.yaml:2: YAML files must be UTF-8"]),
    pytest.param(
        "yaml-item-not-mapping.yaml",
        [
            "broken/yaml-item-not-mapping.yaml:3: keyword must be a mapping of keys to values, "
            "not the text 'K2'"
        ],
        id="yaml-item-not-mapping",
    ),
]


@pytest.mark.parametrize(
    ("name", "expected"),
    BROKEN_YAML,
    ids=[p.id if hasattr(p, "id") else p[0].removesuffix(".yaml") for p in BROKEN_YAML],
)
def test_broken_yaml_is_refused_with_file_and_line(name: str, expected: list[str]) -> None:
    assert load_error(BROKEN / name, FIXTURES).lines() == expected


def test_alias_is_refused_even_without_its_anchor_in_view(tmp_path: Path) -> None:
    text = "keywords:\n  - {id: K1, name: a, type: Text}\n  - *k\n"
    assert load_error(write(tmp_path, "m.yaml", text), tmp_path).lines() == [
        "m.yaml:3: invalid YAML: aliases (*name) are not allowed"
    ]


def test_merge_key_with_anchor_is_refused(tmp_path: Path) -> None:
    text = "keywords:\n  - &base {id: K1, name: a, type: Text}\n  - {<<: *base, id: K2}\n"
    assert load_error(write(tmp_path, "m.yaml", text), tmp_path).lines() == [
        "m.yaml:2: invalid YAML: anchors (&name) are not allowed"
    ]


def test_empty_yaml_model_file_is_an_error(tmp_path: Path) -> None:
    assert load_error(write(tmp_path, "m.yaml", "# nothing\n"), tmp_path).lines() == [
        "m.yaml: file is empty; expected terms, valueLists, keywords or templates"
    ]


def test_unquoted_number_value_code_is_kept_as_written() -> None:
    # YAML 1.1 would read 010 as the octal number 8; cosmicdiff keeps numbers as text
    export = load(FIXTURES / "models" / "yaml-unquoted-numbers.yaml", FIXTURES)
    assert [v.code for v in export.value_lists["VL-1"].values] == ["1", "010"]


def test_unquoted_baseline_version_is_not_silently_changed(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "baseline.yaml",
        "id: b\nname: B\nversion: 2026.10\ncases:\n  p: {name: P, templates: []}\n",
    )
    assert read_baseline_yaml(path, "baseline.yaml").version == "2026.10"
