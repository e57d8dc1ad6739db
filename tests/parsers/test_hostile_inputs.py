"""Hostile inputs end in one ``file:line: message`` each and exit 2, never exit 3.

Every case runs the real CLI on a copy of the mini baseline and a region folder with one
hostile file, and checks the exit status, the exact problem lines and that nothing worse
(a traceback, an internal error, the content of an entity) reaches any output.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI_BASELINE, MINI_COPY, CliResult

from parsers.helpers import DOCTYPE_MESSAGE

#: The text of the internal entity of the XML attacks; it must never reach any output.
ENTITY_TEXT = "ENTITY-EXPANDED-7f3a"
ENTITY = f'<!DOCTYPE root [ <!ENTITY e "{ENTITY_TEXT}"> ]>\n'
XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n'
UTF16_DECL = '<?xml version="1.0" encoding="UTF-16"?>\n'
COMPARE = ["compare", "--baseline", "base", "--format", "json", "--output", "out.json"]


def _setup(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, str | bytes],
    *,
    region: bool = True,
) -> None:
    """Copy the mini baseline to base/ and mini-copy to region/, then write ``files``."""
    shutil.copytree(MINI_BASELINE, tmp_path / "base")
    if region:
        shutil.copytree(MINI_COPY, tmp_path / "region")
    for name, data in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    monkeypatch.chdir(tmp_path)


def problem_lines(result: CliResult) -> list[str]:
    """Return the lines naming problems: all output but summaries, notes and a report."""
    lines = [*result.stdout.splitlines(), *result.stderr.splitlines()]
    return [ln for ln in lines if ln.strip() and not ln.startswith(("cosmicdiff: ", "note: "))]


def assert_refused(result: CliResult, expected: list[str]) -> None:
    """Check exit 2, exactly the expected problem lines, and nothing a user must not see."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert "internal error" not in output
    assert problem_lines(result) == expected
    assert result.code == 2


# --- XML: a DOCTYPE is refused however it is hidden ------------------------------------------


def _cosmic_xml(prolog: str, decl: str = XML_DECL) -> str:
    """Return the mini-copy export with ``prolog`` before the root, an entity in a name."""
    text = (MINI_COPY / "export.xml").read_text(encoding="utf-8")
    body = text.split("\n", 1)[1].replace('name="', 'name="&e;', 1)
    return decl + prolog + body


def _opt(prolog: str, decl: str = XML_DECL) -> str:
    """Return the mini OPT with ``prolog`` before the root and an entity in an attribute."""
    text = (FIXTURES / "opt" / "mini.opt").read_text(encoding="utf-8")
    body = text.split("\n", 1)[1].replace('id="sem_ver"', 'id="&e;"', 1)
    return decl + prolog + body


def _utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


#: A comment longer than the 64 KB the old pre-scan looked at.
LONG_COMMENT = "<!-- " + "x" * 70000 + " -->\n"

XML_BYPASSES = {
    "comment-with-lt": ("<!-- <x -->\n", XML_DECL, 3),
    "pi-with-lt": ("<?note <x ?>\n", XML_DECL, 3),
    "comment-with-doctype-text": ("<!-- <!DOCTYPE is not here -->\n", XML_DECL, 3),
    "utf16-long-prolog": (LONG_COMMENT, UTF16_DECL, 3),
    "utf8-long-prolog": (LONG_COMMENT, XML_DECL, 3),
}


def _xml_case(kind: str, bypass: str) -> tuple[str, str | bytes]:
    prolog, decl, _ = XML_BYPASSES[bypass]
    text = (_cosmic_xml if kind == "cosmic" else _opt)(prolog + ENTITY, decl)
    name = "region/export.xml" if kind == "cosmic" else "region/t.opt"
    return name, _utf16(text) if decl == UTF16_DECL else text


@pytest.mark.parametrize("bypass", list(XML_BYPASSES))
@pytest.mark.parametrize("kind", ["cosmic", "opt"])
@pytest.mark.parametrize("command", ["compare", "validate"])
def test_doctype_is_refused_however_the_prolog_hides_it(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
    command: str,
    kind: str,
    bypass: str,
) -> None:
    name, data = _xml_case(kind, bypass)
    _setup(tmp_path, monkeypatch, {name: data}, region=kind == "cosmic")
    result = cli(*(COMPARE if command == "compare" else ["validate"]), "region")
    assert_refused(result, [f"{name}:{XML_BYPASSES[bypass][2]}: {DOCTYPE_MESSAGE}"])
    assert ENTITY_TEXT not in result.stdout + result.stderr
    assert not (tmp_path / "out.json").exists()


@pytest.mark.parametrize("bypass", list(XML_BYPASSES))
@pytest.mark.parametrize("kind", ["cosmic", "opt"])
def test_the_parsed_document_is_checked_even_if_the_prescan_misses(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
    kind: str,
    bypass: str,
) -> None:
    # the check of lxml's docinfo is the authoritative one: without the pre-scan, it alone
    # refuses the document, at the DOCTYPE's line, before any element is used
    import cosmicdiff.io.safe_xml as xml

    monkeypatch.setattr(xml, "_check_prolog", lambda display, data: None)
    name, data = _xml_case(kind, bypass)
    _setup(tmp_path, monkeypatch, {name: data}, region=kind == "cosmic")
    result = cli("validate", "region")
    assert_refused(result, [f"{name}:{XML_BYPASSES[bypass][2]}: {DOCTYPE_MESSAGE}"])
    assert ENTITY_TEXT not in result.stdout + result.stderr


def test_no_module_but_the_hardened_one_parses_xml() -> None:
    import cosmicdiff

    package = Path(cosmicdiff.__file__).parent
    calls = (
        "etree.fromstring",
        "etree.parse(",
        "etree.iterparse",
        "etree.XMLParser",
        "etree.XML(",
        "etree.iterwalk",
        "objectify",
        "xml.etree",
        "xml.dom",
        "xml.sax",
        "minidom",
    )
    offenders = sorted(
        f"{path.relative_to(package)}: {call}"
        for path in package.rglob("*.py")
        if path.name != "safe_xml.py"
        for call in calls
        if call in path.read_text(encoding="utf-8")
    )
    assert offenders == []


# --- YAML: explicit tags, deep nesting, lone surrogates, control characters ------------------

#: Where each YAML file the tool reads lives, and the command that reads it.
YAML_TARGETS = {
    "region.yaml": ("region/region.yaml", COMPARE + ["region"]),
    "model-yaml": ("region/extra.yaml", COMPARE + ["region"]),
    "mapping.yaml": ("region/mapping.yaml", COMPARE + ["region"]),
    "baseline.yaml": ("base/baseline.yaml", COMPARE + ["region"]),
    "rules.yaml": ("base/rules.yaml", COMPARE + ["region"]),
    "waivers.yaml": ("base/waivers.yaml", COMPARE + ["region"]),
    "decisions": ("decisions.yaml", ["decisions", "apply", "decisions.yaml"]),
}

#: Hostile content for line 2 of a YAML file, and the message it gets.
YAML_HOSTILE = {
    "tag-int": ("id: !!int x\n", "explicit tags (!!int) are not allowed"),
    "tag-int-number": ("id: !!int 5\n", "explicit tags (!!int) are not allowed"),
    "tag-float": ("id: !!float x\n", "explicit tags (!!float) are not allowed"),
    "tag-bool": ("id: !!bool x\n", "explicit tags (!!bool) are not allowed"),
    "tag-timestamp": ("id: !!timestamp x\n", "explicit tags (!!timestamp) are not allowed"),
    "tag-map": ("id: !!map [1]\n", "explicit tags (!!map) are not allowed"),
    "tag-seq": ("id: !!seq {a: 1}\n", "explicit tags (!!seq) are not allowed"),
    "tag-str-on-map": ("id: !!str {a: 1}\n", "explicit tags (!!str) are not allowed"),
    "tag-binary": ("id: !!binary aGk=\n", "explicit tags (!!binary) are not allowed"),
    "tag-local": ("id: !foo x\n", "explicit tags (!foo) are not allowed"),
    "tag-python": (
        "id: !!python/object/apply:os.system [echo]\n",
        "explicit tags (!!python/object/apply:os.system) are not allowed",
    ),
    "tag-on-key": ("!!int 1: x\n", "explicit tags (!!int) are not allowed"),
    "deep-flow-101": (
        "id: " + "[" * 100 + "]" * 100 + "\n",
        "nesting deeper than 100 levels is not allowed",
    ),
    "deep-flow-900": (
        "id: " + "[" * 900 + "]" * 900 + "\n",
        "nesting deeper than 100 levels is not allowed",
    ),
    "deep-flow-100000": (
        "id: " + "[" * 100000 + "]" * 100000 + "\n",
        "nesting deeper than 100 levels is not allowed",
    ),
    "deep-block": ("id:\n" + "- " * 200 + "x\n", "nesting deeper than 100 levels is not allowed"),
    "deep-mapping": (
        "id: " + "{a: " * 150 + "b" + "}" * 150 + "\n",
        "nesting deeper than 100 levels is not allowed",
    ),
    "lone-surrogate": (
        'id: "\\ud800"\n',
        "\\ud800 is a lone surrogate escape, not a character; write the character itself",
    ),
    "lone-low-surrogate": (
        'id: "a\\udc00b"\n',
        "\\udc00 is a lone surrogate escape, not a character; write the character itself",
    ),
    "control-character": ("id: a\x01b\n", "control character U+0001 is not allowed in a YAML file"),
    "escape-character": (
        "id: a\x1b[31mb\n",
        "control character U+001B is not allowed in a YAML file",
    ),
    "nul": ("id: a\x00b\n", "control character U+0000 is not allowed in a YAML file"),
    "del": ("id: a\x7fb\n", "control character U+007F is not allowed in a YAML file"),
}


@pytest.mark.parametrize("hostile", list(YAML_HOSTILE))
@pytest.mark.parametrize("target", list(YAML_TARGETS))
def test_hostile_yaml_is_one_line_with_file_and_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
    target: str,
    hostile: str,
) -> None:
    name, args = YAML_TARGETS[target]
    text, message = YAML_HOSTILE[hostile]
    _setup(tmp_path, monkeypatch, {name: "schema: x\n" + text})
    line = 3 if hostile == "deep-block" else 2  # "- - - … x" nests on the line after "id:"
    assert_refused(cli(*args), [f"{name}:{line}: invalid YAML: {message}"])


def test_str_tag_on_a_scalar_is_allowed(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
) -> None:
    _setup(tmp_path, monkeypatch, {"region/region.yaml": "id: !!str copy\nname: Kopia\n"})
    result = cli(*COMPARE, "region")
    assert result.code == 0, result.stderr


def test_escaped_surrogate_pair_is_the_character_it_encodes(tmp_path: Path) -> None:
    from cosmicdiff.io.safe_yaml import parse_yaml

    assert parse_yaml('a: "\\ud83d\\ude00"\n', "x.yaml") == {"a": "\U0001f600"}


@pytest.mark.parametrize("levels", [99, 100])
def test_nesting_up_to_the_limit_is_read(levels: int) -> None:
    # the top mapping is level 1: 99 nested lists below it make 100 levels
    from cosmicdiff.errors import ExportError
    from cosmicdiff.io.safe_yaml import parse_yaml

    text = "a: " + "[" * levels + "]" * levels + "\n"
    if levels == 99:
        assert parse_yaml(text, "x.yaml") is not None
    else:
        with pytest.raises(ExportError, match="nesting deeper than 100 levels"):
            parse_yaml(text, "x.yaml")


def test_fast_loader_failing_in_any_way_falls_back_to_the_worded_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import cosmicdiff.io.safe_yaml as yaml_module
    from cosmicdiff.errors import ExportError

    class Exploding:
        def __init__(self, *args: object) -> None:
            raise MemoryError("libyaml went away")

    monkeypatch.setattr(yaml_module, "_FastLoader", Exploding)
    assert yaml_module.parse_yaml("a: b\n", "x.yaml") == {"a": "b"}
    with pytest.raises(ExportError) as info:
        yaml_module.parse_yaml("a: b\nc: !!int x\n", "x.yaml")
    assert str(info.value) == "x.yaml:2: invalid YAML: explicit tags (!!int) are not allowed"


# --- JSON: nesting, huge integers, lone surrogates, encodings ---------------------------------

#: Where each kind of JSON file the tool reads lives, and the command that reads it.
JSON_TARGETS = {
    "fhir": ("region/q.json", COMPARE + ["region"]),
    "catalogue": ("region/terms.json", COMPARE + ["region"]),
    "saved-result": ("result.json", ["report", "result.json"]),
    "reference-result": ("result.json", COMPARE + ["--reference", "result.json", "region"]),
}

_FHIR_HEAD = '{"resourceType": "ValueSet", "id": "v",\n'
_CAT_HEAD = '[{"id": "K9", "name": "x", "datatype": "Text",\n'
_RESULT_HEAD = '{"schema": "cosmicdiff-result/1",\n'

#: Hostile content for line 2 of a JSON document (completed for each target), and the
#: message it gets.
JSON_HOSTILE = {
    "deep-arrays-101": (
        '"x": ' + "[" * 101 + "]" * 101,
        "JSON nested deeper than 100 levels is not allowed",
    ),
    "deep-arrays-100000": (
        '"x": ' + "[" * 100000 + "]" * 100000,
        "JSON nested deeper than 100 levels is not allowed",
    ),
    "deep-objects": (
        '"x": ' + '{"a": ' * 3000 + "1" + "}" * 3000,
        "JSON nested deeper than 100 levels is not allowed",
    ),
    "huge-integer": (
        '"x": ' + "7" * 5000,
        "a number of 5000 digits is longer than the 4300 digits allowed",
    ),
    "huge-negative-integer": (
        '"x": -' + "7" * 4301,
        "a number of 4301 digits is longer than the 4300 digits allowed",
    ),
    "lone-surrogate": (
        '"x": "a\\ud800b"',
        "\\ud800 is a lone surrogate escape, not a character; write the character itself",
    ),
    "lone-low-surrogate": (
        '"x": "\\udc00"',
        "\\udc00 is a lone surrogate escape, not a character; write the character itself",
    ),
    "reversed-pair": (
        '"x": "\\udc00\\ud800"',
        "\\udc00 is a lone surrogate escape, not a character; write the character itself",
    ),
    "surrogate-in-key": (
        '"\\ud800": 1',
        "\\ud800 is a lone surrogate escape, not a character; write the character itself",
    ),
}


def _json_doc(target: str, line_two: str) -> str:
    head = {"fhir": _FHIR_HEAD, "catalogue": _CAT_HEAD}.get(target, _RESULT_HEAD)
    return head + line_two + ("}]\n" if target == "catalogue" else "}\n")


@pytest.mark.parametrize("hostile", list(JSON_HOSTILE))
@pytest.mark.parametrize("target", list(JSON_TARGETS))
def test_hostile_json_is_one_line_with_file_and_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
    target: str,
    hostile: str,
) -> None:
    name, args = JSON_TARGETS[target]
    line_two, message = JSON_HOSTILE[hostile]
    _setup(tmp_path, monkeypatch, {name: _json_doc(target, line_two)})
    assert_refused(cli(*args), [f"{name}:2: {message}"])


@pytest.mark.parametrize("target", list(JSON_TARGETS))
def test_json_that_is_not_utf8_is_refused_at_its_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
    target: str,
) -> None:
    name, args = JSON_TARGETS[target]
    data = _json_doc(target, '"x": "caf\xe9"').encode("latin-1")
    _setup(tmp_path, monkeypatch, {name: data})
    message = (
        "not a JSON result (not UTF-8 text)"
        if "result" in target
        else "not UTF-8 text; save the JSON file as UTF-8"
    )
    assert_refused(cli(*args), [f"{name}:2: {message}"])


def test_deep_json_is_refused_quickly(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
) -> None:
    import time

    _setup(
        tmp_path,
        monkeypatch,
        {"region/q.json": _json_doc("fhir", '"x": ' + "[" * 1_000_000 + "]" * 1_000_000)},
    )
    start = time.monotonic()
    result = cli(*COMPARE, "region")
    assert time.monotonic() - start < 10
    assert_refused(result, ["region/q.json:2: JSON nested deeper than 100 levels is not allowed"])


def test_escaped_surrogate_pair_in_json_is_the_character() -> None:
    from cosmicdiff.io.safe_json import parse_json

    assert parse_json('{"a": "\\ud83d\\ude00", "b": "\\\\ud800"}', "x.json") == {
        "a": "\U0001f600",
        "b": "\\ud800",
    }


# --- TOML settings: nesting, huge integers, lone surrogates, control characters -------------

#: Hostile content for line 2 of a settings file, and the message it gets.
TOML_HOSTILE = {
    "deep-arrays-101": (
        "x = " + "[" * 101 + "]" * 101,
        "TOML nested deeper than 100 levels is not allowed",
    ),
    "deep-arrays-100000": (
        "x = " + "[" * 100000 + "]" * 100000,
        "TOML nested deeper than 100 levels is not allowed",
    ),
    "deep-inline-tables": (
        "x = " + "{a = " * 300 + "1" + "}" * 300,
        "TOML nested deeper than 100 levels is not allowed",
    ),
    "huge-integer": (
        "x = " + "7" * 5000,
        "a number of 5000 digits is longer than the 4300 digits allowed",
    ),
    "huge-integer-underscores": (
        "x = " + "7_" * 4400 + "7",
        "a number of 4401 digits is longer than the 4300 digits allowed",
    ),
    "lone-surrogate": (
        'x = "\\ud800"',
        "invalid TOML: Escaped character is not a Unicode scalar value (column 12)",
    ),
    "control-character": ('x = "a\x01b"', "invalid TOML: Illegal character '\\x01' (column 7)"),
    "nul": ('x = "a\x00b"', "invalid TOML: Illegal character '\\x00' (column 7)"),
    "syntax": ("x = [", "invalid TOML: Invalid value (at the end of the file)"),
}


@pytest.mark.parametrize("hostile", list(TOML_HOSTILE))
@pytest.mark.parametrize("settings", ["cosmicdiff.toml", "pyproject.toml"])
def test_hostile_toml_is_one_line_with_file_and_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
    settings: str,
    hostile: str,
) -> None:
    line_two, message = TOML_HOSTILE[hostile]
    head = "[tool.cosmicdiff]\n" if settings == "pyproject.toml" else "lang = 'sv'\n"
    _setup(tmp_path, monkeypatch, {settings: head + line_two + "\n"}, region=False)
    line = 3 if hostile == "syntax" else 2  # an unfinished array ends with the file
    assert_refused(cli("config"), [f"{settings}:{line}: {message}"])


def test_settings_that_are_not_utf8_are_refused_at_their_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
) -> None:
    _setup(
        tmp_path,
        monkeypatch,
        {"cosmicdiff.toml": "lang = 'sv'\nx = 'caf\xe9'\n".encode("latin-1")},
        region=False,
    )
    assert_refused(cli("config"), ["cosmicdiff.toml:2: settings files must be UTF-8"])


# --- CSV and ADL: NUL bytes, control characters, encodings, nesting ---------------------------

_ADL = (FIXTURES / "adl" / "small.adl").read_text(encoding="utf-8").split("\n")
_ADL_CONCEPT = _ADL.index("concept") + 1  # the 0-based index of the line after "concept"
_ADL_STRING = next(i for i, ln in enumerate(_ADL) if '"' in ln)
_ADL_DEFINITION = next(i for i, ln in enumerate(_ADL) if "OBSERVATION[at0000] matches" in ln)
_ADL_ONTOLOGY = _ADL.index("ontology")


def _adl(index: int, line: str, replace: bool = True) -> str:
    """Return small.adl with line ``index`` (0-based) replaced by (or followed by) ``line``."""
    lines = list(_ADL)
    if replace:
        lines[index] = line
    else:
        lines.insert(index + 1, line)
    return "\n".join(lines)


def _with(data: str, old: str, new: str) -> str:
    return data.replace(old, new, 1)


CSV_ADL_HOSTILE: dict[str, tuple[str, str | bytes, int, str]] = {
    "keywords-csv-nul": (
        "kw.csv",
        "id;name;type\nK9;a\x00b;Text\n",
        2,
        "binary data (NUL byte) in a CSV file; save it as CSV UTF-8 or Windows-1252 text",
    ),
    "keywords-csv-escape": (
        "kw.csv",
        "id;name;type\nK9;a\x1b[2Jb;Text\n",
        2,
        "control character U+001B in a CSV file; expected text (is it a binary file?)",
    ),
    "keywords-csv-c1-control": (
        "kw.csv",
        "id;name;type\nK9;a\x85b;Text\n",
        2,
        "control character U+0085 in a CSV file; expected text (is it a binary file?)",
    ),
    "keywords-csv-encoding": (
        "kw.csv",
        b"id;name;type\nK9;a\x81b;Text\n",
        2,
        "encoding is neither UTF-8 nor Windows-1252; save the file as CSV UTF-8",
    ),
    "catalogue-csv-nul": (
        "terms.csv",
        "id;name;datatype\nK9;a\x00b;Text\n",
        2,
        "binary data (NUL byte) in a CSV file; save it as CSV UTF-8 or Windows-1252 text",
    ),
    "catalogue-csv-escape": (
        "terms.csv",
        "id;name;datatype\nK9;a\x1bb;Text\n",
        2,
        "control character U+001B in a CSV file; expected text (is it a binary file?)",
    ),
    "catalogue-csv-encoding": (
        "terms.csv",
        b"id;name;datatype\nK9;a\x81b;Text\n",
        2,
        "encoding is neither UTF-8 nor Windows-1252; save the file as CSV UTF-8",
    ),
    "adl-nul": (
        "a.adl",
        _adl(_ADL_CONCEPT, "\t[at0000]\x00"),
        _ADL_CONCEPT + 1,
        "control character U+0000 in an ADL file; expected text (is it a binary file?)",
    ),
    "adl-escape-in-string": (
        "a.adl",
        _adl(_ADL_STRING, _with(_ADL[_ADL_STRING], '"', '"\x1b')),
        _ADL_STRING + 1,
        "control character U+001B in an ADL file; expected text (is it a binary file?)",
    ),
    "adl-encoding": (
        "a.adl",
        _adl(_ADL_CONCEPT, "\t[at0000]\udcff").encode("utf-8", "surrogateescape"),
        _ADL_CONCEPT + 1,
        "file is not UTF-8 text; ADL files are UTF-8",
    ),
    "adl-deep-constraints": (
        "a.adl",
        _adl(
            _ADL_DEFINITION,
            "\t\tprotocol matches {"
            + "CLUSTER[at0009] matches { items matches {" * 5000
            + "}}" * 5000
            + "}",
            replace=False,
        ),
        _ADL_DEFINITION + 2,
        "nesting deeper than 100 levels is not allowed",
    ),
    "adl-deep-dadl": (
        "a.adl",
        _adl(_ADL_ONTOLOGY, "\tdeep = <" + "x = <" * 5000 + '"v"' + ">" * 5001, replace=False),
        _ADL_ONTOLOGY + 2,
        "nesting deeper than 100 levels is not allowed",
    ),
}


@pytest.mark.parametrize("hostile", list(CSV_ADL_HOSTILE))
def test_hostile_csv_and_adl_are_one_line_with_file_and_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    cli: Callable[..., CliResult],
    hostile: str,
) -> None:
    name, data, line, message = CSV_ADL_HOSTILE[hostile]
    _setup(tmp_path, monkeypatch, {f"region/{name}": data})
    assert_refused(cli(*COMPARE, "region"), [f"region/{name}:{line}: {message}"])
