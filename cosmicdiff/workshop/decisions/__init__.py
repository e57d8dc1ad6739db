"""Workshop decisions: a file to fill in from a Result, and what a filled one turns into.

The round trip of a harmonisation workshop: ``cosmicdiff decisions template result.json``
writes one row per deviation (YAML or an Excel workbook); the facilitator fills in a
``decision`` for each row (in a workbook in the report's words: *Anta i
grundkonfigurationen*, *Regionen anpassar sig*, *Lokal variant*, which ``apply`` takes as
well as the codes); ``cosmicdiff decisions apply`` reads it back, checks every row and turns
``accept`` rows into waivers, ``adopt`` rows into a baseline change proposal and ``align``
rows into a work list per region.

A template in YAML (the keys and codes stay English, as ``apply`` reads them; the comments,
Swedish by default, say the codes in words and name the fields to fill in)::

    schema: cosmicdiff/decisions/1
    baseline: {id: espir, version: '2026.1'}
    evaluated_on: '2026-11-23'
    lang: sv
    filters: []
    decisions:
      - id: 6f7c1a93e2b04d5a9c11
        ref: 6f7c1a93
        name: Tidiga hypoteser
        region: kalmar
        case: psychiatry
        kind: visibility_changed  # annan synlighet i 1177 Journalen
        ...
        expected: hidden  # dold i 1177
        actual: shown  # visas i 1177
        message: keyword ESP-SO-00107 ...
        waived:
        # fyll i
        decision: accept  # Beslut: adopt, align, accept eller tomt
        justification: Lokalt beslut om ...  # Motivering
        owner: Förvaltningsobjekt Vårdtjänster, Region Kalmar län
        expires: 2027-06-30
        decided_by: eSPiR styrgrupp
        decision_ref: eSPiR-styrgruppen 2026-09-14 §12
        comment:

Reading is pure apart from the file itself; every problem of a filled file is collected and
raised together (``InputErrors``), one line each with ``file:line`` (YAML) or
``file: Sheet!Cell`` (XLSX).

The package's modules, in the order of the round trip (this module is their public face):

* ``model``: the columns, ``Decision``, ``Row``, ``Spot`` and ``DecisionsFile``;
* ``texts``: the texts for people, in Swedish and English;
* ``words``: a deviation's codes in the report's words (the workbook's cells, YAML comments);
* ``template``: the file to fill in, from a result (YAML and XLSX);
* ``read`` and ``check``: a filled file read back into rows, and the rows checked;
* ``readonly``: a workbook's grey cells compared with the hidden copy the template keeps;
* ``waivers``: accepted rows as waivers, merged into a waiver file;
* ``proposal``: adopt and align rows as a baseline change proposal;
* ``apply``: the plan of what applying the file writes;
* ``files``: reading the files these tools take in.
"""

from __future__ import annotations

from cosmicdiff.workshop.decisions.apply import ApplyPlan, plan_apply, unified_diff
from cosmicdiff.workshop.decisions.check import check_baseline, check_rows
from cosmicdiff.workshop.decisions.model import (
    COLUMNS,
    DECISIONS_SCHEMA,
    READ_ONLY,
    TO_FILL,
    Decision,
    DecisionsFile,
    Row,
    Spot,
)
from cosmicdiff.workshop.decisions.proposal import (
    PROPOSAL_SCHEMA,
    Proposal,
    build_proposal,
    render_proposal,
)
from cosmicdiff.workshop.decisions.read import read_decisions
from cosmicdiff.workshop.decisions.template import (
    render_xlsx,
    render_yaml,
    rows_from_result,
    template_from_result,
)
from cosmicdiff.workshop.decisions.waivers import (
    check_waiver_text,
    merge_waivers,
    waiver_entries,
    waiver_entry,
    waiver_id,
)

__all__ = [
    "COLUMNS",
    "DECISIONS_SCHEMA",
    "PROPOSAL_SCHEMA",
    "READ_ONLY",
    "TO_FILL",
    "ApplyPlan",
    "Decision",
    "DecisionsFile",
    "Proposal",
    "Row",
    "Spot",
    "build_proposal",
    "check_baseline",
    "check_rows",
    "check_waiver_text",
    "merge_waivers",
    "plan_apply",
    "read_decisions",
    "render_proposal",
    "render_xlsx",
    "render_yaml",
    "rows_from_result",
    "template_from_result",
    "unified_diff",
    "waiver_entries",
    "waiver_entry",
    "waiver_id",
]
