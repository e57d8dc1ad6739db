"""Outputs never destroy anything (issue 14): see docs/outputs.md.

* write_atomic writes *through* character devices, FIFOs and descriptor paths
  (``/dev/stdout``), never replacing them; a symbolic link stays a link; folders, sockets and
  block devices are refused; an existing file keeps its permission bits, a new one gets the
  umask's.
* An output that is also an input of the run (or two outputs that are one file) is refused
  with exit 2 before anything is written.
* SIGTERM and SIGHUP leave no temporary file, keep the old report, stop forked workers and
  exit 143 / 129 with one line.
* A closed or full standard output is one line and exit 2; a closed standard error is
  harmless.

The signal and standard-stream tests run real processes (the console script, or small
scripts that drive ``cosmicdiff.cli.app.main``); the rest runs in-process through CliRunner.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINI_BASELINE, MINI_COPY, ROOT, run_cli

from cosmicdiff import parallel
from cosmicdiff.io.output_check import Input, Output, check_outputs

TODAY = "2026-11-23"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(not IS_ROOT, reason="creating device nodes needs root")
needs_fork = pytest.mark.skipif(not parallel.fork_available(), reason="fork workers: Linux only")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with a copy of the mini baseline (``base``) and region (``reg``); cwd there."""
    shutil.copytree(MINI_BASELINE, tmp_path / "base")
    shutil.copytree(MINI_COPY, tmp_path / "reg")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COSMICDIFF_DEBUG", raising=False)
    return tmp_path


def _compare(*args: str | Path):
    return run_cli("--no-config", "compare", "reg", "-b", "base", "--today", TODAY, *args)


def _temporaries(*folders: Path) -> list[str]:
    return sorted(p.name for f in folders for p in f.iterdir() if p.name.endswith(".tmp"))


# --- devices, FIFOs, links: written through, never replaced --------------------------------


def _char_device(tmp_path: Path, which: str) -> Path:
    """Return a character device: /dev/null itself, or (as root) a private node of it."""
    if which == "/dev/null":
        return Path("/dev/null")
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a second /dev/null
    return node


@pytest.mark.parametrize(
    "which",
    [
        "/dev/null",
        pytest.param("private node", marks=needs_root),
    ],
    ids=["dev-null", "private-null-node"],
)
def test_a_character_device_is_written_through(work: Path, which: str) -> None:
    device = _char_device(work, which)
    before = sorted(p.name for p in device.parent.iterdir()) if which != "/dev/null" else None
    res = _compare("-o", device, "--format", "json")
    assert (res.code, res.stderr.splitlines()[-1:]) == (
        0,
        [
            "cosmicdiff: 0 deviations (0 error, 0 warning, 0 info; 0 waived); 0 at or above "
            "--fail-on error; exit 0"
        ],
    )
    st = os.lstat(device)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)  # not renamed over
    if before is not None:
        assert sorted(p.name for p in device.parent.iterdir()) == before


def test_a_fifo_is_written_through(work: Path) -> None:
    fifo = work / "report.fifo"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there: open() won't wait
    try:
        res = _compare("-o", fifo, "--format", "json")
        received = b""
        while chunk := os.read(reader, 65536):
            received += chunk
    finally:
        os.close(reader)
    assert res.code == 0
    assert json.loads(received)["schema"] == "cosmicdiff/result/1"
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert _temporaries(work) == []


def test_a_symbolic_link_stays_a_link_and_its_target_is_written(work: Path) -> None:
    (work / "published").mkdir()
    target = work / "published" / "result.json"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    (work / "latest.json").symlink_to("published/result.json")
    res = _compare("-o", "latest.json")
    assert res.code == 0
    assert os.readlink(work / "latest.json") == "published/result.json"
    assert json.loads(target.read_text(encoding="utf-8"))["schema"] == "cosmicdiff/result/1"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert _temporaries(work, work / "published") == []


def test_a_dangling_link_gets_its_target_created(work: Path) -> None:
    (work / "latest.json").symlink_to("result.json")
    assert _compare("-o", "latest.json").code == 0
    assert (work / "latest.json").is_symlink()
    assert json.loads((work / "result.json").read_text(encoding="utf-8"))["deviations"] == []


def test_a_relative_link_in_a_linked_folder_is_followed_as_the_system_does(work: Path) -> None:
    (work / "real" / "sub").mkdir(parents=True)
    (work / "alias").symlink_to("real/sub")
    (work / "real" / "sub" / "latest.json").symlink_to("../result.json")
    assert _compare("-o", "alias/latest.json").code == 0
    assert (work / "real" / "sub" / "latest.json").is_symlink()
    assert (
        json.loads((work / "real" / "result.json").read_text(encoding="utf-8"))["deviations"] == []
    )
    assert not (work / "result.json").exists()  # not alias/.. taken literally


def test_dev_stdout_writes_to_the_descriptor_and_keeps_append_mode(work: Path) -> None:
    log = work / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    proc = _sh(
        f"{_CLI} --no-config compare reg -b base --today {TODAY} -o /dev/stdout "
        f"--format json >> log.txt",
        cwd=work,
    )
    assert proc.returncode == 0, proc.stderr
    text = log.read_text(encoding="utf-8")
    assert text.startswith("earlier line\n{")
    assert json.loads(text.split("\n", 1)[1])["schema"] == "cosmicdiff/result/1"
    assert not log.is_symlink() and _temporaries(work) == []


def test_nothing_is_created_under_dev(work: Path) -> None:
    name = Path(f"/dev/cosmicdiff-test-{os.getpid()}.json")
    try:
        res = _compare("-o", name)
        assert (res.code, res.stderr) == (
            2,
            f"{name}: cannot write output: No such file or directory\n",
        )
        assert not name.exists()
    finally:
        if name.exists():
            name.unlink()


def test_a_closed_descriptor_path_is_refused(work: Path) -> None:
    res = _compare("-o", "/dev/fd/987", "--format", "json")
    assert (res.code, res.stderr) == (2, "/dev/fd/987: cannot write output: Bad file descriptor\n")


def test_a_socket_is_refused(work: Path) -> None:
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("report.sock")
        res = _compare("-o", "report.sock", "--format", "json")
    assert (res.code, res.stderr) == (
        2,
        "report.sock: cannot write output: Is a socket; give a file name\n",
    )
    assert stat.S_ISSOCK(os.lstat(work / "report.sock").st_mode)
    assert _temporaries(work) == []


@needs_root
def test_a_block_device_is_refused(work: Path) -> None:
    os.mknod(work / "disk", stat.S_IFBLK | 0o600, os.makedev(7, 250))  # a loop device number
    res = _compare("-o", "disk", "--format", "json")
    assert (res.code, res.stderr) == (
        2,
        "disk: cannot write output: Is a block device (a disk); give a file name\n",
    )
    assert stat.S_ISBLK(os.lstat(work / "disk").st_mode)


# --- permission bits -----------------------------------------------------------------------


def test_an_existing_output_keeps_its_permission_bits(work: Path) -> None:
    out = work / "result.json"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o600)
    assert _compare("-o", out).code == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "cosmicdiff/result/1"


def test_a_new_output_gets_the_umask(work: Path) -> None:
    old = os.umask(0o027)
    try:
        assert _compare("-o", "result.json").code == 0
        assert _compare("-o", "result.html").code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((work / "result.json").stat().st_mode) == 0o640
    assert stat.S_IMODE((work / "result.html").stat().st_mode) == 0o640


@needs_root
def test_root_keeps_the_owner_and_group_of_an_existing_output(work: Path) -> None:
    out = work / "result.json"
    out.write_text("old", encoding="utf-8")
    os.chown(out, 4321, 4322)
    out.chmod(0o664)
    assert _compare("-o", out).code == 0
    st = out.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 4322, 0o664)


# --- an output that is also an input -------------------------------------------------------


def _refused(label: str, path: str, reason: str) -> str:
    return f"cosmicdiff: {label} {path} is also an input ({reason}); choose another output path\n"


@pytest.fixture
def result_json(work: Path) -> Path:
    assert _compare("-o", "r.json").code == 0
    return work / "r.json"


@pytest.mark.parametrize(
    ("args", "label", "path", "reason"),
    [
        (["-o", "reg/export.xml"], "--output", "reg/export.xml", "a file of the region export reg"),
        (
            ["-o", "reg/region.yaml", "-f", "json"],
            "--output",
            "reg/region.yaml",
            "a file of the region export reg",
        ),
        (
            ["-o", "base/model.yaml", "-f", "json"],
            "--output",
            "base/model.yaml",
            "a file of the baseline base",
        ),
        (
            ["-o", "base/baseline.yaml", "-f", "json"],
            "--output",
            "base/baseline.yaml",
            "a file of the baseline base",
        ),
    ],
    ids=["export-file", "region-yaml", "baseline-model", "baseline-yaml"],
)
def test_compare_refuses_to_write_over_an_export(
    work: Path, args: list[str], label: str, path: str, reason: str
) -> None:
    before = {p: p.read_bytes() for p in (*work.glob("reg/*"), *work.glob("base/*"))}
    res = _compare(*args)
    assert (res.code, res.stdout, res.stderr) == (2, "", _refused(label, path, reason))
    assert {p: p.read_bytes() for p in (*work.glob("reg/*"), *work.glob("base/*"))} == before


def test_compare_refuses_the_mapping_rules_and_waiver_files(work: Path) -> None:
    (work / "reg" / "mapping.yaml").write_text("keywords: {}\n", encoding="utf-8")
    (work / "base" / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    (work / "w.yaml").write_text("waivers: []\n", encoding="utf-8")
    for args, expected in [
        (
            ["-o", "reg/mapping.yaml", "-f", "json"],
            _refused("--output", "reg/mapping.yaml", "a file of the region export reg"),
        ),
        (
            ["-o", "base/waivers.yaml", "-f", "json"],
            _refused("--output", "base/waivers.yaml", "a file of the baseline base"),
        ),
        (
            ["--waivers", "w.yaml", "-o", "w.yaml", "-f", "json"],
            _refused("--output", "w.yaml", "the waiver file"),
        ),
    ]:
        res = _compare(*args)
        assert (res.code, res.stderr) == (2, expected)
    assert (work / "reg" / "mapping.yaml").read_text(encoding="utf-8") == "keywords: {}\n"
    assert (work / "base" / "waivers.yaml").read_text(encoding="utf-8") == "waivers: []\n"
    assert (work / "w.yaml").read_text(encoding="utf-8") == "waivers: []\n"


def test_compare_refuses_the_reference_result(result_json: Path) -> None:
    before = result_json.read_bytes()
    res = _compare("--reference", "r.json", "-o", "r.json")
    assert (res.code, res.stderr) == (2, _refused("--output", "r.json", "the --reference result"))
    assert result_json.read_bytes() == before


def test_links_and_hard_links_to_an_input_are_the_input(work: Path) -> None:
    (work / "alias.xml").symlink_to("reg/export.xml")
    os.link(work / "reg" / "export.xml", work / "hard.xml")
    before = (work / "reg" / "export.xml").read_bytes()
    for name in ("alias.xml", "hard.xml", "reg/../reg/export.xml"):
        res = _compare("-o", name, "-f", "json")
        assert (res.code, res.stderr) == (
            2,
            _refused("--output", name, "a file of the region export reg"),
        )
    assert (work / "reg" / "export.xml").read_bytes() == before
    assert (work / "alias.xml").is_symlink()


def _settings(work: Path, outputs: str, main: str = "") -> None:
    (work / "cosmicdiff.toml").write_text(
        f'baseline = "base"\nregions = ["reg"]\n{main}\n[outputs]\n{outputs}\n', encoding="utf-8"
    )


@pytest.mark.parametrize(
    ("outputs", "expected"),
    [
        (
            'json = "cosmicdiff.toml"',
            _refused("[outputs] json", "cosmicdiff.toml", "the settings file"),
        ),
        (
            'json = "reg/region.yaml"',
            _refused("[outputs] json", "reg/region.yaml", "a file of the region export reg"),
        ),
        (
            'html = "report.html"\njunit = "report.html"',
            "cosmicdiff: [outputs] html report.html and [outputs] junit report.html are the same "
            "file; choose different output paths\n",
        ),
    ],
    ids=["settings-file", "export-file", "two-outputs-one-file"],
)
def test_settings_outputs_are_checked(work: Path, outputs: str, expected: str) -> None:
    _settings(work, outputs)
    toml = (work / "cosmicdiff.toml").read_bytes()
    res = run_cli("compare", "--today", TODAY, "-f", "json")
    assert (res.code, res.stdout, res.stderr) == (2, "", expected)
    assert (work / "cosmicdiff.toml").read_bytes() == toml
    assert not (work / "report.html").exists()


def test_the_main_output_and_a_settings_output_must_differ(work: Path) -> None:
    _settings(work, 'json = "reports/r.json"', main='output = "reports/r.json"')
    res = run_cli("compare", "--today", TODAY)
    assert (res.code, res.stderr) == (
        2,
        "cosmicdiff: output reports/r.json and [outputs] json "
        "reports/r.json are the same file; choose different "
        "output paths\n",
    )
    res = run_cli("compare", "--today", TODAY, "-o", "reports/../reports/r.json", "-f", "sarif")
    assert (res.code, res.stderr) == (
        2,
        "cosmicdiff: --output reports/../reports/r.json and "
        "[outputs] "
        "json reports/r.json are the same file; choose "
        "different output paths\n",
    )
    assert not (work / "reports").exists()  # refused before the folder was created


@pytest.mark.parametrize("fmt", [[], ["-f", "json"]], ids=["by-suffix", "by-format"])
def test_an_output_on_the_command_line_that_is_a_settings_output_is_written_once(
    work: Path, fmt: list[str]
) -> None:
    """``compare --format json --output F`` where ``[outputs] json = F`` (a CI line in a
    repository made by ``cosmicdiff init``): one report, not a refusal; its folder is made."""
    _settings(work, 'json = "reports/r.json"\njunit = "reports/r.xml"')
    res = run_cli("compare", "--today", TODAY, "-f", "text")
    assert res.code == 0, res.stderr
    from_settings = (work / "reports" / "r.json").read_bytes()
    shutil.rmtree(work / "reports")
    res = run_cli("compare", "--today", TODAY, "-o", "reports/../reports/r.json", *fmt)
    assert (res.code, res.stdout) == (0, ""), res.stderr
    assert res.stderr.count("deviations") == 1, res.stderr
    assert (work / "reports" / "r.json").read_bytes() == from_settings
    assert (work / "reports" / "r.xml").is_file()  # the other [outputs] still written
    assert sorted(p.name for p in (work / "reports").iterdir()) == ["r.json", "r.xml"]


def test_report_refuses_to_overwrite_its_result(result_json: Path) -> None:
    before = result_json.read_bytes()
    (result_json.parent / "link.json").symlink_to("r.json")
    for args, label in [
        (["r.json", "-o", "r.json"], "r.json"),
        (["r.json", "-o", "link.json", "-f", "json"], "link.json"),
        (["link.json", "-o", "r.json"], "r.json"),
    ]:
        res = run_cli("report", *args)
        assert (res.code, res.stderr) == (
            2,
            _refused("--output", label, "the JSON result it reads"),
        )
    assert result_json.read_bytes() == before


def test_matrix_refuses_its_inputs(work: Path, result_json: Path) -> None:
    res = run_cli("--no-config", "matrix", "--from-result", "r.json", "-o", "r.json")
    assert (res.code, res.stderr) == (2, _refused("--output", "r.json", "the JSON result it reads"))
    res = run_cli(
        "--no-config", "matrix", "reg", "-b", "base", "-o", "base/model.yaml", "-f", "json"
    )
    assert (res.code, res.stderr) == (
        2,
        _refused("--output", "base/model.yaml", "a file of the baseline base"),
    )
    assert json.loads(result_json.read_text(encoding="utf-8"))["schema"] == "cosmicdiff/result/1"


def test_suggest_mapping_refuses_the_regions_mapping_file(work: Path) -> None:
    (work / "reg" / "mapping.yaml").write_text("# hand-written\nkeywords: {}\n", encoding="utf-8")
    res = run_cli("suggest-mapping", "reg", "-b", "base", "-o", "reg/mapping.yaml", "--force")
    assert (res.code, res.stderr) == (
        2,
        _refused("--output", "reg/mapping.yaml", "a file of the region export reg"),
    )
    assert (work / "reg" / "mapping.yaml").read_text(encoding="utf-8") == (
        "# hand-written\nkeywords: {}\n"
    )


def test_baseline_propose_refuses_to_write_into_the_baseline(work: Path) -> None:
    before = {p: p.read_bytes() for p in (work / "base").iterdir()}
    res = run_cli(
        "baseline", "propose", "reg", "-b", "base", "-o", "base", "--force", "--today", TODAY
    )
    assert (res.code, res.stderr) == (
        2,
        _refused("--output", "base/baseline.yaml", "a file of the baseline base"),
    )
    assert {p: p.read_bytes() for p in (work / "base").iterdir()} == before


def test_decisions_commands_refuse_their_inputs(work: Path, result_json: Path) -> None:
    res = run_cli("decisions", "template", "r.json", "-o", "r.json", "--force", "-f", "yaml")
    assert (res.code, res.stderr) == (2, _refused("--output", "r.json", "the JSON result it reads"))
    assert run_cli("decisions", "template", "r.json", "-o", "d.yaml").code == 0
    decisions = (work / "d.yaml").read_bytes()
    for args, expected in [
        (["--waivers", "d.yaml"], _refused("--waivers", "d.yaml", "the decisions file")),
        (["--proposal", "d.yaml"], _refused("--proposal", "d.yaml", "the decisions file")),
        (
            ["--waivers", "x.yaml", "--proposal", "x.yaml"],
            "cosmicdiff: --waivers x.yaml and --proposal x.yaml are the same file; choose "
            "different output paths\n",
        ),
        (
            ["-b", "base", "--proposal", "base/model.yaml"],
            _refused("--proposal", "base/model.yaml", "a file of the baseline base"),
        ),
    ]:
        res = run_cli("decisions", "apply", "d.yaml", *args, "--write", "--today", TODAY)
        assert (res.code, res.stderr) == (2, expected)
    assert (work / "d.yaml").read_bytes() == decisions
    assert not (work / "x.yaml").exists()


def test_decisions_apply_may_update_the_baselines_own_waiver_file(
    work: Path, result_json: Path
) -> None:
    (work / "base" / "waivers.yaml").write_text("waivers: []\n", encoding="utf-8")
    assert run_cli("decisions", "template", "r.json", "-o", "d.yaml").code == 0
    res = run_cli(
        "decisions",
        "apply",
        "d.yaml",
        "-b",
        "base",
        "--waivers",
        "base/waivers.yaml",
        "--today",
        TODAY,
    )
    assert res.code == 0, res.stderr
    res = run_cli(
        "decisions",
        "apply",
        "d.yaml",
        "-b",
        "base",
        "--proposal",
        "base/waivers.yaml",
        "--today",
        TODAY,
    )
    assert (res.code, res.stderr) == (
        2,
        _refused("--proposal", "base/waivers.yaml", "a file of the baseline base"),
    )


def test_a_character_device_is_never_an_input_it_destroys() -> None:
    check_outputs(
        [Output("--output", Path("/dev/null"))], [Input(Path("/dev/null"), "the waiver file")]
    )
    with pytest.raises(Exception, match="are the same file"):
        check_outputs(
            [Output("--output", Path("/dev/null")), Output("[outputs] json", Path("/dev/null"))], []
        )


# --- real processes: the console script, signals, standard streams ------------------------


def _cli_command() -> str:
    script = Path(sys.executable).parent / "cosmicdiff"
    return str(script) if script.is_file() else f"{sys.executable} -m cosmicdiff"


_CLI = _cli_command()
_COMPARE = f"{_CLI} --no-config compare {MINI_COPY} -b {MINI_BASELINE} --today {TODAY}"


def _sh(command: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["sh", "-c", command],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd or ROOT,
        env={**os.environ, "COSMICDIFF_DEBUG": ""},
    )


@pytest.mark.parametrize(
    ("command", "reason"),
    [
        (f"{_COMPARE} --format json >&-", "Bad file descriptor"),
        (f"{_COMPARE} --format json >/dev/full", "No space left on device"),
        (f"{_CLI} rules >&-", "Bad file descriptor"),
        (f"{_CLI} rules >/dev/full", "No space left on device"),
        (f"{_CLI} --version >/dev/full", "No space left on device"),
        (f"{_CLI} --help >&-", "Bad file descriptor"),
    ],
    ids=[
        "compare-closed",
        "compare-full",
        "rules-closed",
        "rules-full",
        "version-full",
        "help-closed",
    ],
)
def test_an_unwritable_stdout_is_one_line_and_exit_2(command: str, reason: str) -> None:
    proc = _sh(command)
    assert (proc.returncode, proc.stderr) == (
        2,
        f"cosmicdiff: cannot write to standard output: {reason}\n",
    )


def test_an_unwritable_stdout_outranks_deviations_found() -> None:
    proc = _sh(
        f"{_CLI} --no-config compare {ROOT / 'tests/fixtures/regions/rep-deviating'} "
        f"-b {MINI_BASELINE} --today {TODAY} --format json >/dev/full"
    )
    assert (proc.returncode, proc.stderr) == (
        2,
        "cosmicdiff: cannot write to standard output: No space left on device\n",
    )


def test_a_report_file_needs_no_stdout(tmp_path: Path) -> None:
    proc = _sh(f"{_COMPARE} -o {tmp_path / 'r.json'} >&-")
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["deviations"] == []


@pytest.mark.parametrize("redirect", ["2>&-", "2>/dev/full"], ids=["closed", "full"])
def test_an_unwritable_stderr_keeps_the_exit_status(redirect: str, tmp_path: Path) -> None:
    ok = _sh(f"{_COMPARE} --format json {redirect}")
    assert ok.returncode == 0 and json.loads(ok.stdout)["exit_status"] == 0
    bad = _sh(
        f"{_CLI} --no-config compare {tmp_path / 'missing'} -b {MINI_BASELINE} "
        f"--format json {redirect}"
    )
    assert (bad.returncode, bad.stdout) == (2, "")
    found = _sh(
        f"{_CLI} --no-config compare {ROOT / 'tests/fixtures/regions/rep-deviating'} "
        f"-b {MINI_BASELINE} --today {TODAY} --format json {redirect}"
    )
    assert found.returncode == 1 and json.loads(found.stdout)["exit_status"] == 1


#: Runs ``cosmicdiff.cli.app.main`` with the report renderer slowed down after its first piece
#: (a test-only patch of the renderer, not a hook in the product): argv[1] is a marker file
#: created once the report is being written, the rest are cosmicdiff's arguments.
_SLOW_REPORT = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    import cosmicdiff.reports as reports
    real = reports.render_chunks
    marker = Path(sys.argv[1])
    def slow(fmt, result, ctx):
        for i, piece in enumerate(real(fmt, result, ctx)):
            yield piece
            if i == 0:
                marker.write_text("writing")
                time.sleep(120)
    reports.render_chunks = slow
    from cosmicdiff.cli.app import main
    sys.argv = ["cosmicdiff", *sys.argv[2:]]
    main()
""")


def _wait_for(path: Path, proc: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.05)


@pytest.mark.parametrize(
    ("signum", "status", "name"),
    [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGHUP, 129, "SIGHUP")],
    ids=["term", "hup"],
)
def test_a_signal_keeps_the_old_report_and_leaves_no_temporary(
    tmp_path: Path, signum: int, status: int, name: str
) -> None:
    out = tmp_path / "reports" / "result.json"
    out.parent.mkdir()
    out.write_text("the previous report", encoding="utf-8")
    marker = tmp_path / "writing"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SLOW_REPORT,
            str(marker),
            "--no-config",
            "compare",
            str(MINI_COPY),
            "-b",
            str(MINI_BASELINE),
            "--today",
            TODAY,
            "-o",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        _wait_for(marker, proc)
        assert _temporaries(out.parent) != []  # the report is half written
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, stdout, stderr) == (status, "", f"cosmicdiff: terminated ({name})\n")
    assert sorted(p.name for p in out.parent.iterdir()) == ["result.json"]
    assert out.read_text(encoding="utf-8") == "the previous report"


#: Runs ``cosmicdiff.cli.app.main`` with each region's comparison slowed down (a test-only
#: patch): every worker writes its pid to argv[1]/<pid> and sleeps.
_SLOW_WORKERS = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    import cosmicdiff.pipeline as engine
    pids = Path(sys.argv[1])
    def slow(*args, **kwargs):
        (pids / str(os.getpid())).write_text("working")
        time.sleep(120)
    engine._compare_region = slow
    from cosmicdiff.cli.app import main
    sys.argv = ["cosmicdiff", *sys.argv[2:]]
    main()
""")


def _alive(pid: int) -> bool:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return text.rsplit(")", 1)[1].split()[0] != "Z"


@needs_fork
def test_sigterm_stops_the_forked_workers(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    regions = sorted(str(p) for p in EXAMPLES.iterdir() if p.is_dir())
    out = tmp_path / "result.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _SLOW_WORKERS,
            str(pids),
            "--no-config",
            "compare",
            *regions,
            "-b",
            str(ROOT / "baselines" / "espir"),
            "--jobs",
            str(len(regions)),
            "-o",
            str(out),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
    )
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < len(regions):
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.05)
        workers = [int(p.name) for p in pids.iterdir()]
        assert all(_alive(pid) for pid in workers)
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert (proc.returncode, stderr) == (143, "cosmicdiff: terminated (SIGTERM)\n")
    assert not any(_alive(pid) for pid in workers)
    assert list(tmp_path.iterdir()) == [pids]
