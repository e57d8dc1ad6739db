"""One language per report: every facilitator-facing output in Swedish is Swedish everywhere,
and with ``--lang en`` English everywhere (issue 17).

Each output of the shipped examples (report HTML and Markdown, with a selection and a trend
too; matrix HTML, CSV and XLSX; decisions YAML and XLSX) is rendered in sv and en. Its
visible text, less every string that comes from the inputs (names, ids, values and paths
of the result JSON: Swedish in both languages), must hold

- no text of the other language's catalogue (a catalogue value, or the literal part of one
  around its ``{placeholders}``, that differs between sv and en and has more than three
  letters), and
- no raw deviation kind code from the fixed list of ``report-json.md`` (``order_changed``,
  ``visibility_changed`` …; in Swedish also ``missing``, ``renamed`` and ``moved``, which
  are English words an English report may use), and
- in Swedish, one term for the baseline: "grundkonfigurationen", never "baslinjen".
"""

from __future__ import annotations

import csv
import dataclasses
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ESPIR, EXAMPLES, run_cli

from cosmicdiff.reports.i18n import catalogue
from cosmicdiff.vocabulary import Kind
from cosmicdiff.workshop.decisions.texts import EN, SV, Texts

LANGS = ("sv", "en")
TODAY = "2026-11-23"
#: JSON keys whose values are cosmicdiff's own words or codes, not strings from the inputs
TOOL_KEYS = frozenset(
    {"message", "kind", "severity", "entity", "rule", "matched_by", "field", "schema"}
    | {"status", "fail_on", "trend", "state", "consensus", "lang", "kinds", "units"}
)
#: cosmicdiff's own values in expected/actual (translated in people's reports)
TOOL_VALUES = frozenset(k.removeprefix("value.") for k in catalogue("en") if k.startswith("value."))
#: the kinds that are English words; an English report may use them as such
WORD_KINDS = frozenset({"missing", "extra", "renamed", "moved"})
#: Swedish has the word "extra" too
SV_WORD_KINDS = WORD_KINDS - {"extra"}


# -- the outputs -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Compare the examples once: a result, and a reference in which one deviation is new."""
    d = tmp_path_factory.mktemp("one-language")
    result = d / "result.json"
    regions = sorted(p for p in EXAMPLES.iterdir() if p.is_dir())
    res = run_cli("compare", "-b", ESPIR, *regions, "-f", "json", "-o", result, "--today", TODAY)
    assert res.code == 1, res.stderr
    doc = json.loads(result.read_text(encoding="utf-8"))
    doc["deviations"] = doc["deviations"][1:]
    (d / "reference.json").write_text(json.dumps(doc), encoding="utf-8")
    res = run_cli(
        "compare", "-b", ESPIR, *regions, "-f", "json", "-o", d / "trend.json",
        "--today", TODAY, "--reference", d / "reference.json",
    )  # fmt: skip
    assert res.code == 1, res.stderr
    return d


#: name -> (command, result file, format, output suffix, extra options)
OUTPUTS: dict[str, tuple[str, str, str, str, tuple[str, ...]]] = {
    "report.html": ("report", "result.json", "html", "html", ()),
    "report-selected.html": (
        "report", "result.json", "html", "html",
        ("--min-severity", "warning", "--region", "kalmar", "--case", "drugs"),
    ),
    "report-trend.html": ("report", "trend.json", "html", "html", ()),
    "report.md": ("report", "result.json", "markdown", "md", ()),
    "report-selected.md": (
        "report", "result.json", "markdown", "md", ("--min-severity", "warning"),
    ),
    "report-trend.md": ("report", "trend.json", "markdown", "md", ()),
    "matrix.html": ("matrix", "result.json", "html", "html", ()),
    "matrix.csv": ("matrix", "result.json", "csv", "csv", ()),
    "matrix.xlsx": ("matrix", "result.json", "xlsx", "xlsx", ()),
    "decisions.yaml": ("decisions", "result.json", "yaml", "yaml", ("--include-allowed",)),
    "decisions.xlsx": ("decisions", "result.json", "xlsx", "xlsx", ("--include-allowed",)),
}  # fmt: skip


def render(work: Path, name: str, lang: str) -> Path:
    """Write one output in one language and return its path."""
    command, source, fmt, suffix, extra = OUTPUTS[name]
    out = work / f"{name}.{lang}.{suffix}"
    if out.exists():
        return out
    if command == "report":
        args: list[Any] = ["report", work / source, "-f", fmt]
    elif command == "matrix":
        args = ["matrix", "--from-result", work / source, "-f", fmt]
    else:
        args = ["decisions", "template", work / source, "-f", fmt]
    res = run_cli(*args, "--lang", lang, "-o", out, *extra)
    assert res.code in (0, 1), res.stderr
    return out


# -- visible text ------------------------------------------------------------------------


def html_text(path: Path) -> str:
    """Return what a reader sees of an HTML page: its text, title and tooltips (no CSS)."""
    import lxml.html

    doc = lxml.html.parse(str(path)).getroot()
    for node in doc.xpath("//style|//script"):
        node.drop_tree()
    tips = [str(v) for v in doc.xpath("//@title")]
    return "\n".join([*doc.itertext(), *tips])


def markdown_text(path: Path) -> str:
    """Return a Markdown file's text without tags, escapes and table pipes."""
    text = re.sub(r"<[^>]+>", "\n", path.read_text(encoding="utf-8"))
    text = re.sub(r"\\(.)", r"\1", text.replace("|", "\n"))
    return html.unescape(text)


def csv_text(path: Path) -> str:
    """Return the cells of a CSV file, one a line."""
    rows = csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";")
    return "\n".join(cell.removeprefix("'") for row in rows for cell in row)


def xlsx_text(path: Path) -> str:
    """Return the sheet names and cell texts of a workbook's visible sheets, one a line."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    lines = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue  # the hidden sheet holds the file's own data for reading it back
        lines.append(ws.title)
        lines += [str(v).removeprefix("'") for row in ws.iter_rows(values_only=True) for v in row]
        for dv in ws.data_validations.dataValidation:
            lines += [dv.promptTitle or "", dv.prompt or "", dv.errorTitle or "", dv.error or ""]
    return "\n".join(lines)


def yaml_text(path: Path) -> str:
    """Return the comments of a YAML file: its keys and values stay English by design."""
    comments = (
        re.split(r"(?:^|\s)#\s", line, maxsplit=1) for line in path.read_text("utf-8").splitlines()
    )
    return "\n".join(parts[1] for parts in comments if len(parts) == 2)


VISIBLE: dict[str, Callable[[Path], str]] = {
    "html": html_text,
    "md": markdown_text,
    "csv": csv_text,
    "xlsx": xlsx_text,
    "yaml": yaml_text,
}


# -- the strings from the inputs ---------------------------------------------------------


def _strings(value: Any, key: str = "") -> Iterator[str]:
    if key in TOOL_KEYS:
        return
    if isinstance(value, str):
        yield value
        if key in ("expected", "actual"):
            yield from value.split()  # values joined with spaces (a template's cases)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)


def input_strings(result: Path) -> list[str]:
    """Return the strings of a result that come from its inputs, longest first."""
    doc = json.loads(result.read_text(encoding="utf-8"))
    found = {s.strip() for s in _strings(doc)} - TOOL_VALUES
    found |= {str(Path(s).resolve()) for s in found if "/" in s}  # paths as shown
    return sorted((s for s in found if s), key=lambda s: (-len(s), s))


def without_inputs(text: str, inputs: list[str]) -> str:
    """Return ``text`` with every input string cut out where it stands as a whole."""
    if not inputs:
        return text
    alternatives = "|".join(re.escape(s) for s in inputs)
    return re.sub(rf"(?<!\w)(?:{alternatives})(?!\w)", "\n", text)


# -- the catalogues ----------------------------------------------------------------------


def _texts_values(t: Texts) -> dict[str, str]:
    out: dict[str, str] = {}
    for f in dataclasses.fields(t):
        value = getattr(t, f.name)
        if isinstance(value, str):
            out[f.name] = value
        elif isinstance(value, tuple):
            out |= {f"{f.name}.{i}": v for i, v in enumerate(value)}
        else:
            out |= {f"{f.name}.{k}": v for k, v in value.items()}
    return out


def catalogues() -> dict[str, dict[str, str]]:
    """Return every text of each language: the report catalogues and the decisions texts."""
    return {
        "sv": {**catalogue("sv"), **{f"decisions.{k}": v for k, v in _texts_values(SV).items()}},
        "en": {**catalogue("en"), **{f"decisions.{k}": v for k, v in _texts_values(EN).items()}},
    }


def _fragments(text: str) -> set[str]:
    """Return the literal parts of a catalogue text around its placeholders, trimmed."""
    parts = re.split(r"\{[^}]*\}", text)
    return {p.strip(" .,:;()/+–-…=\n") for p in parts}


def foreign_texts(lang: str) -> list[str]:
    """Return the texts only the other language has (more than three letters), longest first."""
    cats = catalogues()
    own, other = cats[lang], cats["en" if lang == "sv" else "sv"]
    own_parts = set().union(*(_fragments(v) for v in own.values()))
    found = set()
    for key, text in other.items():
        if own.get(key) == text:
            continue
        for part in _fragments(text):
            if sum(ch.isalpha() for ch in part) > 3 and part not in own_parts:
                found.add(part)
    return sorted(found, key=lambda s: (-len(s), s))


def kind_codes(lang: str) -> list[str]:
    """Return the raw kind codes that must not be visible words in ``lang``."""
    words = SV_WORD_KINDS if lang == "sv" else frozenset()
    return [k.value for k in Kind if k.value not in WORD_KINDS or k.value in words]


def leaks(text: str, lang: str) -> list[str]:
    """Return the other language's texts and the raw kind codes found in ``text``."""
    found = []
    for part in foreign_texts(lang):
        if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", text):
            found.append(part)
    for code in kind_codes(lang):
        if re.search(rf"(?<![\w-]){re.escape(code)}(?![\w-])", text):
            found.append(code)
    if lang == "sv":  # one Swedish term for the baseline: grundkonfigurationen
        found += re.findall(r"(?i)\bbaslinje\w*", text)
    return found


# -- the tests ---------------------------------------------------------------------------


def _check(work: Path, name: str, lang: str) -> None:
    out = render(work, name, lang)
    source = work / OUTPUTS[name][1]
    text = without_inputs(VISIBLE[out.suffix[1:]](out), input_strings(source))
    found = leaks(text, lang)
    assert not found, f"{name} in {lang} shows {found}"


PEOPLE = [n for n in OUTPUTS if not n.startswith("decisions")]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", PEOPLE)
def test_output_is_in_one_language(work: Path, name: str, lang: str) -> None:
    _check(work, name, lang)


#: the decisions files: the YAML's keys and codes stay English (only its comments are read
#: here); the workbook shows words, its hidden sheets keep the codes ``apply`` reads.


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(
    "name",
    [
        "decisions.yaml",
        "decisions.xlsx",
    ],
)
def test_decisions_file_is_in_one_language(work: Path, name: str, lang: str) -> None:
    _check(work, name, lang)


def test_the_check_finds_the_other_language_and_kind_codes() -> None:
    """The check itself: it finds what it looks for, and not in the right language."""
    assert "finns inte i grundkonfigurationen" in foreign_texts("en")
    assert "not in the baseline" in foreign_texts("sv")
    assert leaks("Tidiga hypoteser: order_changed: 5", "sv") == ["order_changed"]
    assert "missing" in leaks("Tidiga hypoteser: missing", "sv")
    assert "undantagna" in leaks("54 avvikelser; 2 undantagna", "en")
    assert leaks("54 avvikelser: 18 fel; 2 undantagna", "sv") == []
    assert leaks("54 deviations: 18 errors; 2 waived", "en") == []
    assert leaks("2 deviations: missing, renamed", "en") == []
    assert leaks("Alla följer baslinjen.", "sv") == ["baslinjen"]


def test_input_strings_are_cut_out(work: Path) -> None:
    inputs = input_strings(work / "result.json")
    assert "Region Kalmar län" in inputs and "psychiatry" in inputs
    assert "shown" not in inputs and "error" not in inputs  # cosmicdiff's own words
    assert (
        without_inputs("Fall: Beslutsstöd för psykiatrin (psychiatry)", inputs)
        .strip("\n ()")
        .startswith("Fall:")
    )


def test_a_swedish_report_counts_with_the_right_number(work: Path) -> None:
    text = markdown_text(render(work, "report.md", "sv"))
    assert "; 1 undantagen;" in text and "1 undantagna" not in text
    trend = markdown_text(render(work, "report-trend.md", "sv"))
    assert "1 ny," in trend and "0 ändrade" in trend
    en = markdown_text(render(work, "report-trend.md", "en"))
    assert "1 new," in en and "1 waived" in en


def test_a_selection_is_in_words_not_flags(work: Path) -> None:
    sv = html_text(render(work, "report-selected.html", "sv"))
    assert "varningar och fel" in sv and "region: Region Kalmar län" in sv
    assert "fall: Läkemedel" in sv
    en = html_text(render(work, "report-selected.html", "en"))
    assert "warnings and errors" in en and "case: Läkemedel" in en
    for text in (sv, en):
        assert "--" not in text  # no command-line flag in a handout
