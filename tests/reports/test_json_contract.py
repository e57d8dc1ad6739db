"""The JSON result against the contract in shared/design/report-json.md."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter

import pytest

from cosmicdiff.rules import ALL_RULES
from reports._support import (
    COPY_SRC,
    DEVIATING_SRC,
    DEVIATING_XML,
    DEVIATION_FIELDS,
    ENTITIES,
    KINDS,
    MANY_SRC,
    MINI_COPY,
    REP_DEVIATING,
    REP_MANY,
    ROOT,
    SEVERITIES,
    TODAY,
    write_region,
)

RULE_CODES = {r.code for r in ALL_RULES}

# (case, kind, rule, severity, entity, baseline_id, local_id, path, field, expected, actual)
DEVIATING = [
    (
        "drugs",
        "unit_changed",
        "CD202",
        "error",
        "keyword",
        "B-SO-5",
        "B-SO-5",
        "B-JM-2/B-SO-5",
        None,
        "mmol/L",
        "µmol/L",
    ),
    (
        "psychiatry",
        "extra",
        "CD104",
        "warning",
        "keyword",
        None,
        "LOK-SO-9",
        "B-JM-1/B-SO-6/LOK-SO-9",
        None,
        None,
        "Lokal anteckning",
    ),
    (
        "psychiatry",
        "attribute_changed",
        "CD207",
        "info",
        "keyword",
        "B-SO-1",
        "B-SO-1",
        "B-JM-1/B-SO-1",
        "description",
        "Aktuell problematik",
        "Aktuell problematik och kontaktorsak",
    ),
    (
        "psychiatry",
        "visibility_changed",
        "CD206",
        "error",
        "keyword",
        "B-SO-2",
        "B-SO-2",
        "B-JM-1/B-SO-6/B-SO-2",
        None,
        "hidden",
        "shown",
    ),
    (
        "psychiatry",
        "renamed",
        "CD105",
        "warning",
        "keyword",
        "B-SO-3",
        "B-SO-3",
        "B-JM-1/B-SO-6/B-SO-3",
        None,
        "Riskfaktorer",
        "Riskfaktorer [bold]fet[/bold] <script>x</script>",
    ),
    (
        "psychiatry",
        "missing",
        "CD103",
        "error",
        "keyword",
        "B-SO-4",
        None,
        "B-JM-1/B-SO-6/B-SO-4",
        None,
        "Skyddsfaktorer",
        None,
    ),
]

# rep-many-kinds: one deviation per line, checked by hand against docs/comparison.md
MANY = [
    (
        "drugs",
        "binding_changed",
        "CD203",
        "warning",
        "keyword",
        "B-SO-5",
        "B-SO-5",
        "B-JM-2/B-SO-5",
        None,
        "atc:N05AN01",
        "atc:N05AN01, local:many:X1",
    ),
    (
        "drugs",
        "mandatory_changed",
        "CD109",
        "warning",
        "keyword",
        "B-SO-5",
        "B-SO-5",
        "B-JM-2/B-SO-5",
        "repeatable",
        "false",
        "true",
    ),
    (
        "drugs",
        "extra",
        "CD102",
        "warning",
        "template",
        None,
        "LOK-JM-9",
        "LOK-JM-9",
        None,
        None,
        "Lokal mall",
    ),
    (
        "drugs",
        "status_changed",
        "CD112",
        "warning",
        "template",
        "B-JM-2",
        "B-JM-2",
        "B-JM-2",
        None,
        "active",
        "inactive",
    ),
    (
        "psychiatry",
        "unresolved_reference",
        "CD120",
        "error",
        "keyword",
        None,
        "SO-UNDEFINED",
        "B-JM-1/SO-UNDEFINED",
        None,
        None,
        None,
    ),
    (
        "psychiatry",
        "renamed",
        "CD106",
        "info",
        "keyword",
        "B-SO-1",
        "B-SO-1",
        "B-JM-1/B-SO-1",
        None,
        "Aktuellt",
        "AKTUELLT",
    ),
    (
        "psychiatry",
        "mandatory_changed",
        "CD109",
        "warning",
        "keyword",
        "B-SO-1",
        "B-SO-1",
        "B-JM-1/B-SO-1",
        "mandatory",
        "true",
        "false",
    ),
    (
        "psychiatry",
        "order_changed",
        "CD107",
        "warning",
        "keyword",
        "B-SO-2",
        "B-SO-2",
        "B-JM-1/B-SO-6/B-SO-2",
        None,
        "1",
        "2",
    ),
    (
        "psychiatry",
        "status_changed",
        "CD205",
        "warning",
        "keyword",
        "B-SO-2",
        "B-SO-2",
        "B-JM-1/B-SO-6/B-SO-2",
        None,
        "active",
        "inactive",
    ),
    (
        "psychiatry",
        "type_changed",
        "CD201",
        "error",
        "keyword",
        "B-SO-3",
        "B-SO-3",
        "B-JM-1/B-SO-6/B-SO-3",
        None,
        "Text",
        "WordProcessing",
    ),
    (
        "psychiatry",
        "moved",
        "CD108",
        "warning",
        "keyword",
        "B-SO-4",
        "B-SO-4",
        "B-JM-1/B-SO-4",
        None,
        "B-JM-1/B-SO-6",
        "(top level)",
    ),
    (
        "psychiatry",
        "attribute_changed",
        "CD110",
        "error",
        "template",
        "B-JM-1",
        "B-JM-1",
        "B-JM-1",
        "noteType",
        "utr",
        "bes",
    ),
    (
        "psychiatry",
        "attribute_changed",
        "CD111",
        "info",
        "template",
        "B-JM-1",
        "B-JM-1",
        "B-JM-1",
        "version",
        "2",
        "3",
    ),
    (
        "psychiatry",
        "extra",
        "CD308",
        "info",
        "term",
        None,
        "local:many:X1",
        "local:many:X1",
        None,
        None,
        "Lokal term",
    ),
    (
        "psychiatry",
        "status_changed",
        "CD309",
        "warning",
        "term",
        "kva:AU118",
        "kva:AU118",
        "kva:AU118",
        None,
        "active",
        "retired",
    ),
    (
        "psychiatry",
        "missing",
        "CD307",
        "warning",
        "term",
        "snomed-ct:366979004",
        None,
        "snomed-ct:366979004",
        None,
        "Nedstämdhet",
        None,
    ),
    (
        "psychiatry",
        "extra",
        "CD304",
        "warning",
        "value",
        None,
        "B-VL-1#4",
        "B-VL-1#4",
        None,
        None,
        "Okänd risk",
    ),
    (
        "psychiatry",
        "order_changed",
        "CD305",
        "info",
        "value",
        "B-VL-1#1",
        "B-VL-1#1",
        "B-VL-1#1",
        None,
        "1",
        "2",
    ),
    (
        "psychiatry",
        "missing",
        "CD303",
        "error",
        "value",
        "B-VL-1#3",
        None,
        "B-VL-1#3",
        None,
        "Hög risk",
        None,
    ),
]


def _row(d: dict) -> tuple:
    return (
        d["case"],
        d["kind"],
        d["rule"],
        d["severity"],
        d["entity"],
        d["baseline_id"],
        d["local_id"],
        d["path"],
        d["field"],
        d["expected"],
        d["actual"],
    )


def _check_contract(doc: dict) -> None:
    """Assert every field of the contract is there, with its type and vocabulary."""
    assert doc["schema"] == "cosmicdiff/result/1"
    assert {"id", "version"} <= doc["baseline"].keys()
    region_ids = {r["id"] for r in doc["regions"]}
    for r in doc["regions"]:
        assert {"id", "name", "source"} <= r.keys()
        assert all(isinstance(r[k], str) for k in ("id", "name", "source"))
    case_ids = {c["id"] for c in doc["cases"]}
    ids = [d["id"] for d in doc["deviations"]]
    assert len(ids) == len(set(ids)), "deviation ids must be unique within a result"
    for d in doc["deviations"]:
        assert d.keys() >= DEVIATION_FIELDS, DEVIATION_FIELDS - d.keys()
        assert re.fullmatch(r"[0-9a-f]{16,64}", d["id"]), d["id"]
        assert d["region"] in region_ids
        assert d["case"] is None or d["case"] in case_ids
        assert d["kind"] in KINDS
        assert d["entity"] in ENTITIES
        assert d["severity"] in SEVERITIES
        assert d["rule"] in RULE_CODES
        assert isinstance(d["waived"], bool)
        assert isinstance(d["message"], str) and d["message"]
        if d["kind"] == "extra":
            assert d["baseline_id"] is None and d["local_id"]
        elif d["kind"] in ("missing",):
            assert d["local_id"] is None and d["baseline_id"]
        elif d["kind"] == "unresolved_reference":
            assert d["baseline_id"] is None and d["local_id"]
        else:
            assert d["baseline_id"] and d["local_id"]
        if d["entity"] == "value":
            assert "#" in (d["baseline_id"] or d["local_id"])
    assert set(doc["summary"]["by_severity"]) == SEVERITIES
    assert doc["summary"]["by_severity"] == {
        s: sum(d["severity"] == s for d in doc["deviations"]) for s in SEVERITIES
    }
    compared = {r["id"] for r in doc["regions"] if r.get("compared", True)}
    assert set(doc["harmonisation"]) == compared
    for per_case in doc["harmonisation"].values():
        assert set(per_case) == case_ids
        for score in per_case.values():
            assert isinstance(score, int | float) and not isinstance(score, bool)
            assert 0 <= score <= 1


def test_deviating_and_identical_region_give_the_contract_document(compare) -> None:
    run = compare(REP_DEVIATING, MINI_COPY)
    assert run.code == 1
    doc = run.doc
    _check_contract(doc)
    assert doc["baseline"]["id"] == "mini" and doc["baseline"]["version"] == "1.0"
    assert [{k: r[k] for k in ("id", "name", "source")} for r in doc["regions"]] == [
        {"id": "deviating", "name": "Region Avvikande", "source": DEVIATING_SRC},
        {"id": "copy", "name": "Region Kopia", "source": COPY_SRC},
    ]
    assert [_row(d) for d in doc["deviations"]] == DEVIATING
    assert {d["region"] for d in doc["deviations"]} == {"deviating"}
    assert not any(d["waived"] for d in doc["deviations"])
    assert doc["summary"]["by_severity"] == {"error": 3, "warning": 2, "info": 1}
    assert doc["harmonisation"] == {
        "deviating": {"psychiatry": 0.5833, "drugs": 0.75},
        "copy": {"psychiatry": 1.0, "drugs": 1.0},
    }
    unit = doc["deviations"][0]
    # the message is free text; it names the item and both values
    assert all(part in unit["message"] for part in ("B-SO-5", "'µmol/L'", "'mmol/L'"))
    assert unit["location"] == {"path": DEVIATING_XML, "line": 32}


def test_identical_copy_has_no_deviations_and_full_harmonisation(compare) -> None:
    run = compare(MINI_COPY)
    assert run.code == 0
    _check_contract(run.doc)
    assert run.doc["deviations"] == []
    assert run.doc["summary"]["by_severity"] == {"error": 0, "warning": 0, "info": 0}
    assert run.doc["harmonisation"] == {"copy": {"psychiatry": 1.0, "drugs": 1.0}}


def test_every_kind_and_entity_uses_the_contract_vocabulary(compare) -> None:
    run = compare(REP_MANY)
    assert run.code == 1
    doc = run.doc
    _check_contract(doc)
    assert doc["regions"][0]["source"] == MANY_SRC
    assert [_row(d) for d in doc["deviations"]] == MANY
    assert {d["entity"] for d in doc["deviations"]} == ENTITIES - {"valuelist"}
    assert Counter(d["severity"] for d in doc["deviations"]) == {
        "error": 4,
        "warning": 11,
        "info": 4,
    }
    assert doc["harmonisation"] == {"many": {"psychiatry": 0.1667, "drugs": 0.5}}


def test_output_is_byte_identical_across_runs(compare) -> None:
    first = compare(REP_DEVIATING, REP_MANY, MINI_COPY)
    second = compare(REP_DEVIATING, REP_MANY, MINI_COPY)
    assert first.stdout == second.stdout
    assert first.stdout.endswith("}\n")
    assert "µmol/L" in first.stdout  # UTF-8, not \u escapes


def test_deviation_ids_do_not_depend_on_other_regions_order_or_lines(compare, tmp_path) -> None:
    alone = {
        (d["region"], d["rule"], d["path"], d["field"]): d["id"]
        for d in compare(REP_DEVIATING).doc["deviations"]
    }
    together = compare(REP_MANY, MINI_COPY, REP_DEVIATING).doc["deviations"]
    assert {
        (d["region"], d["rule"], d["path"], d["field"]): d["id"]
        for d in together
        if d["region"] == "deviating"
    } == alone
    # the same export with every line moved down: same ids, other lines
    shifted = tmp_path / "shifted"
    shifted.mkdir()
    text = (REP_DEVIATING / "export.xml").read_text(encoding="utf-8")
    (shifted / "export.xml").write_text(
        text.replace("<cosmicExport", "<!-- a\nb\nc -->\n<cosmicExport", 1), encoding="utf-8"
    )
    (shifted / "region.yaml").write_text(
        (REP_DEVIATING / "region.yaml").read_text("utf-8"), encoding="utf-8"
    )
    moved = compare(shifted).doc["deviations"]
    assert {(d["region"], d["rule"], d["path"], d["field"]): d["id"] for d in moved} == alone
    assert moved[0]["location"]["line"] == 35


def test_deviation_id_is_the_published_fingerprint(compare) -> None:
    # Waivers, SARIF alert tracking and GitLab fingerprints rely on it: it must not change
    # between releases without a new result schema.
    doc = compare(REP_DEVIATING).doc
    assert doc["deviations"][0]["rule"] == "CD202"
    assert doc["deviations"][0]["id"] == "26bfeb4602fbc7f10bef"


def test_two_regions_with_the_same_deviation_get_different_ids(compare, tmp_path) -> None:
    a = write_region(tmp_path / "a", "alfa", {'unit="mmol/L"': 'unit="mg/L"'})
    b = write_region(tmp_path / "b", "beta", {'unit="mmol/L"': 'unit="mg/L"'})
    devs = compare(a, b).doc["deviations"]
    assert [(d["region"], d["rule"]) for d in devs] == [("alfa", "CD202"), ("beta", "CD202")]
    assert devs[0]["id"] != devs[1]["id"]


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "gitlab", "text"])
def test_output_does_not_depend_on_the_hash_seed(fmt: str) -> None:
    outputs = []
    for seed in ("0", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "NO_COLOR": "1"}
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "cosmicdiff",
                "compare",
                str(REP_DEVIATING),
                str(REP_MANY),
                str(MINI_COPY),
                "-b",
                "tests/fixtures/baselines/mini",
                "--today",
                TODAY,
                "-f",
                fmt,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert proc.returncode == 1, proc.stderr.decode()
        assert b"Traceback" not in proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0]


@pytest.mark.parametrize(
    ("cases", "expected"),
    [
        (
            (),
            (
                "psychiatry",
                ["psychiatry", "drugs"],
                "B-JM-1/B-SO-6",
                {"psychiatry": 0.9167, "drugs": 0.75},
            ),
        ),
        (
            ("drugs", "psychiatry"),
            (
                "psychiatry",
                ["psychiatry", "drugs"],
                "B-JM-1/B-SO-6",
                {"psychiatry": 0.9167, "drugs": 0.75},
            ),
        ),
        (("drugs",), ("drugs", ["drugs"], "B-JM-2/B-SO-6", {"drugs": 0.75})),
    ],
    ids=["all-cases", "both-given-in-other-order", "drugs-only"],
)
def test_item_in_two_cases_counts_in_both(compare, make_region, cases, expected) -> None:
    # B-SO-6 is used by the templates of both cases: `case` is the first in baseline.yaml
    # order, `cases` all of them, and the harmonisation of every case counts it
    region = make_region("alfa", {'name="Bedömning"': 'name="Bedömning och plan"'})
    extra = tuple(arg for c in cases for arg in ("--case", c))
    doc = compare(region, extra=extra).doc
    (dev,) = doc["deviations"]
    assert (dev["case"], dev["cases"], dev["path"]) == expected[:3]
    assert doc["harmonisation"] == {"alfa": expected[3]}
