"""Keyword catalogues: Region Stockholm's TakeCare TcTerminology JSON (two versions) and CSV.

The real files come from ``shared/realdata`` (README rows #6 and #7); the tests skip when it
is not there. Every fact asserted about them was read from the files themselves.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from cosmicdiff.errors import CosmicdiffError
from cosmicdiff.model import Keyword, KeywordType
from cosmicdiff.parsers.fragment import Fragment
from cosmicdiff.parsers.term_catalogue import _unit, read_term_catalogue
from parsers.helpers import FIXTURES, write

CATALOGUE = FIXTURES / "catalogue"
REALDATA = Path(
    os.environ.get("COSMICDIFF_REALDATA")
    or Path(__file__).resolve().parents[3] / "shared" / "realdata"
)
TC = "regionstockholm-poc_tc2openEHR/"
NEW, OLD = TC + "TcTerminology.json", TC + "TcTerminology.feature-tietoevry.json"

#: TermIds of the rows whose Datatype holds free text (shifted columns); the same in both.
SHIFTED = [
    1591,
    1887,
    2652,
    2866,
    2888,
    2889,
    2929,
    3349,
    3483,
    4662,
    4663,
    4664,
    4665,
    4666,
    4667,
    4668,
    4698,
    4736,
    5110,
    5511,
    5699,
    5774,
    5876,
    5878,
    5879,
    5882,
    5902,
    6100,
    6153,
    6155,
    6156,
    6977,
    6980,
    6981,
    7031,
    7032,
    7373,
    7656,
    7920,
    7927,
    7928,
    7929,
    7930,
    7931,
    7933,
    7970,
    8205,
    9044,
    9045,
    9052,
    9135,
    9146,
    9147,
    9179,
    9813,
    9946,
    10100,
    10478,
    10479,
    10997,
    11001,
    11002,
    11007,
    11008,
    11022,
    11033,
    11035,
    11036,
    11046,
    11047,
    11048,
    11049,
    11055,
    11057,
    11058,
    11095,
]
ADDED = [
    "12047",
    "12051",
    "12052",
    "12055",
    "12056",
    "12059",
    "12064",
    "12066",
    "12067",
    "12071",
    "12073",
    "12076",
]


def real(rel: str) -> tuple[Fragment, int]:
    """Read a real catalogue and count its rows, or skip when the real data is not there."""
    path = REALDATA / rel
    if not path.is_file():
        pytest.skip(f"real data not available: {path}")
    return read_term_catalogue(path, rel), len(json.loads(path.read_text(encoding="utf-8")))


def kinds(frag: Fragment, kind: str) -> list[tuple[int | None, str | None]]:
    return [(n.line, n.subject) for n in frag.notes if n.kind == kind]


def accounted(frag: Fragment) -> int:
    """Return keywords plus notes for rows not read: must equal the number of rows."""
    return len(frag.keywords) + sum(n.kind in ("unusable_row", "duplicate_id") for n in frag.notes)


# -- the two TakeCare versions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "rows", "lines_per_row", "types"),
    [
        (
            NEW,
            12023,
            7,
            {
                "Text": 8155,
                "Numeric": 3244,
                "DateTime": 284,
                "Other": 175,
                "Formula": 83,
                "ClinicalCoding": 4,
            },
        ),
        (
            OLD,
            12009,
            6,
            {
                "Text": 8155,
                "Numeric": 3242,
                "DateTime": 281,
                "Other": 168,
                "Formula": 83,
                "ClinicalCoding": 4,
            },
        ),
    ],
    ids=["current", "feature-tietoevry"],
)
def test_takecare_catalogue(rel: str, rows: int, lines_per_row: int, types: dict[str, int]) -> None:
    frag, counted = real(rel)
    assert counted == rows == accounted(frag)
    assert len(frag.keywords) == sum(types.values())
    found: dict[str, int] = {}
    for kw in frag.keywords:
        found[kw.type.value] = found.get(kw.type.value, 0) + 1
    assert found == types
    # row n starts on line 2 + (n - 1) * lines_per_row, and row n is TermId n up to 12009
    assert kinds(frag, "unusable_row") == [(2 + (i - 1) * lines_per_row, str(i)) for i in SHIFTED]
    first = frag.notes[0]
    assert first.message == (
        "Datatype 'motiverande, stödjande, bearbe…' is not a known data "
        "type (free text shifted into the Datatype column?); the row is "
        "not read"
    )
    junk = [n for n in frag.notes if n.kind == "unsupported"]
    assert [(n.line, n.message) for n in junk] == [
        (
            2,
            (
                "364 rows hold text that is not a unit in Unit (change notes, SANT/FALSKT, shifted "
                "text); read without a unit (first: TermId '1')"
            ),
        )
    ]
    assert frag.format == "term-catalogue"


def test_current_version_repeats_two_termids() -> None:
    frag, _ = real(NEW)
    assert kinds(frag, "duplicate_id") == [(84065, "12009"), (84149, "11972")]
    assert [n.message for n in frag.notes if n.kind == "duplicate_id"] == [
        "TermId '12009' appears again (first at line 84058); this row is not read",
        "TermId '11972' appears again (first at line 83799); this row is not read",
    ]
    assert kinds(real(OLD)[0], "duplicate_id") == []


def test_takecare_keywords() -> None:
    frag, _ = real(NEW)
    kws: dict[str, Keyword] = {k.id: k for k in frag.keywords}

    def row(kid: str) -> tuple[str, KeywordType, str | None, int | None]:
        return kws[kid].name, kws[kid].type, kws[kid].unit, kws[kid].loc.line

    assert row("1") == ("B-SR, B-Ery sänkn reakt, avd/mott", KeywordType.NUMERIC, None, 2)
    assert row("2") == ("B-Ery vol frakt, EVF", KeywordType.TEXT, "%", 9)
    assert row("8") == ("B-Hemoglobin, B-HB", KeywordType.FORMULA, "g/L", 51)
    assert row("2275") == ("BMI", KeywordType.FORMULA, "Kg/M²", 15920)
    assert row("6530") == ("Diagnos enl ICD-10 P", KeywordType.CLINICAL_CODING, None, 45705)
    assert row("4552")[:3] == ("Make", KeywordType.TEXT, None)  # Unit " relation." shifted
    assert row("12047") == ("Prostatacancerstatus", KeywordType.OTHER, None, 84072)


def test_differences_between_the_versions() -> None:
    new: dict[str, Keyword] = {k.id: k for k in real(NEW)[0].keywords}
    old: dict[str, Keyword] = {k.id: k for k in real(OLD)[0].keywords}
    assert sorted(set(new) - set(old), key=int) == ADDED
    assert set(old) <= set(new)

    def fields(k: Keyword) -> tuple[str, KeywordType, str | None]:
        return k.name, k.type, k.unit

    # no shared keyword changed its name, data type or unit between the two versions
    assert [i for i in old if fields(old[i]) != fields(new[i])] == []
    assert [fields(new[i]) for i in ("12055", "12064", "12071")] == [
        ("Global andel cancer >= Gleason 4 i systematiska biopsier", KeywordType.NUMERIC, None),
        (
            "Datum för MR undersökning som ligger till grund för fusionsbiopsi",
            KeywordType.DATE_TIME,
            None,
        ),
        ("Prostatasymtom enl I-PSS, totalpoäng", KeywordType.NUMERIC, None),
    ]
    assert "1591" not in new and "1591" not in old  # a shifted row in both: never a keyword


# -- fixtures -----------------------------------------------------------------------------------


def test_json_fixture_accounts_for_every_row() -> None:
    frag = read_term_catalogue(CATALOGUE / "mini.json", "catalogue/mini.json")
    assert [(k.id, k.name, k.type.value, k.unit, k.loc.line) for k in frag.keywords] == [
        ("1", "B-Hemoglobin", "Formula", "g/L", 2),
        ("3", "Temperatur {rektalt}", "Numeric", "°C", 14),
        ("4", "Make", "Text", None, 20),
        ("6", "Operatör", "Other", None, 39),
        ("7", "Läkemedel", "Other", None, 45),
    ]
    assert [str(n) for n in frag.notes] == [
        "catalogue/mini.json:8: Datatype 'motiverande, stödjande, bearbe…' is not a known data "
        "type (free text shifted into the Datatype column?); the row is not read",
        "catalogue/mini.json:26: TermName is empty; the row is not read",
        "catalogue/mini.json:32: TermId '3' appears again (first at line 14); this row is not read",
        "catalogue/mini.json: element 7 of the array is not an object; not read",
        "catalogue/mini.json:20: 2 rows hold text that is not a unit in Unit (change notes, "
        "SANT/FALSKT, shifted text); read without a unit (first: TermId '4')",
    ]
    assert accounted(frag) == 9


def test_csv_with_shifted_columns() -> None:
    raw = (CATALOGUE / "shifted-cp1252.csv").read_bytes()
    assert b"v\xe4rde" in raw and b"\r\n" in raw  # Windows-1252, CRLF
    frag = read_term_catalogue(CATALOGUE / "shifted-cp1252.csv", "c.csv")
    assert [(k.id, k.name, k.type.value, k.unit, k.loc.line) for k in frag.keywords] == [
        ("1", "Systoliskt blodtryck", "Numeric", "mmHg", 2),
        ("3", "Vikt", "Numeric", "kg", 4),
        ("5", "Kommentar", "Text", None, 8),
        ("8", "Höger; vänster", "Text", None, 11),
        ("9", "Diagnos enl ICD-10", "ClinicalCoding", None, 12),
    ]
    assert [(n.kind, str(n), n.subject) for n in frag.notes] == [
        (
            "unusable_row",
            "c.csv:3: row has 5 fields but the header has 4 (columns shifted by a "
            "';' inside an unquoted value?); the row is not read",
            "2",
        ),
        (
            "duplicate_id",
            "c.csv:6: TermId '3' appears again (first at line 4); this row is not read",
            "3",
        ),
        ("unusable_row", "c.csv:7: TermName is empty; the row is not read", "4"),
        (
            "unusable_row",
            "c.csv:9: row has 3 fields but the header has 4; the row is not read",
            "6",
        ),
        (
            "unusable_row",
            "c.csv:10: Datatype 'Dolly sokord' is not a known data type (free text "
            "shifted into the Datatype column?); the row is not read",
            "7",
        ),
        (
            "unsupported",
            "c.csv:8: 1 row holds text that is not a unit in Unit (change notes, "
            "SANT/FALSKT, shifted text); read without a unit (first: TermId '5')",
            None,
        ),
    ]
    assert accounted(frag) == 10  # 11 lines after the header, one of them blank


def test_csv_with_plain_column_names(tmp_path: Path) -> None:
    path = write(tmp_path, "k.csv", "\ufeffid,name,type,unit,comment\nK1,Puls,Numeric,/min,x\n")
    frag = read_term_catalogue(path, "k.csv")
    assert [(k.id, k.type, k.unit) for k in frag.keywords] == [("K1", KeywordType.NUMERIC, "/min")]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "m.json",
            (CATALOGUE / "malformed.json").read_bytes(),
            "m.json:3: malformed JSON: Expecting ',' delimiter (column 18)",
        ),
        (
            "o.json",
            b'{"TermId": "1"}',
            "o.json:1: expected a JSON array of catalogue rows (TermId, TermName, Datatype)",
        ),
        (
            "k.json",
            b'[\n {"Id": "1", "Label": "x"}\n]',
            "k.json:2: not a term catalogue: a row needs TermId, TermName and Datatype (found "
            "['Id', "
            "'Label'])",
        ),
        ("e.json", b"[]", "e.json: catalogue has no rows"),
        (
            "h.csv",
            b"code;label\n1;x\n",
            "h.csv:1: header must name the columns id, name and "
            "datatype (or TermId, TermName, Datatype) separated by ';' "
            "or ',' (found 'code;label')",
        ),
        ("d.csv", b"id;name;type;datatype\n", "d.csv:1: header names the datatype column twice"),
        (
            "q.csv",
            b'id;name;type\n1;"open;Text\n',
            "q.csv:2: malformed CSV: unexpected end of data",
        ),
        ("z.csv", b"", "z.csv: file is empty; expected a header row id;name;datatype"),
    ],
    ids=[
        "malformed-json",
        "not-array",
        "other-keys",
        "no-rows",
        "csv-header",
        "csv-twice",
        "csv-quote",
        "empty",
    ],
)
def test_unusable_catalogue(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    with pytest.raises(CosmicdiffError) as info:
        read_term_catalogue(write(tmp_path, name, data), name)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "unit", "junk"),
    [
        ("mmol/L", "mmol/L", False),
        ("°", "°", False),
        ("%", "%", False),
        ("cm  H2O", "cm H2O", False),
        ("ggr s. 12 mån", "ggr s. 12 mån", False),
        (None, None, False),
        ("", None, False),
        ("FALSKT", None, True),
        ("SANT", None, True),
        (" relation.", None, True),
        ("211019 XX", None, True),
        ("mL<nl>", None, True),
        ("----------", None, True),
        ("för ECT-registret kopplad till term", None, True),
    ],
    ids=lambda v: repr(v),
)
def test_unit(raw: str | None, unit: str | None, junk: bool) -> None:
    assert _unit(raw) == (unit, junk)
