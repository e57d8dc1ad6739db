"""Forms that share few items: softened only where a standard format is involved.

Two COSMIC templates paired by id or mapping.yaml are one template in two versions: however
few items they share, their missing items stay errors (the gate must not turn green because a
region replaced most of a template). Two standard-format forms (FHIR, openEHR) with the same
id may be two different forms: there the unshared items are listed at info.
"""

from __future__ import annotations

from cosmicdiff.match.identity import Matches, Pairing
from cosmicdiff.model import Baseline, Export, Item, KeywordId, Template, TemplateId
from cosmicdiff.rules.few_shared import UnlikePair, unlike_pairs
from cosmicdiff.vocabulary import MatchMethod


def _template(prefix: str, n: int) -> Template:
    items = tuple(Item(keyword=KeywordId(f"{prefix}{i}")) for i in range(n))
    return Template(id=TemplateId("T"), name="Form", items=items)


def _pair(base_format: str, region_format: str) -> list[UnlikePair]:
    base = Export(region="b", templates={"T": _template("B", 12)}, formats=(base_format,))
    region = Export(region="r", templates={"T": _template("R", 12)}, formats=(region_format,))
    baseline = Baseline(id="b", name="b", version="1", export=base)
    templates = Pairing()
    templates.add("T", "T", MatchMethod.ID)
    keywords = Pairing()
    keywords.add("R0", "B0", MatchMethod.ID)  # 1 of 12 shared
    matches = Matches(templates=templates, keywords=keywords, value_lists=Pairing())
    return list(unlike_pairs(baseline, region, matches))


def test_cosmic_templates_that_share_few_items_are_not_softened() -> None:
    assert _pair("cosmic-xml", "cosmic-xml") == []
    assert _pair("cosmic-yaml", "cosmic-csv") == []


def test_standard_format_forms_that_share_few_items_are_unlike() -> None:
    (pair,) = _pair("fhir", "fhir")
    assert pair.shared == 1
    assert len(_pair("cosmic-xml", "openehr-opt")) == 1
