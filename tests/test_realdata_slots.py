"""openEHR slots on the real files: a slot fill is one finding, its elements grouped in it.

The two versions of the GMS "Referral request iteration 1" template (``.7015a36`` is the
older, sem_ver 12.0.0; the newer is 15.0.0) differ by three slots that the newer one fills,
read by hand in the files:

* service_request.v1 ``protocol[at0008]/items[at0141]`` "Requester" (older file line 3435,
  between the elements at0010 "Requester order identifier" and at0011 "Receiver order
  identifier"): in the newer file ``openEHR-EHR-CLUSTER.person.v0`` stands there (line 3459),
  with 9 items of its own (6 elements and clusters, 3 slots … of which at0017 is filled by
  ``openEHR-EHR-CLUSTER.organisation.v0``, line 3888, with 9 items): 19 items in all;
* ``items[at0142]`` "Receiver" (older line 3503, after at0011): ``organisation.v0``
  (newer line 4471), 9 items;
* informed_consent.v0 ``protocol[at0024]/items[at0028]`` "Consent requester": ``person.v0``
  (newer line 8400), 10 items.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from test_realdata_compare import GMS, REFERRAL_NEW, REFERRAL_OLD, TODAY, compare

if not GMS.is_dir():
    pytest.skip("real data not found", allow_module_level=True)

SR = "openEHR-EHR-INSTRUCTION.service_request.v1/protocol[at0008]/items"
CONSENT = "openEHR-EHR-ACTION.informed_consent.v0/protocol[at0024]/items[at0028]"
PERSON, ORG = "openEHR-EHR-CLUSTER.person.v0", "openEHR-EHR-CLUSTER.organisation.v0"
TEMPLATE = "Referral request iteration 1"

PERSON_ITEMS = [
    f"{PERSON}/items[{c}]" for c in ("at0001", "at0002", "at0003", "at0004", "at0005", "at0006")
] + [f"{PERSON}/items[at0006]/items[{c}]" for c in ("at0007", "at0012", "at0016")]
ORG_ITEMS = (
    [f"{ORG}/items[{c}]" for c in ("at0001", "at0003", "at0004", "at0005", "at0002", "at0006")]
    + [f"{ORG}/items[at0006]/items[{c}]" for c in ("at0007", "at0016")]
    + [f"{ORG}/items[at0017]"]
)


def fills(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["baseline_id"]: d for d in result["deviations"] if d["field"] == "slot_fill"}


def test_each_filled_slot_is_one_finding() -> None:
    code, result, _ = compare(REFERRAL_OLD, REFERRAL_NEW, "--lang", "en")
    assert code == 0  # warnings and info only: the fills, three terminology changes, values
    got = fills(result)
    assert {k: (d["name"], d["local_id"], d["expected"], d["actual"]) for k, d in got.items()} == {
        f"{SR}[at0141]": ("Requester", PERSON, None, PERSON),
        f"{SR}[at0142]": ("Receiver", ORG, None, ORG),
        CONSENT: ("Consent requester", PERSON, None, PERSON),
    }
    for d in got.values():
        assert (d["kind"], d["rule"], d["severity"], d["entity"]) == (
            "attribute_changed",
            "CD209",
            "warning",
            "keyword",
        )
    assert got[f"{SR}[at0141]"]["message"] == (
        f"slot {SR}[at0141] 'Requester' in {TEMPLATE} now holds {PERSON} (+19 elements)"
    )
    assert got[f"{SR}[at0141]"]["path"] == (
        f"{TEMPLATE}/openEHR-EHR-INSTRUCTION.service_request.v1/{PERSON}"
    )
    assert (got[CONSENT]["location"]["line"], got[CONSENT]["baseline_location"]["line"]) == (
        8400,
        6998,
    )
    assert len({d["id"] for d in got.values()}) == 3  # person fills two slots: two ids


def test_the_elements_come_grouped_not_as_extra_items() -> None:
    _, result, _ = compare(REFERRAL_OLD, REFERRAL_NEW, "--lang", "en")
    got = fills(result)
    requester = [g["local_id"] for g in got[f"{SR}[at0141]"]["grouped"]]
    # person's items, then organisation (in person's slot at0017) and its items
    assert requester == [*PERSON_ITEMS, ORG, *ORG_ITEMS]
    assert [g["local_id"] for g in got[f"{SR}[at0142]"]["grouped"]] == ORG_ITEMS
    consent = [g["local_id"] for g in got[CONSENT]["grouped"]]
    assert consent == [*PERSON_ITEMS, f"{PERSON}/items[at0017]"]  # at0017 open here
    medium = got[f"{SR}[at0142]"]["grouped"][6]
    assert medium == {
        "local_id": f"{ORG}/items[at0006]/items[at0007]",
        "path": f"{TEMPLATE}/openEHR-EHR-INSTRUCTION.service_request.v1/{ORG}"
        "/items[at0006]/items[at0007]",
        "name": "Medium",
        "value_list": f"{ORG}/items[at0006]/items[at0007]",
    }
    # nothing of person or organisation is reported on its own: no extra item, no extra
    # value list (Medium and Type come with their elements), no missing slot
    assert not [
        d
        for d in result["deviations"]
        if d["kind"] in ("extra", "missing") and (d["local_id"] or "").startswith((PERSON, ORG))
    ]
    assert not [d for d in result["deviations"] if d["kind"] == "missing"]
    extra_lists = {d["local_id"] for d in result["deviations"] if d["entity"] == "valuelist"}
    assert not any(i.startswith((PERSON, ORG)) for i in extra_lists)
    # 3 fills, 3 terminology changes, 5 values whose code changed (hpo -> hp), 1 version:
    # 12, where item by item there were 30 extra keywords and 3 extra lists besides
    assert len(result["deviations"]) == 12


def test_the_saved_result_reads_back_with_its_groups(tmp_path: Path) -> None:
    saved = tmp_path / "result.json"
    run_cli(
        "compare",
        "--baseline",
        REFERRAL_OLD,
        REFERRAL_NEW,
        "--lang",
        "en",
        "--today",
        TODAY,
        "--format",
        "json",
        "--output",
        saved,
    )
    again = run_cli("report", saved, "--format", "json")
    assert again.code == 0, again.stderr  # report gates like compare (nothing gates here)
    assert json.loads(again.stdout)["deviations"] == json.loads(saved.read_text())["deviations"]
    text = run_cli("report", saved, "--format", "text", "--lang", "en")
    assert (
        f"warning  CD209 keyword attribute changed [slot_fill]: Requester ({SR}[at0141] ↔ "
        f"{PERSON})  expected: (none)  actual: {PERSON} (+19 elements)"
    ) in text.stdout
    markdown = run_cli("report", saved, "--format", "markdown")
    assert f"{PERSON} (+19 element)" in markdown.stdout  # Swedish by default
    html = run_cli("report", saved, "--format", "html", "--lang", "en")
    assert '<details class="grouped"><summary>+19 elements</summary>' in html.stdout
    assert '<li>Medium <span class="ident">' in html.stdout
