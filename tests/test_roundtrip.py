"""A model written by ``export_to_xml`` and read back by ``load_export`` is unchanged."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cosmicdiff.authoring.xml_writer import export_to_xml
from cosmicdiff.checks.integrity import check_export
from cosmicdiff.checks.validate import schema_problems
from cosmicdiff.model import (
    NOTE_TYPES,
    TERM_SYSTEMS,
    Binding,
    Export,
    Item,
    Keyword,
    KeywordType,
    Status,
    Template,
    Term,
    Value,
    ValueList,
)
from cosmicdiff.parsers import load_export

# XML-safe text: no control characters (Cc), surrogates (Cs) or unassigned code points (Cn,
# which hold the non-characters U+FFFE/U+FFFF); Swedish letters drawn often.
_CHARS = st.one_of(
    st.characters(blacklist_categories=("Cc", "Cs", "Cn")),
    st.sampled_from("åäöÅÄÖé –"),
)
TEXT = st.text(_CHARS, max_size=12)
#: A required name: some non-blank character somewhere (surrounding spaces are kept).
NAME = TEXT.filter(lambda s: s.strip() != "")
#: An id: non-empty, no surrounding white space.
IDENT = st.text(_CHARS, min_size=1, max_size=8).filter(lambda s: s == s.strip() and s != "")
#: A token of a space-separated list (template cases): no white space at all.
TOKEN = IDENT.filter(lambda s: s.split() == [s])
SYSTEM = st.one_of(st.sampled_from(sorted(TERM_SYSTEMS)), TOKEN.map(lambda s: f"local:{s}"))
BINDINGS = st.lists(st.builds(Binding, system=SYSTEM, code=IDENT), max_size=2).map(tuple)
STATUS = st.sampled_from(list(Status))


@st.composite
def terms(draw: st.DrawFn) -> dict[str, Term]:
    out: dict[str, Term] = {}
    for _ in range(draw(st.integers(0, 3))):
        term = Term(
            system=draw(SYSTEM),
            code=draw(IDENT),
            status=draw(STATUS),
            displays=draw(
                st.dictionaries(st.sampled_from(["sv", "en", "de", "fi"]), TEXT, max_size=2)
            ),
        )
        out.setdefault(term.key, term)
    return out


@st.composite
def value_lists(draw: st.DrawFn) -> dict[str, ValueList]:
    ids = draw(st.lists(IDENT, unique=True, max_size=3))
    out = {}
    for vl_id in ids:
        codes = draw(st.lists(IDENT, unique=True, max_size=4))
        values = tuple(Value(code=c, display=draw(TEXT), bindings=draw(BINDINGS)) for c in codes)
        out[vl_id] = ValueList(id=vl_id, name=draw(TEXT), values=values)
    return out


@st.composite
def keywords(draw: st.DrawFn, list_ids: list[str]) -> dict[str, Keyword]:
    ids = draw(st.lists(IDENT, unique=True, min_size=1, max_size=5))
    types = [t for t in KeywordType if list_ids or t is not KeywordType.FIX_VALUE]
    out = {}
    for kw_id in ids:
        ktype = draw(st.sampled_from(types))
        value_list = draw(st.sampled_from(list_ids)) if ktype is KeywordType.FIX_VALUE else None
        out[kw_id] = Keyword(
            id=kw_id,
            name=draw(NAME),
            type=ktype,
            unit=draw(st.none() | TEXT),
            value_list=value_list,
            bindings=draw(BINDINGS),
            status=draw(STATUS),
            hidden_from_1177=draw(st.booleans()),
            description=draw(st.none() | TEXT),
        )
    return out


@st.composite
def item_trees(
    draw: st.DrawFn, keyword_ids: list[str], ancestors: tuple[str, ...] = (), depth: int = 0
) -> tuple[Item, ...]:
    usable = [k for k in keyword_ids if k not in ancestors]  # no keyword inside itself
    if not usable or depth > 2:
        return ()
    items = []
    for _ in range(draw(st.integers(0, 3 if depth == 0 else 2))):
        kw = draw(st.sampled_from(usable))
        items.append(
            Item(
                keyword=kw,
                mandatory=draw(st.booleans()),
                repeatable=draw(st.booleans()),
                children=draw(item_trees(keyword_ids, (*ancestors, kw), depth + 1)),
            )
        )
    return tuple(items)


@st.composite
def templates(draw: st.DrawFn, keyword_ids: list[str]) -> dict[str, Template]:
    out = {}
    for tpl_id in draw(st.lists(IDENT, unique=True, max_size=3)):
        out[tpl_id] = Template(
            id=tpl_id,
            name=draw(NAME),
            version=draw(st.none() | TEXT),
            note_type=draw(st.none() | st.sampled_from(sorted(NOTE_TYPES))),
            cases=draw(st.none() | st.lists(TOKEN, max_size=3).map(tuple)),
            status=draw(STATUS),
            items=draw(item_trees(keyword_ids)),
        )
    return out


@st.composite
def exports(draw: st.DrawFn) -> Export:
    lists = draw(value_lists())
    kws = draw(keywords(sorted(lists)))
    return Export(
        region=draw(IDENT),
        cosmic_version=draw(st.none() | NAME),
        exported=draw(st.none() | NAME),
        source="export.xml",
        terms=draw(terms()),
        value_lists=lists,
        keywords=kws,
        templates=draw(templates(sorted(kws))),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exports())
def test_written_export_reads_back_unchanged(original: Export) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "export.xml"
        path.write_bytes(export_to_xml(original))
        read = load_export(path, folder)
        assert read == original
        assert check_export(read) == []
        assert schema_problems(path) == []


def test_swedish_example_reads_back_unchanged(tmp_path: Path) -> None:
    original = Export(
        region="jonkoping",
        cosmic_version="R8.1",
        exported="2026-10-01T08:00:00+02:00",
        source="export.xml",
        terms={
            "kva:AU118": Term(
                system="kva", code="AU118", displays={"sv": "Strukturerad suicidriskbedömning"}
            )
        },
        value_lists={
            "VL-1": ValueList(
                id="VL-1",
                name="Suicidrisk",
                values=(
                    Value(code="1", display="Låg risk"),
                    Value(code="N", display="Nej <&> \"'"),
                ),
            )
        },
        keywords={
            "SO-1": Keyword(
                id="SO-1",
                name="  Åtgärd  ",
                type=KeywordType.FIX_VALUE,
                value_list="VL-1",
                description="  rad ett\n rad två  ",
            ),
            "SO-2": Keyword(
                id="SO-2", name="Bedömning", type=KeywordType.TEXT, unit="", description=""
            ),
        },
        templates={
            "JM-1": Template(
                id="JM-1",
                name="Psykiatrisk bedömning",
                cases=(),
                items=(Item(keyword="SO-2", children=(Item(keyword="SO-1", mandatory=True),)),),
            )
        },
    )
    path = tmp_path / "export.xml"
    path.write_bytes(export_to_xml(original))
    assert load_export(path, tmp_path) == original
