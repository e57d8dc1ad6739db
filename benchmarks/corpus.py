"""The synthetic baseline: a small mutable model, its generator and a fast XML writer.

The model here is deliberately not cosmicdiff's (frozen, validated) model: the generator
mutates copies of the baseline to make the regions, and writes tens of MB of XML with plain
string building, which is several times faster than building an lxml tree.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from benchmarks import vocabulary as voc

NS = "urn:cosmicdiff:export:1"
CASES = (
    ("psychiatry", "Beslutsstöd för psykiatrin", "PSY"),
    ("drugs", "Läkemedel", "LM"),
    ("referrals", "Remisshantering", "REM"),
)
CASE_SHARE = (0.4, 0.3, 0.3)
#: Keyword types and their share; FixValue is raised so that every value list is used.
TYPE_WEIGHTS = (
    ("Text", 30),
    ("FixValue", 16),
    ("Numeric", 12),
    ("WordProcessing", 8),
    ("DateTime", 8),
    ("Boolean", 9),
    ("CheckboxConfigurable", 4),
    ("ClinicalCoding", 4),
    ("Formula", 3),
    ("BloodPressure", 2),
    ("Register", 2),
    ("Other", 2),
)


@dataclass(slots=True)
class Term:
    system: str
    code: str
    display: str
    status: str = "active"
    en: str | None = None

    @property
    def key(self) -> str:
        return f"{self.system}:{self.code}"


@dataclass(slots=True)
class Value:
    code: str
    display: str
    bindings: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class VList:
    id: str
    name: str
    kind: str
    values: list[Value] = field(default_factory=list)


@dataclass(slots=True)
class Keyword:
    id: str
    name: str
    type: str
    unit: str | None = None
    vl: str | None = None
    bindings: list[tuple[str, str]] = field(default_factory=list)
    status: str = "active"
    hidden: bool = False
    description: str | None = None


@dataclass(slots=True, eq=False)
class Node:
    kw: str
    mandatory: bool = False
    repeatable: bool = False
    children: list[Node] = field(default_factory=list)
    base: Node | None = None  # the baseline node a region node was copied from


@dataclass(slots=True)
class Template:
    id: str
    name: str
    case: str
    version: str
    note_type: str
    cases: list[str] | None = None
    status: str = "active"
    items: list[Node] = field(default_factory=list)


@dataclass(slots=True)
class Model:
    """One export (baseline or region): records keyed by id, in write order."""

    terms: dict[str, Term] = field(default_factory=dict)
    value_lists: dict[str, VList] = field(default_factory=dict)
    keywords: dict[str, Keyword] = field(default_factory=dict)
    templates: dict[str, Template] = field(default_factory=dict)


def walk(
    items: list[Node], ancestors: tuple[Node, ...] = ()
) -> Iterator[tuple[tuple[Node, ...], Node]]:
    """Yield ``(ancestors, node)`` depth first in document order."""
    for node in items:
        yield ancestors, node
        if node.children:
            yield from walk(node.children, (*ancestors, node))


def sibling_lists(tpl: Template) -> list[tuple[Node | None, list[Node]]]:
    """Return every list of siblings of a template: the top level and each heading's children."""
    out: list[tuple[Node | None, list[Node]]] = [(None, tpl.items)]
    out.extend((n, n.children) for _, n in walk(tpl.items) if n.children)
    return out


@dataclass(frozen=True, slots=True)
class Sizes:
    """How many records of each kind the baseline has."""

    keywords: int
    templates: int
    value_lists: int

    @classmethod
    def scaled(
        cls, scale: float, keywords: int | None, templates: int | None, value_lists: int | None
    ) -> Sizes:
        """Return the default sizes times ``scale``, overridden by explicit counts."""
        return cls(
            keywords=keywords or max(40, round(30000 * scale)),
            templates=templates or max(12, round(6000 * scale)),
            value_lists=value_lists or max(8, round(4000 * scale)),
        )


class Codes:
    """Hand out term codes that are unique over the whole corpus."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self._snomed = itertools.count(rng.randrange(100000, 200000), 7)
        self._loinc = itertools.count(rng.randrange(10000, 20000), 3)

    def fresh(self, system: str) -> str:
        """Return a code of ``system`` not used anywhere yet."""
        while True:
            if system == "snomed-ct":
                code = voc.snomed_code(next(self._snomed), self.rng.random() < 0.6)
            elif system == "loinc":
                code = voc.loinc_code(next(self._loinc))
            elif system == "kva":
                code = voc.kva_code(self.rng)
            else:
                raise ValueError(system)
            if f"{system}:{code}" not in self.used:
                self.used.add(f"{system}:{code}")
                return code


class BaselineBuilder:
    """Generate the baseline model deterministically from one random generator."""

    def __init__(
        self, sizes: Sizes, rng: random.Random, namers: dict[str, voc.Namer], codes: Codes
    ) -> None:
        self.sizes = sizes
        self.rng = rng
        self.namers = namers
        self.codes = codes
        self.model = Model()
        self.case_of: dict[str, str] = {}

    def build(self) -> Model:
        """Return the baseline: value lists, keywords, templates, then the term catalogue."""
        self._value_lists()
        self._keywords()
        self._templates()
        self._padding_terms()
        return self.model

    # -- terms ---------------------------------------------------------------------------------
    def term(self, system: str, code: str, display: str) -> tuple[str, str]:
        key = f"{system}:{code}"
        if key not in self.model.terms:
            self.model.terms[key] = Term(system, code, display)
            self.codes.used.add(key)
        return system, code

    def _padding_terms(self) -> None:
        """Add catalogue terms that nothing binds (out of scope, as in real catalogues)."""
        for _ in range(max(2, len(self.model.terms) // 30)):
            code = self.codes.fresh("snomed-ct")
            self.model.terms[f"snomed-ct:{code}"] = Term(
                "snomed-ct", code, self.rng.choice(voc.FINDINGS).lower()
            )

    # -- value lists ---------------------------------------------------------------------------
    def _value_lists(self) -> None:
        finding_codes = {f: self.codes.fresh("snomed-ct") for f in voc.FINDINGS}
        self.finding_codes = finding_codes
        for n in range(1, self.sizes.value_lists + 1):
            name, kind = self.namers["valueList"].value_list()
            vl = VList(id=f"ESP-VL-{n:04d}", name=name, kind=kind)
            vl.values = self._values(kind)
            self.model.value_lists[vl.id] = vl

    def _values(self, kind: str) -> list[Value]:
        r = self.rng
        if kind == "grad" or kind == "grade":
            k = r.randint(3, len(voc.GRADES))
            vals = [Value(str(i), d) for i, d in enumerate(voc.GRADES[:k])]
            if r.random() < 0.4:
                vals.append(Value("9", "Kan ej bedömas"))
            return vals
        if kind == "frequency":
            k = r.randint(3, len(voc.FREQUENCIES))
            return [Value(str(i), d) for i, d in enumerate(voc.FREQUENCIES[:k])]
        if kind == "answer":
            k = r.randint(2, len(voc.ANSWERS))
            return [Value(c, d) for c, d in voc.ANSWERS[:k]]
        if kind == "scale":
            top = r.choice((3, 4, 5, 6, 10))
            return [
                Value(
                    str(i),
                    f"{i} – inga besvär"
                    if i == 0
                    else f"{i} – värsta tänkbara"
                    if i == top
                    else str(i),
                )
                for i in range(top + 1)
            ]
        if kind == "side":
            k = r.randint(3, len(voc.SIDES))
            return [Value(c, d, [self.term("kva", z, d)] if z else []) for c, d, z in voc.SIDES[:k]]
        if kind == "urgency":
            k = r.randint(3, len(voc.URGENCY))
            return [Value(c, d) for c, d in voc.URGENCY[:k]]
        if kind == "drug":
            drugs = r.sample(voc.SUBSTANCES, r.randint(3, 10))
            return [
                Value(_abbrev(d, i), d, [self.term("atc", c, d)]) for i, (c, d) in enumerate(drugs)
            ]
        if kind == "diagnosis":
            diagnoses = r.sample(voc.DIAGNOSES, r.randint(3, 8))
            return [Value(c, d, [self.term("icd-10-se", c, d)]) for c, d in diagnoses]
        if kind == "finding":
            findings = r.sample(voc.FINDINGS, r.randint(3, 8))
            return [
                Value(str(i + 1), d, [self.term("snomed-ct", self.finding_codes[d], d.lower())])
                for i, d in enumerate(findings)
            ]
        options = r.sample(voc.GENERIC_OPTIONS, r.randint(3, 9))
        return [Value(_abbrev(d, i), d) for i, d in enumerate(options)]

    # -- keywords ------------------------------------------------------------------------------
    def _keywords(self) -> None:
        r = self.rng
        n = self.sizes.keywords
        types, weights = zip(*TYPE_WEIGHTS, strict=True)
        kinds = r.choices(types, weights=weights, k=n)
        lists = list(self.model.value_lists)
        r.shuffle(lists)
        fix_slots = [i for i, t in enumerate(kinds) if t == "FixValue"]
        # every value list is used by at least one keyword
        for _ in range(len(fix_slots), len(lists)):
            j = r.randrange(n)
            while kinds[j] == "FixValue":
                j = r.randrange(n)
            kinds[j] = "FixValue"
        fix_iter = iter(lists)
        for i in range(n):
            kw = Keyword(
                id=f"ESP-SO-{i + 1:05d}", name=self.namers["keyword"].keyword(), type=kinds[i]
            )
            if kw.type == "FixValue":
                kw.vl = next(fix_iter, None) or r.choice(lists)
            elif kw.type == "Numeric" and r.random() < 0.85:
                kw.unit = r.choice(voc.UNITS)
            elif kw.type == "BloodPressure":
                kw.unit = "mm[Hg]"
            if r.random() < 0.10:
                self._bind(kw)
            if r.random() < 0.15:
                kw.description = f"{kw.name} {r.choice(voc.DESCRIPTION_PHRASES)}"
            kw.hidden = r.random() < 0.05
            roll = r.random()
            kw.status = "inactive" if roll < 0.02 else "retired" if roll < 0.03 else "active"
            self.model.keywords[kw.id] = kw

    def _bind(self, kw: Keyword) -> None:
        r = self.rng
        system = r.choices(("snomed-ct", "kva", "loinc"), weights=(70, 20, 10))[0]
        display = kw.name.lower() if system == "snomed-ct" else kw.name
        kw.bindings.append(self.term(system, self.codes.fresh(system), display))
        if system == "kva" and r.random() < 0.3:
            kw.bindings.append(
                self.term("snomed-ct", self.codes.fresh("snomed-ct"), kw.name.lower())
            )

    # -- templates -----------------------------------------------------------------------------
    def _templates(self) -> None:
        r = self.rng
        n = self.sizes.templates
        counts = [max(1, round(n * s)) for s in CASE_SHARE]
        counts[0] = n - counts[1] - counts[2]
        sizes = [_item_count(r) for _ in range(n)]
        slots = self._keyword_slots(sum(sizes))
        pos = 0
        for (case, _, tag), count in zip(CASES, counts, strict=True):
            for k in range(1, count + 1):
                tpl = Template(
                    id=f"ESP-JM-{tag}-{k:04d}",
                    name=self.namers["template"].template(case),
                    case=case,
                    version=str(r.randint(1, 7)),
                    note_type=r.choice(voc.CASE_NOTE_TYPES[case]),
                )
                if r.random() < 0.3:
                    tpl.cases = [case]
                size = sizes[len(self.model.templates)]
                tpl.items = self._tree(slots[pos : pos + size])
                pos += size
                self.model.templates[tpl.id] = tpl
                self.case_of[tpl.id] = case
        self._use_every_keyword()

    def _keyword_slots(self, total: int) -> list[str]:
        """Return ``total`` keyword ids: every keyword once, the rest Zipf-like from a core."""
        r = self.rng
        ids = list(self.model.keywords)
        r.shuffle(ids)
        core = ids[: max(10, len(ids) // 7)]
        cum = list(itertools.accumulate(1.0 / (i + 8) for i in range(len(core))))
        rest = max(0, total - len(ids))
        extra = [core[bisect.bisect_left(cum, r.random() * cum[-1])] for _ in range(rest)]
        slots = ids + extra
        r.shuffle(slots)
        return slots[:total]

    def _tree(self, kws: list[str]) -> list[Node]:
        """Arrange keywords into a tree 2–3 levels deep; no keyword twice in one template."""
        r = self.rng
        seen: set[str] = set()
        unique = []
        for kid in kws:
            if kid in seen:
                kid = self._free_keyword(seen)
            seen.add(kid)
            unique.append(kid)
        nodes = [
            Node(kid, mandatory=r.random() < 0.2, repeatable=r.random() < 0.08) for kid in unique
        ]
        top: list[Node] = []
        i = 0
        while i < len(nodes):
            node = nodes[i]
            i += 1
            left = len(nodes) - i
            if left >= 2 and r.random() < 0.25:
                k = r.randint(2, min(8, left))
                node.children = nodes[i : i + k]
                i += k
                for child in list(node.children):
                    if r.random() < 0.2 and len(nodes) - i >= 2:
                        g = r.randint(2, min(4, len(nodes) - i))
                        child.children = nodes[i : i + g]
                        i += g
            top.append(node)
        return top

    def _free_keyword(self, seen: set[str]) -> str:
        ids = list(self.model.keywords)
        while True:
            k = ids[self.rng.randrange(len(ids))]
            if k not in seen:
                return k

    def _use_every_keyword(self) -> None:
        """Place keywords that the random fill left out as a top-level item of a template."""
        used = {n.kw for t in self.model.templates.values() for _, n in walk(t.items)}
        tpls = list(self.model.templates.values())
        for kid in self.model.keywords:
            if kid not in used:
                tpl = tpls[self.rng.randrange(len(tpls))]
                tpl.items.append(Node(kid))


def _item_count(r: random.Random) -> int:
    """Return the number of items of one template: 5–40, most templates small."""
    return min(40, 5 + int(r.expovariate(1 / 6.5)))


def _abbrev(display: str, i: int) -> str:
    letters = "".join(ch for ch in display.upper() if ch.isalpha())[:3] or "V"
    return f"{letters}{i + 1}"


# -- XML ----------------------------------------------------------------------------------------

_ATTR = {'"': "&quot;", "\n": "&#10;", "\t": "&#9;"}


def _a(text: str) -> str:
    return escape(text, _ATTR)


@dataclass(frozen=True, slots=True)
class XmlStyle:
    """How a region writes booleans (``true`` or ``1``) and whether it spells out defaults.

    ``explicit_defaults`` writes ``status="active"`` on every keyword and template and
    ``repeatable="false"`` on every heading item (as some exports spell out defaults).
    """

    true: str = "true"
    false: str = "false"
    explicit_defaults: bool = False
    indent: str = "  "


def _bindings(out: list[str], bindings: list[tuple[str, str]], pad: str) -> None:
    for system, code in bindings:
        out.append(f'{pad}<binding system="{_a(system)}" code="{_a(code)}"/>\n')


def _items(out: list[str], nodes: list[Node], depth: int, st: XmlStyle) -> None:
    pad = st.indent * depth
    for n in nodes:
        attrs = f'keyword="{_a(n.kw)}"'
        if n.mandatory:
            attrs += f' mandatory="{st.true}"'
        if n.repeatable or (st.explicit_defaults and n.children):
            attrs += f' repeatable="{st.true if n.repeatable else st.false}"'
        if n.children:
            out.append(f"{pad}<item {attrs}>\n")
            _items(out, n.children, depth + 1, st)
            out.append(f"{pad}</item>\n")
        else:
            out.append(f"{pad}<item {attrs}/>\n")


def render(
    model: Model,
    root_attrs: dict[str, str],
    st: XmlStyle,
    sections: tuple[str, ...] = ("terms", "valueLists", "keywords", "templates"),
    templates: list[Template] | None = None,
    comment: str | None = None,
) -> str:
    """Return the XML text of an export holding the given sections of ``model``."""
    i1, i2, i3 = st.indent, st.indent * 2, st.indent * 3
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    if comment:
        out.append(f"<!-- {escape(comment)} -->\n")
    attrs = "".join(f' {k}="{_a(v)}"' for k, v in root_attrs.items())
    out.append(f'<cosmicExport xmlns="{NS}"{attrs}>\n')
    if "terms" in sections:
        out.append(f"{i1}<terms>\n")
        for t in model.terms.values():
            out.append(
                f'{i2}<term system="{_a(t.system)}" code="{_a(t.code)}" '
                f'status="{t.status}">\n{i3}<display lang="sv">{escape(t.display)}'
                "</display>\n"
            )
            if t.en:
                out.append(f'{i3}<display lang="en">{escape(t.en)}</display>\n')
            out.append(f"{i2}</term>\n")
        out.append(f"{i1}</terms>\n")
    if "valueLists" in sections:
        out.append(f"{i1}<valueLists>\n")
        for vl in model.value_lists.values():
            out.append(f'{i2}<valueList id="{_a(vl.id)}" name="{_a(vl.name)}">\n')
            for v in vl.values:
                head = f'{i3}<value code="{_a(v.code)}" display="{_a(v.display)}"'
                if v.bindings:
                    out.append(head + ">\n")
                    _bindings(out, v.bindings, i3 + st.indent)
                    out.append(f"{i3}</value>\n")
                else:
                    out.append(head + "/>\n")
            out.append(f"{i2}</valueList>\n")
        out.append(f"{i1}</valueLists>\n")
    if "keywords" in sections:
        out.append(f"{i1}<keywords>\n")
        for k in model.keywords.values():
            _keyword(out, k, st)
        out.append(f"{i1}</keywords>\n")
    if "templates" in sections:
        out.append(f"{i1}<templates>\n")
        for tpl in templates if templates is not None else model.templates.values():
            attrs = (
                f'id="{_a(tpl.id)}" name="{_a(tpl.name)}" version="{_a(tpl.version)}" '
                f'noteType="{tpl.note_type}"'
            )
            if tpl.cases is not None:
                attrs += f' cases="{_a(" ".join(tpl.cases))}"'
            if tpl.status != "active" or st.explicit_defaults:
                attrs += f' status="{tpl.status}"'
            out.append(f"{i2}<template {attrs}>\n")
            _items(out, tpl.items, 3, st)
            out.append(f"{i2}</template>\n")
        out.append(f"{i1}</templates>\n")
    out.append("</cosmicExport>\n")
    return "".join(out)


def _keyword(out: list[str], k: Keyword, st: XmlStyle) -> None:
    i2, i3 = st.indent * 2, st.indent * 3
    attrs = f'id="{_a(k.id)}" name="{_a(k.name)}" type="{k.type}"'
    if k.unit is not None:
        attrs += f' unit="{_a(k.unit)}"'
    if k.vl is not None:
        attrs += f' valueList="{_a(k.vl)}"'
    if k.status != "active" or st.explicit_defaults:
        attrs += f' status="{k.status}"'
    if k.hidden:
        attrs += f' hiddenFrom1177="{st.true if k.hidden else st.false}"'
    if not k.bindings and k.description is None:
        out.append(f"{i2}<keyword {attrs}/>\n")
        return
    out.append(f"{i2}<keyword {attrs}>\n")
    _bindings(out, k.bindings, i3)
    if k.description is not None:
        out.append(f"{i3}<description>{escape(k.description)}</description>\n")
    out.append(f"{i2}</keyword>\n")


def write_text(path: Path, text: str) -> int:
    """Write UTF-8 text and return the number of bytes written."""
    data = text.encode("utf-8")
    path.write_bytes(data)
    return len(data)
