"""The XML reader's fast path accepts exactly what the checking getters accept, and builds
the same records (with the same lines): every case is read twice, once as the reader does
and once with the fast path declining every record, and the outcomes must be equal."""

from __future__ import annotations

import dataclasses
import enum
import random
from pathlib import Path
from typing import Any

import pytest

from cosmicdiff.errors import CosmicdiffError
from cosmicdiff.parsers.cosmic import xml_fast
from cosmicdiff.parsers.cosmic.xml_export import read_xml_export
from parsers.helpers import DECL, END, ROOT, write

REPO = Path(__file__).resolve().parents[2]
SHIPPED = sorted((REPO / "examples").rglob("*.xml")) + sorted((REPO / "tests").rglob("*.xml"))


def deep(value: Any) -> Any:
    """Return ``value`` as plain tuples, locations included (the records' == leaves them out)."""
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            *(deep(getattr(value, f.name)) for f in dataclasses.fields(value)),
        )
    if isinstance(value, tuple | list):
        return (type(value).__name__, *(deep(v) for v in value))
    if isinstance(value, dict):
        return tuple(sorted((k, deep(v)) for k, v in value.items()))
    return value


def outcome(path: Path) -> Any:
    """Return the fragment read from ``path`` (deeply), or its problems."""
    try:
        frag = read_xml_export(path, path.name)
    except CosmicdiffError as exc:
        return ("refused", tuple(exc.lines()))
    return deep(frag)


def both(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """Return the outcome with the fast path and with the checking getters alone."""
    fast = outcome(path)
    with monkeypatch.context() as m:
        for name in ("keyword", "template", "value_list"):
            m.setattr(xml_fast.FastReader, name, lambda self, el: None)
        slow = outcome(path)
    return fast, slow


def test_the_shipped_and_test_exports_read_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    checked = 0
    for path in SHIPPED:
        if b"urn:cosmicdiff:export:1" not in path.read_bytes():
            continue
        fast, slow = both(path, monkeypatch)
        assert fast == slow, path
        checked += 1
    assert checked >= 10


GOOD = (
    "  <keywords>\n"
    '    <keyword id="K1" name="Puls" type="Numeric" unit="/min" status="active"'
    ' hiddenFrom1177="false"/>\n'
    '    <keyword id="K2" name="Rubrik" type="WordProcessing">\n'
    '      <binding system="snomed-ct" code="1234"/>\n'
    "      <description>Om rubriken</description>\n"
    "    </keyword>\n"
    '    <keyword id="K3" name="Svar" type="FixValue" valueList="VL1"/>\n'
    "  </keywords>\n"
    "  <valueLists>\n"
    '    <valueList id="VL1" name="Ja/nej">\n'
    '      <value code="J" display="Ja"><binding system="kva" code="X1"/></value>\n'
    '      <value code="N" display="Nej"/>\n'
    "    </valueList>\n"
    "  </valueLists>\n"
    "  <templates>\n"
    '    <template id="T1" name="Mall" version="2" noteType="Inskrivning" cases="a b">\n'
    '      <item keyword="K2" mandatory="true">\n'
    '        <item keyword="K1" repeatable="1"/>\n'
    '        <item keyword="K3"/>\n'
    "      </item>\n"
    "    </template>\n"
    "  </templates>\n"
)

#: (what is changed, the text, its replacement): each is read both ways
CHANGES = [
    ("as written", "", ""),
    ("unknown keyword attribute", 'type="Numeric"', 'type="Numeric" colour="red"'),
    ("blank name", 'name="Puls"', 'name="  "'),
    ("name with spaces kept", 'name="Puls"', 'name=" Puls "'),
    ("type with spaces", 'type="Numeric"', 'type=" Numeric "'),
    ("unknown type", 'type="Numeric"', 'type="Numerik"'),
    ("empty type", 'type="Numeric"', 'type=""'),
    ("no type", ' type="Numeric"', ""),
    ("status with spaces", 'status="active"', 'status=" inactive "'),
    ("unknown status", 'status="active"', 'status="gone"'),
    ("boolean 1", 'hiddenFrom1177="false"', 'hiddenFrom1177="1"'),
    ("boolean with spaces", 'hiddenFrom1177="false"', 'hiddenFrom1177=" true "'),
    ("not a boolean", 'hiddenFrom1177="false"', 'hiddenFrom1177="ja"'),
    ("empty value list", 'valueList="VL1"', 'valueList=""'),
    (
        "text in a keyword",
        '"/min" status="active" hiddenFrom1177="false"/>',
        '"/min" status="active" hiddenFrom1177="false">x</keyword>',
    ),
    (
        "two descriptions",
        "<description>Om rubriken</description>",
        "<description>a</description><description>b</description>",
    ),
    ("empty description", "<description>Om rubriken</description>", "<description/>"),
    (
        "attribute on a description",
        "<description>Om rubriken</description>",
        '<description lang="sv">Om rubriken</description>',
    ),
    (
        "element in a description",
        "<description>Om rubriken</description>",
        "<description>a<b/></description>",
    ),
    ("unknown keyword child", "<description>Om rubriken</description>", "<note/>"),
    (
        "text after a binding",
        '<binding system="snomed-ct" code="1234"/>',
        '<binding system="snomed-ct" code="1234"/>tail',
    ),
    ("blank binding code", 'code="1234"', 'code=" "'),
    ("unknown binding attribute", 'code="1234"', 'code="1234" version="1"'),
    (
        "text in a binding",
        '<binding system="snomed-ct" code="1234"/>',
        '<binding system="snomed-ct" code="1234">t</binding>',
    ),
    ("value without code", '<value code="N" display="Nej"/>', '<value display="Nej"/>'),
    ("value without display", '<value code="N" display="Nej"/>', '<value code="N"/>'),
    ("unknown value attribute", 'display="Nej"', 'display="Nej" rank="2"'),
    ("text in a value", '<value code="N" display="Nej"/>', '<value code="N">Nej</value>'),
    ("value binding without system", '<binding system="kva" code="X1"/>', '<binding code="X1"/>'),
    ("element in a value list", '<value code="N" display="Nej"/>', "<item keyword='K1'/>"),
    ("text between values", '<value code="N" display="Nej"/>', 'x<value code="N" display="Nej"/>'),
    ("value list without id", 'id="VL1" name', "name"),
    ("value list without name", ' name="Ja/nej"', ""),
    ("unknown template attribute", 'version="2"', 'version="2" owner="x"'),
    ("template without cases", ' cases="a b"', ""),
    ("blank template name", 'name="Mall"', 'name=""'),
    ("template status", 'cases="a b"', 'cases="a b" status="retired"'),
    ("bad template status", 'cases="a b"', 'cases="a b" status="x"'),
    ("item without keyword", '<item keyword="K3"/>', "<item/>"),
    ("blank item keyword", '<item keyword="K3"/>', '<item keyword=" "/>'),
    ("bad item flag", 'repeatable="1"', 'repeatable="yes"'),
    ("item flag with spaces", 'repeatable="1"', 'repeatable=" 0 "'),
    ("unknown item attribute", 'repeatable="1"', 'repeatable="1" hidden="true"'),
    ("text in an item", '<item keyword="K3"/>', '<item keyword="K3">x</item>'),
    ("text after an item", '<item keyword="K3"/>', '<item keyword="K3"/>x'),
    ("element in an item", '<item keyword="K3"/>', '<item keyword="K3"><value code="1"/></item>'),
    (
        "text in a template",
        '<item keyword="K2" mandatory="true">',
        'x<item keyword="K2" mandatory="true">',
    ),
]


@pytest.mark.parametrize(("what", "old", "new"), CHANGES, ids=[c[0] for c in CHANGES])
def test_a_changed_record_reads_alike(
    what: str, old: str, new: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = GOOD.replace(old, new, 1) if old else GOOD
    assert body != GOOD or not old, f"{what}: the change is not in the fixture"
    path = write(tmp_path, "export.xml", DECL + ROOT + body + END)
    fast, slow = both(path, monkeypatch)
    assert fast == slow
    if what == "as written":
        assert fast[0] == "Fragment"


#: what the seeded edits below insert: attributes, flags, text, elements, markup
SNIPPETS = [
    ' x="1"',
    ' mandatory=" true"',
    ' repeatable="no"',
    "text",
    ' status="retired"',
    ' status=" active "',
    '<item keyword="Q"/>',
    '<binding system="kva" code="X"/>',
    "<description>d</description>",
    ' type=" Text"',
    ' keyword=""',
    ' code=" "',
    ' hiddenFrom1177="1"',
    '<value code="z"/>',
    ' valueList=""',
    "&amp;",
    ' unit=""',
    ' display=""',
    "<!-- c -->",
    "<?pi x?>",
    "<![CDATA[ c ]]>",
]


def _edited(text: str, rng: random.Random) -> str:
    """Return ``text`` with one to three random edits (an insertion, a deleted span, or a
    changed attribute value)."""
    for _ in range(rng.randint(1, 3)):
        pos = rng.randrange(len(text))
        op = rng.random()
        if op < 0.5:
            text = text[:pos] + rng.choice(SNIPPETS) + text[pos:]
        elif op < 0.8:
            text = text[:pos] + text[pos + rng.randint(1, 12) :]
        elif (quote := text.find('"', pos)) > 0:
            text = (
                text[: quote + 1] + rng.choice(["", " ", "true", "Text", "x"]) + text[quote + 1 :]
            )
    return text


def test_randomly_edited_exports_read_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seeded edits of the shipped exports: both paths give the same records or problems."""
    sources = [p.read_text(encoding="utf-8") for p in sorted((REPO / "examples").rglob("*.xml"))]
    rng = random.Random(19)
    read = 0
    for n in range(300):
        path = write(tmp_path, f"edit-{n}.xml", _edited(rng.choice(sources), rng))
        fast, slow = both(path, monkeypatch)
        assert fast == slow, path.read_text(encoding="utf-8")
        read += fast[0] == "Fragment"
    assert read >= 20  # a tenth of the edits leave a readable export: the fast path runs
