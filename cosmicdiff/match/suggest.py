"""Suggest mapping.yaml entries for items that no identity step pairs (never applied).

``match_region`` pairs by mapping, id, binding and normalised name, and nothing else. What
it leaves over (region templates, keywords and value lists that pair with nothing, and
baseline items nobody pairs with) may be the same item under another name. This module
scores such leftovers against each other and proposes the best pairs, with the evidence, for
a person to confirm. It reads the model only; it never changes a pairing.

Each candidate's score in [0, 1] is the weighted mean of the signals that apply to it
(``WEIGHTS``; a signal that cannot be judged, e.g. units of two text keywords, is left out
of the mean rather than counted as agreement):

* ``name``: similarity of the normalised names (see ``name_similarity``);
* keywords: ``type`` (same keyword type), ``unit``, ``valueList`` (the two value lists are
  paired, else the share of values they have in common) and ``structure`` (the keywords sit
  in templates paired with each other, under paired parents, next to paired siblings);
* templates: ``items`` (share of items whose keywords are paired) and ``noteType``;
* value lists: ``values`` (share of values in common by code, display or binding) and
  ``users`` (share of the keywords using them that are paired with each other).

Candidates at or above the minimum score are assigned greedily, best first, so that every
local and every baseline item is suggested at most once; the candidates that lost a
conflict are kept as alternatives of the winner.

The draft mapping.yaml (``render_yaml``) keeps the region's own entries active and writes
every suggestion *commented out*, under its score and evidence. That is the safe form: a
draft copied over mapping.yaml unread changes nothing, and each confirmation is a visible
one-line edit in review. (Active entries marked "to confirm" would be applied by the first
compare that reads the file.) Kalmar with its mapping.yaml removed and Remittent written
``Remitt.`` (as the tests do) gives::

    keywords:
      # score 0.97: name 0.95 ("Remitt." ~ "Remittent"), same type Text, structure 1.00 (in
      #   paired template ESP-JM-REM-003, same parent and a paired neighbour)
      # RKL-SO-21499: ESP-SO-00325  # Remitt.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from rapidfuzz import fuzz, process

from cosmicdiff import __version__
from cosmicdiff.match.identity import Matches, Pairing
from cosmicdiff.model import Baseline, Export, Item, ValueList, name_key, normalise_text

if TYPE_CHECKING:
    from rich.console import Console

#: The default --min-score: the lowest at which benchmarks/suggest_quality.py found nothing
#: wrong on the examples and the corpus, with every renamed item still found (its docstring
#: has the figures).
DEFAULT_MIN_SCORE = 0.7


class Section(StrEnum):
    """A kind of mappable item, named as its section of mapping.yaml."""

    KEYWORDS = "keywords"
    TEMPLATES = "templates"
    VALUE_LISTS = "valueLists"


#: Weight of each signal in a candidate's score, per kind of item.
WEIGHTS: Mapping[Section, Mapping[str, float]] = {
    Section.KEYWORDS: {"name": 0.55, "type": 0.10, "unit": 0.05, "valueList": 0.10,
                       "structure": 0.20},
    Section.TEMPLATES: {"name": 0.60, "items": 0.30, "noteType": 0.10},
    Section.VALUE_LISTS: {"name": 0.50, "values": 0.30, "users": 0.20},
}

#: Least rapidfuzz ratio (0-100) of a pair whose names contain an abbreviation (``bed.``),
#: and least partial_ratio of a pair where one name begins the other, for it to be scored.
_LENIENT_CUTOFF = 40.0
_PARTIAL_CUTOFF = 90.0
_MAX_ALTERNATIVES = 3
#: Highest name similarity of two names that are equal only once an abbreviation is expanded.
_GUESS_CAP = 0.95


@dataclass(frozen=True, kw_only=True, slots=True)
class Signal:
    """One piece of evidence: a similarity in [0, 1], its weight, and what it says in words."""

    name: str
    score: float
    weight: float
    detail: str


@dataclass(frozen=True, kw_only=True, slots=True)
class Alternative:
    """Another candidate above the minimum score that shares the local or the baseline item."""

    local_id: str
    local_name: str
    baseline_id: str
    baseline_name: str
    score: float


@dataclass(frozen=True, kw_only=True, slots=True)
class Suggestion:
    """A proposed mapping entry ``local_id: baseline_id`` with its score and evidence."""

    kind: Section
    local_id: str
    local_name: str
    baseline_id: str
    baseline_name: str
    score: float
    signals: tuple[Signal, ...]
    alternatives: tuple[Alternative, ...] = ()

    def evidence(self) -> str:
        """Return the signals in words, e.g. ``name 0.91 ("a" ~ "b"), same type Text``."""
        return ", ".join(s.detail for s in self.signals)

    def to_json(self) -> dict[str, Any]:
        """Return the JSON form: ids, names, score, evidence by signal, alternatives."""
        return {
            "kind": self.kind.value, "local_id": self.local_id, "local_name": self.local_name,
            "baseline_id": self.baseline_id, "baseline_name": self.baseline_name,
            "score": self.score,
            "evidence": {s.name: {"score": s.score, "weight": s.weight, "detail": s.detail}
                         for s in self.signals},
            "alternatives": [{"local_id": a.local_id, "local_name": a.local_name,
                              "baseline_id": a.baseline_id, "baseline_name": a.baseline_name,
                              "score": a.score} for a in self.alternatives],
        }


# -- names --------------------------------------------------------------------------------------
_TOKEN = re.compile(r"[<>]?\w+\.?")


@lru_cache(maxsize=1 << 16)
def _tokens(name: str) -> tuple[str, ...]:
    """Return the words of a normalised name; an abbreviation keeps its full stop."""
    return tuple(_TOKEN.findall(name_key(name)))


def _expand(tokens: tuple[str, ...], other: tuple[str, ...]) -> tuple[str, ...]:
    """Replace abbreviations (``läk.``) by the other name's word they begin (``läkare``)."""
    full = [t for t in other if not t.endswith(".")]
    out = []
    for tok in tokens:
        stem = tok[:-1] if tok.endswith(".") else None
        if stem and len(stem) >= 2:
            tok = next((f for f in full if f.startswith(stem) and len(f) > len(stem)), stem)
        out.append(tok.rstrip("."))
    return tuple(out)


def name_similarity(local: str, base: str) -> float:
    """Return how alike two names are, in [0, 1].

    Both names are normalised (NFC, case-folded, white space collapsed) and split into words;
    an abbreviated word (``bed.``) is expanded to the other name's word that it begins. The
    similarity is the higher of rapidfuzz's ``ratio`` (normalised Indel similarity of the
    words as written) and ``token_sort_ratio`` (the same on the words sorted, so that
    reordered words still match; alone it loses when a typo moves a word in the sort order,
    ``aptientens`` for ``patientens``). When one name is the other with words added at the
    end (``Krisplan`` ~ ``Krisplan, vänster``: a qualifier added or dropped), it is at least
    0.8 plus 0.2 times the share of the longer name that the shorter one covers. An expanded
    abbreviation is a guess, so such a pair scores at most 0.95. ``WRatio``
    was measured and rejected: its partial matching scored most unrelated template names
    (which share words such as ``– sjuksköterska, öppenvård``) above 0.8.
    """
    a, b = _tokens(local), _tokens(base)
    guessed = any(t.endswith(".") for t in a + b)
    if guessed:
        a, b = _expand(a, b), _expand(b, a)
    sa, sb = " ".join(a), " ".join(b)
    if not sa or not sb:
        return 0.0
    best = max(fuzz.ratio(sa, sb), fuzz.token_sort_ratio(sa, sb)) / 100
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) < len(long_) and long_[: len(short)] == short:
        covered = len(" ".join(short)) / len(" ".join(long_))
        best = max(best, 0.8 + 0.2 * covered)
    return min(best, _GUESS_CAP) if guessed else best


# -- lookup tables --------------------------------------------------------------------------------
class _Slot(NamedTuple):
    """Where a keyword sits in a template: its parent and its neighbours (None at an edge)."""

    template: str
    parent: str | None
    prev: str | None
    next: str | None


@dataclass(slots=True)
class _Side:
    """Lookup tables of one side (region or baseline), built once."""

    export: Export
    slots: dict[str, list[_Slot]] = field(default_factory=lambda: defaultdict(list))
    users: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    template_keywords: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def of(cls, export: Export) -> _Side:
        """Index an export's keyword places, value-list users and template keywords."""
        side = cls(export=export)
        for kid in sorted(export.keywords):
            vl = export.keywords[kid].value_list
            if vl:
                side.users[vl].append(kid)
        for tid in sorted(export.templates):
            tpl = export.templates[tid]
            side._place(tid, None, tpl.items)
            side.template_keywords[tid] = {item.keyword for _, item in tpl.walk()}
        return side

    def _place(self, tid: str, parent: str | None, items: tuple[Item, ...]) -> None:
        kws = [i.keyword for i in items]
        for n, item in enumerate(items):
            prev = kws[n - 1] if n > 0 else None
            nxt = kws[n + 1] if n + 1 < len(kws) else None
            self.slots[item.keyword].append(_Slot(tid, parent, prev, nxt))
            if item.children:
                self._place(tid, item.keyword, item.children)


@dataclass(slots=True)
class _Context:
    region: _Side
    base: _Side
    matches: Matches


# -- signals --------------------------------------------------------------------------------------
def _signal(kind: Section, name: str, score: float, detail: str) -> Signal:
    return Signal(name=name, score=round(score, 4), weight=WEIGHTS[kind][name], detail=detail)


def _name_signal(kind: Section, local: str, base: str) -> Signal:
    sim = name_similarity(local, base)
    detail = f'name {sim:.2f} ("{normalise_text(local)}" ~ "{normalise_text(base)}")'
    return _signal(kind, "name", sim, detail)


def _value_overlap(a: ValueList, b: ValueList) -> tuple[float, int, int]:
    """Return the share of values two lists have in common (by code, display or binding)."""
    n = max(len(a.values), len(b.values))
    if n == 0:
        return 0.0, 0, 0
    codes = len({v.code for v in a.values} & {v.code for v in b.values})
    displays = len({name_key(v.display) for v in a.values}
                   & {name_key(v.display) for v in b.values})
    bound = {str(x) for v in b.values for x in v.bindings}
    bindings = sum(1 for v in a.values if any(str(x) in bound for x in v.bindings))
    common = min(max(codes, displays, bindings), n)
    return common / n, common, n


def _keyword_signals(ctx: _Context, lid: str, bid: str) -> list[Signal]:
    """Return the signals of a keyword pair besides the name."""
    k = Section.KEYWORDS
    lk, bk = ctx.region.export.keywords[lid], ctx.base.export.keywords[bid]
    out: list[Signal] = []
    if lk.type == bk.type:
        out.append(_signal(k, "type", 1.0, f"same type {lk.type.value}"))
    else:
        out.append(_signal(k, "type", 0.0,
                           f"type differs ({lk.type.value}, baseline {bk.type.value})"))
    if lk.unit or bk.unit:
        same = lk.unit == bk.unit
        out.append(_signal(k, "unit", float(same), f"same unit {lk.unit}" if same else
                           f"unit differs ({lk.unit or 'none'}, baseline {bk.unit or 'none'})"))
    if lk.value_list or bk.value_list:
        out.append(_keyword_list_signal(ctx, lk.value_list, bk.value_list))
    structure = _structure_signal(ctx, lid, bid)
    if structure is not None:
        out.append(structure)
    return out


def _keyword_list_signal(ctx: _Context, lvl: str | None, bvl: str | None) -> Signal:
    k = Section.KEYWORDS
    if lvl is None or bvl is None:
        return _signal(k, "valueList", 0.0, "value list on one side only")
    if ctx.matches.value_lists.to_baseline.get(lvl) == bvl:
        return _signal(k, "valueList", 1.0, f"value lists paired ({lvl} ~ {bvl})")
    a, b = ctx.region.export.value_lists.get(lvl), ctx.base.export.value_lists.get(bvl)
    if a is None or b is None:
        return _signal(k, "valueList", 0.0, "value list undefined")
    share, common, n = _value_overlap(a, b)
    return _signal(k, "valueList", share, f"value list overlap {common}/{n}")


def _structure_signal(ctx: _Context, lid: str, bid: str) -> Signal | None:
    """Judge where the keywords sit: in paired templates, under paired parents, by paired
    siblings. Not applicable when neither keyword is in a template that is paired."""
    tmap, kmap = ctx.matches.templates, ctx.matches.keywords.to_baseline
    local = [s for s in ctx.region.slots.get(lid, ()) if s.template in tmap.to_baseline]
    base = [s for s in ctx.base.slots.get(bid, ()) if s.template in tmap.to_region]
    if not local and not base:
        return None
    best: tuple[float, str, bool, bool] = (0.0, "", False, False)
    for ls in local:
        for bs in base:
            if tmap.to_baseline[ls.template] != bs.template:
                continue
            parent = _same(kmap, ls.parent, bs.parent)
            near = _same(kmap, ls.prev, bs.prev) or _same(kmap, ls.next, bs.next)
            value = 0.5 + 0.25 * parent + 0.25 * near
            if value > best[0]:
                best = (value, bs.template, parent, near)
    value, where, parent, near = best
    if not where:
        return _signal(Section.KEYWORDS, "structure", 0.0,
                       "structure 0.00 (not in templates paired with each other)")
    place = ("same parent and a paired neighbour" if parent and near else "same parent"
             if parent else "a paired neighbour" if near else "another place")
    return _signal(Section.KEYWORDS, "structure", value,
                   f"structure {value:.2f} (in paired template {where}, {place})")


def _same(kmap: Mapping[str, str], local: str | None, base: str | None) -> bool:
    if local is None or base is None:
        return local is None and base is None
    return kmap.get(local) == base


def _template_signals(ctx: _Context, lid: str, bid: str) -> list[Signal]:
    """Return the signals of a template pair besides the name."""
    k = Section.TEMPLATES
    lt, bt = ctx.region.export.templates[lid], ctx.base.export.templates[bid]
    out: list[Signal] = []
    lk, bk = ctx.region.template_keywords[lid], ctx.base.template_keywords[bid]
    if lk and bk:
        kmap = ctx.matches.keywords.to_baseline
        paired = sum(1 for kw in lk if kmap.get(kw) in bk)
        n = max(len(lk), len(bk))
        out.append(_signal(k, "items", paired / n, f"items {paired}/{n} paired"))
    if lt.note_type and bt.note_type:
        same = lt.note_type == bt.note_type
        out.append(_signal(k, "noteType", float(same), f"same note type {lt.note_type}" if same
                           else f"note type differs ({lt.note_type}, baseline {bt.note_type})"))
    return out


def _value_list_signals(ctx: _Context, lid: str, bid: str) -> list[Signal]:
    """Return the signals of a value-list pair besides the name."""
    k = Section.VALUE_LISTS
    lv, bv = ctx.region.export.value_lists[lid], ctx.base.export.value_lists[bid]
    out: list[Signal] = []
    if lv.values and bv.values:
        share, common, n = _value_overlap(lv, bv)
        out.append(_signal(k, "values", share, f"values {common}/{n} in common"))
    lu, bu = ctx.region.users.get(lid, []), set(ctx.base.users.get(bid, []))
    if lu and bu:
        kmap = ctx.matches.keywords.to_baseline
        paired = sum(1 for kw in lu if kmap.get(kw) in bu)
        n = max(len(lu), len(bu))
        out.append(_signal(k, "users", paired / n, f"used by paired keywords {paired}/{n}"))
    return out


# -- candidates and assignment ------------------------------------------------------------------
class _Candidate(NamedTuple):
    score: float
    local: str
    base: str
    signals: tuple[Signal, ...]


def _name_candidates(local_names: Mapping[str, str], base_names: Mapping[str, str],
                     min_name: float) -> set[tuple[str, str]]:
    """Return pairs whose names may be ``min_name`` alike (rapidfuzz, at C speed).

    ``ratio`` and ``token_sort_ratio`` bound ``name_similarity`` from below except where an
    abbreviation is expanded (then a lenient cutoff is used) or one name begins the other
    (``partial_ratio`` finds those).
    """
    choices = {bid: " ".join(_tokens(n)) for bid, n in sorted(base_names.items())}
    base_dots = any("." in c for c in choices.values())
    out: set[tuple[str, str]] = set()
    for lid, name in sorted(local_names.items()):
        query = " ".join(_tokens(name))
        lenient = base_dots or "." in query
        cutoff = _LENIENT_CUTOFF if lenient else max(_LENIENT_CUTOFF, 100 * min_name)
        for scorer, score_cutoff in ((fuzz.ratio, cutoff), (fuzz.token_sort_ratio, cutoff),
                                     (fuzz.partial_ratio, _PARTIAL_CUTOFF)):
            for _, _, bid in process.extract(query, choices, scorer=scorer,
                                             score_cutoff=score_cutoff, limit=None):
                out.add((lid, bid))
    return out


def _structure_candidates(ctx: _Context, locals_: set[str], bases: set[str],
                          ) -> set[tuple[str, str]]:
    """Return unpaired keywords that sit in templates paired with each other (any name)."""
    tmap = ctx.matches.templates.to_baseline
    out: set[tuple[str, str]] = set()
    for lid in locals_:
        for slot in ctx.region.slots.get(lid, ()):
            btpl = tmap.get(slot.template)
            if btpl is not None:
                out.update((lid, b) for b in ctx.base.template_keywords.get(btpl, ()) if b in bases)
    return out


def _unpaired(pairing: Pairing, local: Mapping[str, Any], base: Mapping[str, Any],
              ) -> tuple[dict[str, str], dict[str, str]]:
    lo = {i: local[i].name for i in local if i not in pairing.to_baseline}
    ba = {i: base[i].name for i in base if i not in pairing.to_region}
    return lo, ba


def _candidates(ctx: _Context, kind: Section, min_score: float) -> list[_Candidate]:
    """Score every plausible pair of unpaired items of one kind that may reach ``min_score``.

    A pair's score can be at most what its name allows with every other signal in full
    agreement; pairs below ``min_score`` even then are not scored further.
    """
    reg, base, m = ctx.region.export, ctx.base.export, ctx.matches
    tables = {Section.KEYWORDS: (m.keywords, reg.keywords, base.keywords, _keyword_signals),
              Section.TEMPLATES: (m.templates, reg.templates, base.templates, _template_signals),
              Section.VALUE_LISTS: (m.value_lists, reg.value_lists, base.value_lists,
                                    _value_list_signals)}
    pairing, local_table, base_table, signals_of = tables[kind]
    local_names, base_names = _unpaired(pairing, local_table, base_table)
    if not local_names or not base_names:
        return []
    w_name = WEIGHTS[kind]["name"]
    rest = sum(WEIGHTS[kind].values()) - w_name
    min_name = (min_score * (w_name + rest) - rest) / w_name
    pairs = _name_candidates(local_names, base_names, min_name)
    if kind is Section.KEYWORDS:
        pairs |= _structure_candidates(ctx, set(local_names), set(base_names))
    out = []
    for lid, bid in sorted(pairs):
        name = _name_signal(kind, local_names[lid], base_names[bid])
        if name.score < min_name - 1e-9:
            continue
        signals = (name, *signals_of(ctx, lid, bid))
        total = sum(s.weight for s in signals)
        score = sum(s.weight * s.score for s in signals) / total
        out.append(_Candidate(round(score, 4), lid, bid, signals))
    return out


def _assign(kind: Section, cands: list[_Candidate], min_score: float, local: Mapping[str, Any],
            base: Mapping[str, Any]) -> list[Suggestion]:
    """Pick pairs best first so that each local and each baseline item is used once."""
    eligible = sorted((c for c in cands if c.score >= min_score),
                      key=lambda c: (-c.score, c.local, c.base))
    by_item: dict[tuple[int, str], list[_Candidate]] = defaultdict(list)
    for c in eligible:
        by_item[0, c.local].append(c)
        by_item[1, c.base].append(c)
    used_local: set[str] = set()
    used_base: set[str] = set()
    out = []
    for c in eligible:
        if c.local in used_local or c.base in used_base:
            continue
        used_local.add(c.local)
        used_base.add(c.base)
        rivals = sorted({*by_item[0, c.local], *by_item[1, c.base]} - {c},
                        key=lambda o: (-o.score, o.local, o.base))[:_MAX_ALTERNATIVES]
        alternatives = tuple(
            Alternative(local_id=o.local, local_name=local[o.local].name, baseline_id=o.base,
                        baseline_name=base[o.base].name, score=o.score) for o in rivals)
        out.append(Suggestion(kind=kind, local_id=c.local, local_name=local[c.local].name,
                              baseline_id=c.base, baseline_name=base[c.base].name,
                              score=c.score, signals=c.signals, alternatives=alternatives))
    return out


def suggest_mapping(region: Export, baseline: Baseline, matches: Matches,
                    min_score: float = DEFAULT_MIN_SCORE) -> list[Suggestion]:
    """Return the suggested pairs of the items ``matches`` left unpaired, sorted by kind and id.

    Pure: nothing is applied; a suggestion is only a proposal for mapping.yaml.
    """
    ctx = _Context(region=_Side.of(region), base=_Side.of(baseline.export), matches=matches)
    tables = {Section.KEYWORDS: (region.keywords, baseline.export.keywords),
              Section.TEMPLATES: (region.templates, baseline.export.templates),
              Section.VALUE_LISTS: (region.value_lists, baseline.export.value_lists)}
    out: list[Suggestion] = []
    for kind in Section:
        local, base = tables[kind]
        chosen = _assign(kind, _candidates(ctx, kind, min_score), min_score, local, base)
        out.extend(sorted(chosen, key=lambda s: s.local_id))
    return out


# -- rendering ------------------------------------------------------------------------------------
_PLAIN_ID = re.compile(r"[A-Za-z][A-Za-z0-9_./-]*")
_YAML_WORDS = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n"})
_WRAP = 96


def _yaml_id(value: str) -> str:
    """Return an id as a YAML scalar: plain when safe, else a double-quoted JSON string."""
    if _PLAIN_ID.fullmatch(value) and value.lower() not in _YAML_WORDS:
        return value
    return json.dumps(value, ensure_ascii=False)


def _comment(text: str, indent: str = "  ", hang: str = "  ") -> list[str]:
    """Return ``text`` as comment lines of at most about ``_WRAP`` characters."""
    lines = textwrap.wrap(text, width=_WRAP - len(indent) - 2 - len(hang),
                          break_long_words=False, break_on_hyphens=False)
    return [f"{indent}# {lines[0]}", *(f"{indent}# {hang}{rest}" for rest in lines[1:])]


def _entry(local: str, base: str, name: str) -> str:
    return f"{_yaml_id(local)}: {_yaml_id(base)}  # {normalise_text(name)}"


def _suggested_entry(s: Suggestion) -> list[str]:
    out = _comment(f"score {s.score:.2f}: {s.evidence()}")
    for a in s.alternatives:
        names = f'"{normalise_text(a.local_name)}" ~ "{normalise_text(a.baseline_name)}"'
        out += _comment(f"  alternative {a.score:.2f}: {a.local_id}: {a.baseline_id} ({names})",
                        hang="    ")
    out.append(f"  # {_entry(s.local_id, s.baseline_id, s.local_name)}")
    return out


def _header(suggestions: Sequence[Suggestion], region: Export, baseline: Baseline,
            min_score: float) -> list[str]:
    counts = ", ".join(f"{k.value} {sum(1 for s in suggestions if s.kind is k)}"
                       for k in Section)
    kept = ("Entries kept from the region's mapping.yaml are active, as before."
            if not region.mapping.is_empty() else "The region has no mapping.yaml entries.")
    return [
        f"# DRAFT mapping.yaml for region {region.region} ({region.name or region.region})",
        f"# written by cosmicdiff {__version__} suggest-mapping",
        f"# region export: {region.source or region.region}",
        f"# baseline: {baseline.id} {baseline.version} ({baseline.source or baseline.id})",
        f"# {len(suggestions)} suggestion(s) with a score of at least {min_score:.2f} "
        f"({counts})",
        "#",
        *_comment(
            f"NOTHING IN THIS DRAFT IS CONFIRMED. {kept} Every suggested entry is commented "
            "out, below a line with its score (0 to 1) and the evidence for it. To confirm a "
            "suggestion, delete the \"# \" in front of its entry line, keeping the two-space "
            "indent; delete the lines of suggestions you reject. Then save the file as the "
            "region's mapping.yaml and check the pairs in the report of cosmicdiff compare.",
            indent="", hang=""),
    ]


def render_yaml(suggestions: Sequence[Suggestion], region: Export, baseline: Baseline,
                min_score: float) -> str:
    """Return the draft mapping.yaml: kept entries active, every suggestion commented out."""
    lines = _header(suggestions, region, baseline, min_score)
    kept: dict[Section, tuple[Mapping[str, str], Mapping[str, Any]]] = {
        Section.KEYWORDS: (region.mapping.keywords, region.keywords),
        Section.TEMPLATES: (region.mapping.templates, region.templates),
        Section.VALUE_LISTS: (region.mapping.value_lists, region.value_lists)}
    for kind in Section:
        entries, table = kept[kind]
        mine = sorted((s for s in suggestions if s.kind is kind), key=lambda x: x.local_id)
        lines.append("")
        lines.append(f"{kind.value}:" if entries or mine else f"{kind.value}: {{}}")
        for local, base in sorted(entries.items()):
            item = table.get(local)
            lines.append(f"  {_entry(local, base, item.name if item else '')}".rstrip(" #"))
        for s in mine:
            lines += _suggested_entry(s)
    return "\n".join(lines) + "\n"


def render_json(suggestions: Sequence[Suggestion]) -> str:
    """Return the suggestions as a JSON list (kind, ids, names, score, evidence, alternatives)."""
    return json.dumps([s.to_json() for s in suggestions], ensure_ascii=False, indent=2) + "\n"


def print_summary(suggestions: Sequence[Suggestion], console: Console) -> None:
    """Print a table of the suggestions (kind, local item, baseline item, score) on ``console``."""
    from rich.table import Table
    from rich.text import Text

    if not suggestions:
        console.print("no suggestions: nothing left unpaired scores at least the minimum")
        return
    table = Table(title=f"{len(suggestions)} suggestion(s), commented out in the draft",
                  title_justify="left")
    table.add_column("kind")
    table.add_column("local id and name")
    table.add_column("baseline id and name")
    table.add_column("score", justify="right")
    for s in suggestions:
        table.add_row(s.kind.value, Text(f"{s.local_id}\n{normalise_text(s.local_name)}"),
                      Text(f"{s.baseline_id}\n{normalise_text(s.baseline_name)}"),
                      f"{s.score:.2f}")
    console.print(table)
