"""CSV keyword lists from Excel: delimiter and encoding detection, never mojibake."""

from __future__ import annotations

from pathlib import Path

import pytest

from cosmicdiff.model import Binding, Keyword, KeywordType, Status
from parsers.helpers import BROKEN, FIXTURES, REGIONS, load, load_error, write

SWEDISH = "Åtgärd för önskad vård – läkare"


def test_semicolon_cp1252_scenario_reads_every_column() -> None:
    raw = (REGIONS / "csv-semicolon-cp1252" / "keywords.csv").read_bytes()
    assert b"\xc5tg\xe4rd" in raw and b"\x96" in raw  # real Windows-1252 bytes, CRLF
    export = load(REGIONS / "csv-semicolon-cp1252", REGIONS)
    assert (export.region, export.name) == ("kalmar", "Region Kalmar län")
    assert dict(export.keywords) == {
        "KAL-SO-1": Keyword(
            id="KAL-SO-1",
            name="Åtgärd",
            type=KeywordType.TEXT,
            status=Status.ACTIVE,
            description="Planerad åtgärd",
        ),
        "KAL-SO-2": Keyword(
            id="KAL-SO-2",
            name="Systoliskt blodtryck, sittande",
            type=KeywordType.NUMERIC,
            unit="mm[Hg]",
            bindings=(Binding(system="snomed-ct", code="1000003"),),
        ),
        "KAL-SO-3": Keyword(
            id="KAL-SO-3",
            name="Bedömning",
            type=KeywordType.TEXT,
            status=Status.INACTIVE,
            hidden_from_1177=True,
            description="Fri text; även med semikolon",
        ),
        "KAL-SO-4": Keyword(
            id="KAL-SO-4", name="Övrigt – läkare", type=KeywordType.OTHER, hidden_from_1177=True
        ),
        "KAL-SO-5": Keyword(
            id="KAL-SO-5", name="Gammalt sökord", type=KeywordType.TEXT, status=Status.RETIRED
        ),
    }
    assert [str(k.loc) for k in export.keywords.values()] == [
        f"csv-semicolon-cp1252/keywords.csv:{n}" for n in range(2, 7)
    ]


def test_comma_utf8_bom_scenario_reads_every_column() -> None:
    raw = (REGIONS / "csv-comma-utf8-bom" / "keywords.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfid,name,type")
    export = load(REGIONS / "csv-comma-utf8-bom", REGIONS)
    assert export.region == "ostergotland"
    assert dict(export.keywords) == {
        "OG-SO-1": Keyword(
            id="OG-SO-1",
            name="Ärende",
            type=KeywordType.TEXT,
            hidden_from_1177=True,
            description="Kort beskrivning, med komma",
        ),
        "OG-SO-2": Keyword(id="OG-SO-2", name="Bedömning", type=KeywordType.TEXT),
    }
    assert [k.loc.line for k in export.keywords.values()] == [2, 3]


ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]


@pytest.mark.parametrize("encoding", ENCODINGS, ids=["utf8", "utf8-bom", "cp1252"])
@pytest.mark.parametrize("delim", [";", ","], ids=["semicolon", "comma"])
def test_delimiter_and_encoding_are_detected(tmp_path: Path, delim: str, encoding: str) -> None:
    text = (
        delim.join(["id", "name", "type", "unit"])
        + "\n"
        + delim.join(["K1", f'"{SWEDISH}{delim} Ö"', "Numeric", "µg/l"])
        + "\n"
    )
    export = load(write(tmp_path, "k.csv", text.encode(encoding)), tmp_path)
    kw = export.keywords["K1"]
    assert (kw.name, kw.type, kw.unit, str(kw.loc)) == (
        f"{SWEDISH}{delim} Ö",
        KeywordType.NUMERIC,
        "µg/l",
        "k.csv:2",
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ja", True),
        ("nej", False),
        ("true", True),
        ("false", False),
        ("JA", True),
        ("Nej", False),
        ("1", True),
        ("0", False),
        ("", False),
    ],
    ids=["ja", "nej", "true", "false", "JA", "Nej", "one", "zero", "blank"],
)
def test_hidden_from_1177_booleans(tmp_path: Path, raw: str, expected: bool) -> None:
    path = write(tmp_path, "b.csv", f"id;name;type;hiddenFrom1177\nK1;a;Text;{raw}\n")
    assert load(path, tmp_path).keywords["K1"].hidden_from_1177 is expected


@pytest.mark.parametrize(
    "byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D], ids=["0x81", "0x8d", "0x8f", "0x90", "0x9d"]
)
def test_bytes_undefined_in_cp1252_are_an_error_not_mojibake(tmp_path: Path, byte: int) -> None:
    data = (
        b"id;name;type\nK1;ok;Text\nK2;" + "Bedömning".encode("cp1252") + bytes([byte]) + b";Text\n"
    )
    assert load_error(write(tmp_path, "x.csv", data), tmp_path).lines() == [
        "x.csv:3: encoding is neither UTF-8 nor Windows-1252; save the file as CSV UTF-8"
    ]


@pytest.mark.parametrize("letter", list("åäöÅÄÖé"), ids=list("åäöÅÄÖé"))
def test_double_encoded_text_is_refused(tmp_path: Path, letter: str) -> None:
    mangled = f"Bed{letter}mning".encode().decode("cp1252")  # 'BedÃ¶mning'
    data = f"id;name;type\nK1;Aktuellt;Text\nK2;{mangled};Text\n".encode()
    assert load_error(write(tmp_path, "x.csv", data), tmp_path).lines() == [
        "x.csv:3: text looks double-encoded (e.g. 'Ã¥' for 'å'); re-export the file as CSV UTF-8"
    ]


BROKEN_CSV = [
    (
        "csv-neither-encoding.csv",
        [
            "broken/csv-neither-encoding.csv:3: encoding is neither UTF-8 nor Windows-1252; "
            "save the "
            "file as CSV UTF-8"
        ],
    ),
    (
        "csv-double-encoded.csv",
        [
            "broken/csv-double-encoded.csv:3: text looks double-encoded (e.g. 'Ã¥' for 'å'); "
            "re-export the file as CSV UTF-8"
        ],
    ),
    (
        "csv-missing-type-column.csv",
        [
            "broken/csv-missing-type-column.csv:1: header must name at least the columns id, "
            "name and "
            "type, separated by ';' or ',' (found 'id;name;unit')"
        ],
    ),
    (
        "csv-unknown-column.csv",
        [
            "broken/csv-unknown-column.csv:1: unknown column 'färg'; known columns: id, name, "
            "type, "
            "unit, valueList, binding_system, binding_code, status, hiddenFrom1177, description"
        ],
    ),
    (
        "csv-wrong-field-count.csv",
        [
            "broken/csv-wrong-field-count.csv:3: row has 4 fields but the header has 3 (is a ';' "
            "inside an unquoted value?)"
        ],
    ),
    ("csv-empty.csv", ["broken/csv-empty.csv: file is empty; expected a header row id;name;type"]),
    (
        "csv-header-only.csv",
        ["broken/csv-header-only.csv: CSV keyword list has a header but no rows"],
    ),
    (
        "csv-bad-boolean.csv",
        ["broken/csv-bad-boolean.csv:2: hiddenFrom1177='kanske' is not true or false"],
    ),
    (
        "csv-nul-byte.csv",
        [
            "broken/csv-nul-byte.csv:2: binary data (NUL byte) in a CSV file; save it as CSV "
            "UTF-8 or "
            "Windows-1252 text"
        ],
    ),
    (
        "csv-bom-not-utf8.csv",
        ["broken/csv-bom-not-utf8.csv:2: file starts with a UTF-8 BOM but is not UTF-8"],
    ),
    (
        "csv-unknown-keyword-type.csv",
        ["broken/csv-unknown-keyword-type.csv:2: unknown keyword type 'Fritext'"],
    ),
    (
        "csv-unterminated-quote.csv",
        ["broken/csv-unterminated-quote.csv:2: malformed CSV: unexpected end of data"],
    ),
]


@pytest.mark.parametrize(
    ("name", "expected"), BROKEN_CSV, ids=[n.removesuffix(".csv") for n, _ in BROKEN_CSV]
)
def test_broken_csv_is_refused_with_file_and_line(name: str, expected: list[str]) -> None:
    assert load_error(BROKEN / name, FIXTURES).lines() == expected


def test_wrong_field_counts_are_all_listed_with_their_lines(tmp_path: Path) -> None:
    text = "id,name,type\nK1,a,Text\nK2,Blodtryck, systoliskt,Numeric\nK3,c\n"
    assert load_error(write(tmp_path, "f.csv", text), tmp_path).lines() == [
        "f.csv:3: row has 4 fields but the header has 3 (is a ',' inside an unquoted value?)",
        "f.csv:4: row has 2 fields but the header has 3 (is a ',' inside an unquoted value?)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("id;name;type;name\nK1;a;Text;b\n", "x.csv:1: column 'name' appears twice"),
        ("id;name;type\n;a;Text\n", "x.csv:2: column 'id' is empty"),
        ("id;name;type\nK1;a;\n", "x.csv:2: column 'type' is empty"),
        (
            "id;name;type;status\nK1;a;Text;aktiv\n",
            "x.csv:2: unknown status 'aktiv'; use active, inactive or retired",
        ),
        (
            "id;name;type;binding_system;binding_code\nK1;a;Text;snomed-ct;\n",
            "x.csv:2: binding_system and binding_code must be given together",
        ),
    ],
    ids=["duplicate-column", "empty-id", "empty-type", "unknown-status", "half-binding"],
)
def test_row_and_header_problems(tmp_path: Path, text: str, expected: str) -> None:
    assert load_error(write(tmp_path, "x.csv", text), tmp_path).lines() == [expected]


def test_blank_rows_are_skipped_and_lines_stay_physical(tmp_path: Path) -> None:
    text = "id;name;type\nK1;a;Text\n;;\n\nK2;b;Text\n"
    export = load(write(tmp_path, "x.csv", text), tmp_path)
    assert [str(k.loc) for k in export.keywords.values()] == ["x.csv:2", "x.csv:5"]


def test_padded_header_and_ids_are_trimmed(tmp_path: Path) -> None:
    export = load(write(tmp_path, "x.csv", " id ; name ; type \n K1 ;Aktuellt; Text \n"), tmp_path)
    kw = export.keywords["K1"]
    assert (kw.id, kw.name, kw.type) == ("K1", "Aktuellt", KeywordType.TEXT)


def test_multi_line_record_is_located_at_its_first_line(tmp_path: Path) -> None:
    text = 'id;name;type;description\nK1;a;Text;"rad ett\nrad två"\nK2;b;Text;\n'
    export = load(write(tmp_path, "x.csv", text), tmp_path)
    assert export.keywords["K1"].description == "rad ett\nrad två"
    assert [str(k.loc) for k in export.keywords.values()] == ["x.csv:2", "x.csv:4"]


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"], ids=["utf8", "cp1252"])
def test_control_characters_are_refused_with_their_line(tmp_path: Path, encoding: str) -> None:
    data = "id;name;type\nK1;Åtgärd;Text\nK2;Bedö\x01mning;Text\n".encode(encoding)
    lines = load_error(write(tmp_path, "x.csv", data), tmp_path).lines()
    assert len(lines) == 1 and lines[0].startswith("x.csv:3: ")
