"""The printable HTML report of the shipped examples: self-contained, a cover, the overview
matrix, a chapter per case with side-by-side tables, a decision cell per deviating region,
a glossary and print CSS."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

import pytest

from cosmicdiff import __version__
from reports_people._helpers import (
    ESPIR,
    REGIONS,
    TODAY,
    baseline_templates,
    catalogue,
    header_cells,
    html_doc,
    load_yaml,
    norm,
    row_by_ident,
    section,
    style_text,
    template_table,
    texts,
)

SV = catalogue("sv")
BASELINE = load_yaml(ESPIR / "baseline.yaml")
CASES: dict = BASELINE["cases"]  # type: ignore[index]
REGION_YAML = {p.name: load_yaml(p / "region.yaml") for p in REGIONS}
REGION_NAMES = [REGION_YAML[p.name]["name"] for p in REGIONS]  # type: ignore[index]
TEMPLATE_NAMES = baseline_templates(ESPIR)


@pytest.fixture(scope="module")
def html(example: Callable[..., str]) -> str:
    return example("html")


@pytest.fixture(scope="module")
def doc(html: str):
    return html_doc(html)


# --- self-contained ----------------------------------------------------------------------


def test_self_contained_no_external_resource(html: str, doc) -> None:
    lowered = html.lower()
    for needle in (
        "<script",
        "<link",
        "@import",
        "http://",
        "https://",
        "<iframe",
        "<object",
        "<embed",
        "<img",
        "@font-face",
    ):
        assert needle not in lowered, needle
    # the chart's clip paths and hatches refer to its own elements, never to a URL
    assert re.search(r"url\((?!#)", lowered) is None
    assert len(doc.xpath("//style")) == 1
    assert not doc.xpath("//*[@src or @srcset]")
    assert all(href.startswith("#") for href in doc.xpath("//@href"))
    # nothing needs JavaScript: no event handler attributes
    assert not [
        a
        for el in doc.iter()
        if isinstance(el.tag, str)
        for a in el.attrib
        if a.lower().startswith("on")
    ]


def test_html_is_a_complete_document(html: str, doc) -> None:
    assert html.startswith("<!DOCTYPE html>")
    assert html.endswith("</html>\n")
    assert doc.get("lang") == "sv"
    assert doc.xpath("//meta/@charset") == ["utf-8"]


# --- cover -------------------------------------------------------------------------------


def test_cover_names_baseline_tool_date_and_provenance(doc, example_doc: dict) -> None:
    cover = doc.xpath("//header[contains(@class, 'cover')]")[0]
    h1 = norm(cover.xpath(".//h1")[0].text_content())
    assert h1 == f"{SV['report_title']}: {BASELINE['name']} {BASELINE['version']}"
    meta = {
        norm(tr[0].text_content()): norm(tr[1].text_content())
        for tr in cover.xpath(".//table[1]//tr")
    }
    assert meta[SV["cover_baseline"]] == (
        f"{BASELINE['name']} ({BASELINE['id']}) {SV['version']} {BASELINE['version']}"
    )
    assert meta[SV["cover_source"]] == "espir"
    assert meta[SV["cover_digest"]] == example_doc["baseline"]["digest"]
    assert meta[SV["cover_digest"]].startswith("sha256:")
    assert meta[SV["cover_tool"]] == f"cosmicdiff {__version__}"
    assert meta[SV["cover_evaluated"]] == TODAY
    assert meta[SV["cover_fail_on"]] == SV["severity.error"]
    assert SV["cover_filters"] not in meta  # no filter given


def test_cover_lists_every_region_with_its_export_date(doc) -> None:
    table = doc.xpath("//header[contains(@class, 'cover')]//table[2]")[0]
    assert header_cells(table) == [
        SV["cover_regions"],
        SV["cover_source"],
        SV["cover_exported"],
        SV["cover_cosmic"],
    ]
    rows = [texts(tr.xpath("./td")) for tr in table.xpath("./tbody/tr")]
    expected = []
    for p in REGIONS:
        y = REGION_YAML[p.name]
        expected.append(
            [
                f"{y['name']} ({y['id']})",
                f"examples/regions/{p.name}",
                y["exported"],
                y["cosmicVersion"],
            ]
        )
    assert rows == expected


# --- overview matrix ---------------------------------------------------------------------


def _matrix(doc):
    found = doc.xpath("//table[contains(@class, 'matrix')]")
    assert len(found) == 1
    return found[0]


def test_matrix_one_row_per_region_one_column_per_case(doc) -> None:
    table = _matrix(doc)
    assert header_cells(table) == [SV["region"]] + [
        f"{c['name']} ({cid})" for cid, c in CASES.items()
    ]
    assert texts(table.xpath("./tbody/tr/th")) == REGION_NAMES
    assert all(len(tr.xpath("./td")) == len(CASES) for tr in table.xpath("./tbody/tr"))


def test_matrix_scores_and_counts_match_the_result(doc, example_doc: dict) -> None:
    table = _matrix(doc)
    counts: Counter = Counter(
        (d["region"], d["case"], d["severity"]) for d in example_doc["deviations"]
    )
    for tr, region in zip(table.xpath("./tbody/tr"), example_doc["regions"], strict=True):
        for td, case in zip(tr.xpath("./td"), CASES, strict=True):
            text = norm(td.text_content())
            rid = region["id"]
            after = example_doc["harmonisation"][rid][case]
            raw = example_doc["harmonisation_raw"][rid][case]
            score = f"{after * 100:.0f} %"
            assert norm(td.find_class("score-big")[0].text_content()) == score
            if f"{raw * 100:.0f} %" != score:
                assert f"({raw * 100:.0f} %)" in text
            e, w, i = (counts[(rid, case, s)] for s in ("error", "warning", "info"))
            assert text.endswith(f"{e} / {w} / {i}"), (rid, case, text)
            # readable in grayscale: the band is written out, not only a background colour
            assert norm(td.find_class("band")[0].text_content())


def test_matrix_shows_waivers_raw_and_after(doc) -> None:
    """Kalmar's drugs score counts the waived unit deviation only without waivers."""
    kalmar = _matrix(doc).xpath("./tbody/tr")[REGION_NAMES.index("Region Kalmar län")]
    drugs = kalmar.xpath("./td")[list(CASES).index("drugs")]
    assert norm(drugs.text_content()).startswith("94 % (93 %)")


def test_equal_printed_scores_have_the_same_band(doc) -> None:
    seen: dict[str, set[str]] = {}
    for td in _matrix(doc).xpath("./tbody/tr/td"):
        score = norm(td.find_class("score-big")[0].text_content())
        seen.setdefault(score, set()).add(norm(td.find_class("band")[0].text_content()))
    assert {s: b for s, b in seen.items() if len(b) > 1} == {}


# --- chapters and templates --------------------------------------------------------------


def test_one_section_per_case_named_as_in_the_baseline(doc, example_doc: dict) -> None:
    sections = doc.xpath("//section[contains(concat(' ', @class, ' '), ' case ')]")
    assert [s.get("id") for s in sections] == [f"case-{cid}" for cid in CASES]
    assert [norm(s.xpath("./h2")[0].text_content()) for s in sections] == [
        f"{c['name']} ({cid})" for cid, c in CASES.items()
    ]


def test_every_baseline_template_in_scope_is_an_h3(doc) -> None:
    for cid, case in CASES.items():
        h3 = section(doc, cid).xpath(".//h3")
        shown = {
            norm(s.text_content()): norm(h.text_content())
            for h in h3
            for s in h.find_class("ident")
        }
        for tid in case["templates"]:
            assert shown.get(tid) == f"{TEMPLATE_NAMES[tid]} {tid}", (cid, tid)


def test_every_deviation_is_shown_once(doc, example_doc: dict) -> None:
    assert len(doc.find_class("dev")) == len(example_doc["deviations"])


def test_side_by_side_tables_have_baseline_and_regions(doc) -> None:
    tables = doc.xpath(
        "//section[contains(@class, 'case')]//table[contains(@class, 'side-by-side')]"
    )
    assert tables
    for table in tables:
        head = header_cells(table)
        assert head == [SV["item"], SV["baseline"], *REGION_NAMES]
        for tr in table.xpath("./tbody/tr"):
            assert len(tr.xpath("./td")) == len(head)


def test_known_deviation_in_the_kalmar_column(doc) -> None:
    """Kalmar shows Tidiga hypoteser (ESP-SO-00107) in 1177 Journalen: CD206, error."""
    table = template_table(doc, "ESP-JM-PSY-001")
    row = row_by_ident(table, "ESP-SO-00107")
    cells = row.xpath("./td")
    head = header_cells(table)
    kalmar = cells[head.index("Region Kalmar län")]
    assert "cell-error" in kalmar.get("class")
    devs = kalmar.find_class("dev")
    assert len(devs) == 1
    assert texts(devs[0].find_class("sev")) == [SV["severity.error"]]
    assert "error" in devs[0].find_class("sev")[0].get("class").split()
    text = norm(devs[0].text_content())
    assert "CD206" in text and SV["kind.visibility_changed"] in text
    assert "RKL-SO-20366" in text
    assert f"→ {SV['value.shown']}" in text
    # the baseline's value stands in the baseline column, stated neutrally
    baseline = norm(cells[head.index(SV["baseline"])].text_content())
    assert SV["paper.baseline.visibility_changed"].format(value=SV["value.hidden"]) in baseline
    assert SV["kind.visibility_changed"] not in baseline
    ostergotland = cells[head.index("Region Östergötland")]
    assert "cell-same" in ostergotland.get("class")
    assert norm(ostergotland.text_content()) == SV["same_short"]


def test_waived_deviation_shows_the_waiver_instead_of_boxes(doc) -> None:
    waiver = next(
        w
        for w in load_yaml(ESPIR / "waivers.yaml")["waivers"]  # type: ignore[index]
        if w["id"] == "ESPIR-W-2026-007"
    )
    table = template_table(doc, "ESP-JM-LM-005")
    row = row_by_ident(table, "ESP-SO-00228")
    head = header_cells(table)
    kalmar = row.xpath("./td")[head.index("Region Kalmar län")]
    assert "cell-waived" in kalmar.get("class")
    dev = kalmar.find_class("dev")[0]
    assert "waived" in dev.get("class").split()
    assert "CD202" in norm(dev.text_content())
    decided = kalmar.find_class("decided")
    assert len(decided) == 1
    text = norm(decided[0].text_content())
    assert SV["paper.waived"].format(waiver="ESPIR-W-2026-007", expires="2027-06-30") in text
    assert f"{SV['justification']}: {norm(waiver['reason'])}" in text
    # covered by a valid waiver: no empty boxes to tick
    assert not kalmar.find_class("decide") and not kalmar.find_class("box")


def test_allowed_extension_needs_no_decision(doc, example_doc: dict) -> None:
    allowed = [d for d in example_doc["deviations"] if d["allowed_extension"]]
    assert allowed
    boxes = doc.find_class("allowed")
    assert len(boxes) == len({(d["region"], d["local_id"]) for d in allowed})
    for box in boxes:
        assert norm(box.text_content()) == SV["paper.allowed"]
        assert not box.getparent().find_class("decide")


def test_every_deviating_region_has_its_own_decision_cell(doc, example_doc: dict) -> None:
    options = [SV["decision_adopt"], SV["decision_align"], SV["decision_local"]]
    lines = [SV["paper.justification"], SV["paper.owner"], SV["paper.expires"]]
    decides = doc.find_class("decide")
    to_decide = [
        d for d in example_doc["deviations"] if not d["waived"] and not d["allowed_extension"]
    ]
    refs = []
    for box in decides:
        assert box.getparent().tag == "td"
        assert len(box.find_class("box")) == 3
        assert texts(box.find_class("choice")) == options
        assert texts(box.find_class("fill")) == lines
        assert not [el for el in box.iter() if el.tag == "input"]  # paper, not a form
        ref = norm(box.find_class("ref")[0].text_content())
        assert ref.startswith(SV["paper.ref"] + " ")
        refs += ref.removeprefix(SV["paper.ref"] + " ").split(", ")
    # every deviation to decide has its reference printed once: the sheet's column Ref
    assert sorted(refs) == sorted(d["id"][:8] for d in to_decide)
    # no decision column any more: the boxes stand in the regions' own cells
    assert not doc.find_class("decision")


def test_tidiga_hypoteser_has_one_decision_cell_per_deviating_region(
    doc, example_doc: dict
) -> None:
    """Jönköping's order and Kalmar's 1177 visibility no longer share one set of boxes."""
    devs = [d for d in example_doc["deviations"] if d["baseline_id"] == "ESP-SO-00107"]
    by_region = {d["region"]: d for d in devs}
    assert {r: d["kind"] for r, d in by_region.items()} == {
        "jonkoping": "order_changed",
        "kalmar": "visibility_changed",
    }
    table = template_table(doc, "ESP-JM-PSY-001")
    row = row_by_ident(table, "ESP-SO-00107")
    cells = row.xpath("./td")
    head = header_cells(table)
    names = dict(zip([p.name for p in REGIONS], REGION_NAMES, strict=True))
    for region, name in names.items():
        cell = cells[head.index(name)]
        decide = cell.find_class("decide")
        if region not in by_region:
            assert not decide
            continue
        assert len(decide) == 1
        text = norm(decide[0].text_content())
        assert text.startswith(SV["decision"] + " ")
        assert f"{SV['paper.ref']} {by_region[region]['id'][:8]}" in text
        for key in ("decision_adopt", "decision_align", "decision_local"):
            assert SV[key] in text
        for key in ("paper.justification", "paper.owner", "paper.expires"):
            assert SV[key] in text
    baseline = norm(cells[head.index(SV["baseline"])].text_content())
    assert SV["paper.baseline.order_changed"].format(value="7") in baseline
    assert SV["kind.order_changed"] not in baseline
    jonkoping = norm(cells[head.index(names["jonkoping"])].text_content())
    assert SV["kind.order_changed"] in jonkoping and "→ position 5" in jonkoping


def test_moved_item_is_named_by_its_headings(doc, example_doc: dict) -> None:
    moved = next(
        d for d in example_doc["deviations"] if d["kind"] == "moved" and d["region"] == "kalmar"
    )
    assert moved["expected_label"] == "Psykiskt status" and moved["actual_label"] == "Anamnes"
    table = template_table(doc, moved["template"])
    row = row_by_ident(table, moved["baseline_id"])
    cells = row.xpath("./td")
    head = header_cells(table)
    baseline = norm(cells[head.index(SV["baseline"])].text_content())
    assert baseline == SV["paper.under_heading"].format(value="Psykiskt status")
    kalmar = norm(cells[head.index("Region Kalmar län")].find_class("dev")[0].text_content())
    assert f"→ {SV['paper.under'].format(value='Anamnes')}" in kalmar
    # the paths of ids stay in JSON, not in the people's words
    assert moved["expected"] not in baseline and moved["actual"] not in kalmar


def test_baseline_column_states_values_neutrally(doc) -> None:
    cells = doc.xpath(
        "//table[contains(@class, 'side-by-side')]/tbody/tr[td[contains(@class, 'cell-')]]/td[2]"
    )
    assert cells
    wording = [SV[f"kind.{k}"] for k in ("renamed", "order_changed", "status_changed", "moved")]
    for cell in cells:
        text = norm(cell.text_content())
        assert not any(w in text for w in wording), text
    renamed = row_by_ident(template_table(doc, "ESP-JM-LM-001"), "ESP-JM-LM-001")
    assert SV["paper.baseline.renamed"].format(value="Läkemedelsgenomgång") in norm(
        renamed.xpath("./td")[1].text_content()
    )


def test_glossary_lists_every_rule_code_used(doc, example_doc: dict) -> None:
    used = sorted({d["rule"] for d in example_doc["deviations"]})
    glossary = doc.xpath("//section[@id='glossary']")[0]
    assert norm(glossary.xpath("./h2")[0].text_content()) == SV["glossary"]
    rows = [texts(tr.xpath("./td")) for tr in glossary.xpath(".//tbody/tr")]
    assert [r[0] for r in rows] == used
    for code, _name, _sev, text in rows:
        assert text == SV[f"rule.{code}"]


def test_severities_are_written_out_for_grayscale(doc) -> None:
    words = {SV["severity.error"], SV["severity.warning"], SV["severity.info"]}
    for dev in doc.find_class("dev"):
        assert texts(dev.find_class("sev"))[0] in words


# --- print CSS ---------------------------------------------------------------------------


def test_print_css(html: str) -> None:
    css = style_text(html)
    flat = re.sub(r"\s+", " ", css)
    assert "@page" in flat
    assert re.search(r"size: A4\b", flat)
    assert re.search(r"@page[^{]*\{[^}]*margin", flat)
    assert "thead { display: table-header-group" in flat
    assert "break-inside: avoid" in flat
    # a region's decision cell is never split across pages
    assert re.search(r"\.decide, \.decided \{[^}]*break-inside: avoid", flat)
    assert "counter(page)" in flat and "counter(pages)" in flat
    assert "string-set" in flat and "string(chapter" in flat
    assert "@top-left" in flat
