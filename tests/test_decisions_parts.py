"""Unit tests of the small pure pieces of the decisions package (the round trip is in
test_decisions.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import MINI_BASELINE

from cosmicdiff.errors import ConfigError
from cosmicdiff.model import Baseline
from cosmicdiff.parsers import load_baseline
from cosmicdiff.result.deviation import Deviation
from cosmicdiff.vocabulary import Entity, Kind
from cosmicdiff.workshop.decisions import DecisionsFile, Row, Spot
from cosmicdiff.workshop.decisions.check import baseline_location
from cosmicdiff.workshop.decisions.files import read_bytes, read_yaml
from cosmicdiff.workshop.decisions.template import scalar
from cosmicdiff.workshop.decisions.texts import EN, SV, texts


def _doc(rows: int = 0, filters: tuple[str, ...] = ()) -> DecisionsFile:
    row = Row(values={"id": "x"})
    return DecisionsFile(
        display="d.yaml",
        baseline_id="espir",
        baseline_version="2026.1",
        evaluated_on="",
        filters=filters,
        rows=(row,) * rows,
    )


@pytest.mark.parametrize(
    ("spot", "place", "problem"),
    [
        (Spot(file="d.yaml", line=12), "line 12", "d.yaml:12: bad (ctx)"),
        (
            Spot(file="d.xlsx", line=3, cell="Beslut!P5"),
            "Beslut!P5",
            "d.xlsx: Beslut!P5: bad (ctx)",
        ),
    ],
    ids=["yaml-line", "xlsx-cell"],
)
def test_spot_place_and_problem(spot: Spot, place: str, problem: str) -> None:
    assert spot.place() == place
    assert str(spot.problem("bad", "ctx")) == problem


def test_texts_fall_back_to_swedish() -> None:
    assert texts("en") is EN
    assert texts("sv") is SV
    assert texts("fi") is SV


@pytest.mark.parametrize(
    ("doc", "lang", "about"),
    [
        (_doc(2), "en", "Baseline espir 2026.1, result of ?; 2 deviations."),
        (
            _doc(0, ("--region", "kalmar")),
            "sv",
            "Grundkonfigurationen espir 2026.1, resultat från ?; 0 avvikelser (--region kalmar).",
        ),
    ],
    ids=["en-no-filters", "sv-filters"],
)
def test_about_file(doc: DecisionsFile, lang: str, about: str) -> None:
    assert texts(lang).about_file(doc) == about


def test_guide_separates_its_three_parts_by_one_blank_line() -> None:
    guide = EN.guide()
    assert guide == [*EN.intro, "", *EN.values, "", *EN.usage]
    assert guide.count("") == 2


@pytest.mark.parametrize(
    ("kind", "field", "action"),
    [
        ("renamed", None, "change the name in the baseline"),
        ("attribute_changed", "noteType", "change noteType in the baseline"),
        ("some_new_kind", None, "some_new_kind"),
    ],
    ids=["plain", "with-field", "unknown-kind"],
)
def test_action(kind: str, field: str | None, action: str) -> None:
    assert EN.action(kind, field) == action


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("plain", "plain"),
        ("yes", "'yes'"),
        ("Namn: kort", "'Namn: kort'"),
        ("Lokalt: 'kort' namn", "\"Lokalt: 'kort' namn\""),
        ("two\nlines", '"two\\nlines"'),
        (dt.date(2027, 12, 31), "2027-12-31"),
        (None, "null"),
    ],
    ids=["plain", "bool-word", "colon", "apostrophes", "newline", "date", "none"],
)
def test_scalar_stays_on_one_line_and_reads_back(value: str | dt.date | None, text: str) -> None:
    assert scalar(value) == text


def test_row_deviation_finds_the_occurrence_of_its_id() -> None:
    dev = Deviation(
        region="kalmar",
        kind=Kind.RENAMED,
        entity=Entity.KEYWORD,
        baseline_id="ESP-SO-1",
        local_id="RKL-SO-1",
        path="RKL-JM-1/RKL-SO-1",
        field=None,
        occurrence=2,
    )
    values = {
        "id": dev.fingerprint("CD105"),
        "region": "kalmar",
        "kind": "renamed",
        "entity": "keyword",
        "baseline_id": "ESP-SO-1",
        "local_id": "RKL-SO-1",
        "path": "RKL-JM-1/RKL-SO-1",
        "rule": "CD105",
    }
    assert Row(values=values).deviation() == dev
    assert Row(values=values | {"region": "jonkoping"}).deviation() is None
    assert Row(values=values | {"kind": "nonsense"}).deviation() is None


@pytest.fixture(scope="module")
def mini() -> Baseline:
    return load_baseline(MINI_BASELINE)


def test_baseline_location_of_each_entity(mini: Baseline) -> None:
    ex = mini.export
    vl = next(v for v in ex.value_lists.values() if v.values)
    cases = [
        ("template", next(iter(ex.templates))),
        ("keyword", next(iter(ex.keywords))),
        ("valuelist", vl.id),
        ("value", f"{vl.id}#{vl.values[0].code}"),
    ]
    for entity, bid in cases:
        loc = baseline_location(mini, entity, bid)
        assert loc is not None and loc.path, (entity, bid)
    assert baseline_location(mini, "value", f"{vl.id}#{vl.values[0].code}") == vl.values[0].loc
    assert baseline_location(mini, "value", vl.id) is None  # no '#': not a value
    assert baseline_location(mini, "keyword", "NO-SUCH-ID") is None
    assert baseline_location(mini, None, next(iter(ex.keywords))) is None


def test_files_report_unreadable_and_broken_files_as_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"^gone\.yaml: cannot read file: "):
        read_bytes(tmp_path / "gone.yaml", "gone.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(ConfigError, match=r"^latin\.yaml:2: YAML files must be UTF-8$"):
        read_yaml(latin, "latin.yaml")
    dates = tmp_path / "dates.yaml"
    dates.write_text("expires: 2027-12-31\n", encoding="utf-8")
    assert read_yaml(dates, "dates.yaml", dates_as_text=True) == {"expires": "2027-12-31"}
    assert read_yaml(dates, "dates.yaml") == {"expires": dt.date(2027, 12, 31)}
