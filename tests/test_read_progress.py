"""Progress by bytes: the XML readers report how far a large file is read, only while a
progress bar listens, and read the same either way; the bar is for terminals only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from cosmicdiff.cli import progress
from cosmicdiff.cli.common import RunState, start_run
from cosmicdiff.io.read_progress import (
    MIN_BYTES,
    STEP,
    CountingReader,
    byte_stream,
    counting,
    reporting_bytes,
)
from cosmicdiff.io.safe_xml import iter_elements, parse_tree


def _large_xml(path: Path) -> Path:
    item = b"<a>" + b"x" * 200 + b"</a>\n"
    count = MIN_BYTES // len(item) + 2000
    path.write_bytes(b"<?xml version='1.0'?>\n<r>\n" + item * count + b"</r>\n")
    return path


def test_the_counting_reader_reports_every_step_and_the_end() -> None:
    seen: list[tuple[str, int, int]] = []
    data = b"y" * (3 * STEP + 10)
    reader = CountingReader(data, "f.xml", lambda *a: seen.append(a))
    assert b"".join(iter(lambda: reader.read(32768), b"")) == data
    done = [d for _, d, _ in seen]
    assert done == sorted(done) and done[-1] == len(data)
    assert 3 <= len(seen) <= 6  # about one report per STEP, not one per read
    assert {(name, total) for name, _, total in seen} == {("f.xml", len(data))}


def test_without_a_listener_the_bytes_are_read_directly() -> None:
    assert not counting()
    assert type(byte_stream(b"x" * MIN_BYTES, "f")) is io.BytesIO
    with reporting_bytes(lambda *a: None):
        assert counting()
        assert type(byte_stream(b"x" * (MIN_BYTES - 1), "small")) is io.BytesIO
        assert isinstance(byte_stream(b"x" * MIN_BYTES, "large"), CountingReader)
    assert not counting()


def test_iter_elements_reports_bytes_and_reads_the_same(tmp_path: Path) -> None:
    path = _large_xml(tmp_path / "big.xml")
    plain = [
        el.text for event, el in iter_elements(path, "big.xml", frozenset({"a"})) if event == "end"
    ]
    seen: list[int] = []
    with reporting_bytes(lambda _d, done, _t: seen.append(done)):
        counted = [
            el.text
            for event, el in iter_elements(path, "big.xml", frozenset({"a"}))
            if event == "end"
        ]
    assert counted == plain and len(plain) > 10000
    assert seen[-1] == path.stat().st_size and len(seen) >= MIN_BYTES // STEP


def test_parse_tree_reports_bytes_and_parses_the_same(tmp_path: Path) -> None:
    path = _large_xml(tmp_path / "big.xml")
    plain = parse_tree(path, "big.xml").getroot()
    seen: list[int] = []
    with reporting_bytes(lambda _d, done, _t: seen.append(done)):
        counted = parse_tree(path, "big.xml").getroot()
    assert len(counted) == len(plain) and counted[-1].text == plain[-1].text
    assert seen[-1] == path.stat().st_size


def test_a_syntax_error_is_reported_alike_when_counted(tmp_path: Path) -> None:
    from cosmicdiff.errors import ExportError

    path = _large_xml(tmp_path / "bad.xml")
    path.write_bytes(path.read_bytes().replace(b"</r>", b"</q>"))
    with pytest.raises(ExportError) as plain:
        parse_tree(path, "bad.xml")
    with reporting_bytes(lambda *a: None), pytest.raises(ExportError) as counted:
        parse_tree(path, "bad.xml")
    assert str(counted.value) == str(plain.value)


@pytest.mark.parametrize(
    ("tty", "env", "state", "shown"),
    [
        (True, {}, {}, True),
        (False, {}, {}, False),
        (True, {"CI": "true"}, {}, False),
        (True, {"CI": "true", "COSMICDIFF_PROGRESS": "1"}, {}, True),
        (False, {"COSMICDIFF_PROGRESS": "1"}, {}, False),
        (True, {"COSMICDIFF_PROGRESS": "0"}, {}, False),
        (True, {"CI": "false"}, {}, True),
        (True, {}, {"quiet": True}, False),
        (True, {}, {"verbose": True}, False),
    ],
)
def test_the_bar_only_on_a_terminal_and_not_in_ci(
    monkeypatch: pytest.MonkeyPatch, tty: bool, env: dict[str, str], state: dict, shown: bool
) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("COSMICDIFF_PROGRESS", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(progress.sys.stderr, "isatty", lambda: tty, raising=False)
    start_run(RunState(**state))
    try:
        assert progress.wanted() is shown
        with progress.reading_progress(2) as bar:
            assert (bar is not None) is shown
            assert counting() is shown
    finally:
        start_run(RunState())


def test_the_bar_follows_a_file_and_drops_its_row_when_read(monkeypatch) -> None:
    bar = progress.ProgressBar(2, color=False)
    try:
        bar.bytes_read("regions/kalmar/big.xml", 1_000_000, 4_000_000)
        task = bar._progress.tasks[-1]
        assert task.description == "  big.xml"
        assert task.fields["count"] == "1.0/4.0 MB" and task.completed == 1_000_000
        bar.bytes_read("regions/kalmar/big.xml", 4_000_000, 4_000_000)
        assert len(bar._progress.tasks) == 1
        bar("read region kalmar", 10)
        assert bar._progress.tasks[0].fields["count"] == "1/2"
    finally:
        bar.close()
