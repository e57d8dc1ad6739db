"""Integrity checks on a loaded export: what is wrong inside one region's files.

Duplicate ids are refused while loading (see ``parsers``). The checks here run on the
merged model. Dangling references are *findings* when comparing (``unresolved_reference``)
but problems for ``cosmicdiff validate``; everything else here makes an export unusable.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from cosmicdiff.errors import Problem, excerpt, quoted
from cosmicdiff.model import (
    NOTE_TYPES,
    Baseline,
    Binding,
    Export,
    Item,
    KeywordType,
    is_known_term_system,
)


class IssueKind(StrEnum):
    """What kind of integrity problem was found."""

    UNDEFINED_KEYWORD = "undefined_keyword"
    UNDEFINED_VALUE_LIST = "undefined_value_list"
    UNKNOWN_TERM_SYSTEM = "unknown_term_system"
    FIXVALUE_WITHOUT_LIST = "fixvalue_without_list"
    UNKNOWN_NOTE_TYPE = "unknown_note_type"
    DUPLICATE_VALUE_CODE = "duplicate_value_code"
    CYCLE = "cycle"
    EMPTY = "empty"


#: Issues that compare turns into findings instead of refusing the export.
REFERENCE_KINDS = frozenset({IssueKind.UNDEFINED_KEYWORD, IssueKind.UNDEFINED_VALUE_LIST})


@dataclass(frozen=True, slots=True)
class Issue:
    """One integrity problem with its location."""

    kind: IssueKind
    problem: Problem


def check_baseline_cases(baseline: Baseline) -> list[Problem]:
    """Return templates whose ``cases`` attribute names a case baseline.yaml does not define."""
    known = {c.id for c in baseline.cases}
    return [
        Problem(
            tpl.loc.path,
            tpl.loc.line,
            f"template {quoted(tpl.id)} names case {quoted(c)}, which baseline.yaml "
            "does not define",
        )
        for tpl in baseline.export.templates.values()
        for c in tpl.cases or ()
        if c not in known
    ]


def check_export(export: Export) -> list[Issue]:
    """Return every integrity problem of ``export`` in file order."""
    issues: list[Issue] = []
    if export.is_empty():
        issues.append(
            Issue(
                IssueKind.EMPTY,
                Problem(
                    export.source,
                    None,
                    "export defines no terms, value lists, keywords or templates",
                ),
            )
        )
        return issues
    _check_terms(export, issues)
    _check_value_lists(export, issues)
    _check_keywords(export, issues)
    _check_templates(export, issues)
    return sorted(issues, key=lambda i: (i.problem.path, i.problem.line or 0, i.problem.message))


def _bad_system(binding: Binding) -> bool:
    return not is_known_term_system(binding.system)


def _system_issue(path: str, line: int | None, system: str) -> Issue:
    return Issue(
        IssueKind.UNKNOWN_TERM_SYSTEM,
        Problem(
            path,
            line,
            f"unknown term system {excerpt(system)}; use snomed-ct, icd-10-se, kva, "
            "atc, npl, loinc, ucum or local:<name>",
        ),
    )


def _check_terms(export: Export, issues: list[Issue]) -> None:
    for term in export.terms.values():
        if not is_known_term_system(term.system):
            issues.append(_system_issue(term.loc.path, term.loc.line, term.system))


def _check_value_lists(export: Export, issues: list[Issue]) -> None:
    for vl in export.value_lists.values():
        seen: dict[str, int | None] = {}
        for value in vl.values:
            if value.code in seen:
                issues.append(
                    Issue(
                        IssueKind.DUPLICATE_VALUE_CODE,
                        Problem(
                            value.loc.path,
                            value.loc.line,
                            f"value list {quoted(vl.id)} has code {quoted(value.code)} twice "
                            f"(first on line {seen[value.code]})",
                        ),
                    )
                )
            seen.setdefault(value.code, value.loc.line)
            issues.extend(
                _system_issue(value.loc.path, value.loc.line, b.system)
                for b in value.bindings
                if _bad_system(b)
            )


def _check_keywords(export: Export, issues: list[Issue]) -> None:
    for kw in export.keywords.values():
        path, line = kw.loc.path, kw.loc.line
        issues.extend(_system_issue(path, line, b.system) for b in kw.bindings if _bad_system(b))
        if kw.type is KeywordType.FIX_VALUE and not kw.value_list:
            issues.append(
                Issue(
                    IssueKind.FIXVALUE_WITHOUT_LIST,
                    Problem(
                        path, line, f"keyword {quoted(kw.id)} is FixValue but names no valueList"
                    ),
                )
            )
        if kw.value_list and kw.value_list not in export.value_lists:
            issues.append(
                Issue(
                    IssueKind.UNDEFINED_VALUE_LIST,
                    Problem(
                        path,
                        line,
                        f"keyword {quoted(kw.id)} refers to value list "
                        f"{quoted(kw.value_list)}, which the export does not define",
                    ),
                )
            )


def _check_templates(export: Export, issues: list[Issue]) -> None:
    keywords = export.keywords
    for tpl in export.templates.values():
        if tpl.note_type is not None and tpl.note_type not in NOTE_TYPES:
            issues.append(
                Issue(
                    IssueKind.UNKNOWN_NOTE_TYPE,
                    Problem(
                        tpl.loc.path,
                        tpl.loc.line,
                        f"template {quoted(tpl.id)} has unknown noteType "
                        f"{excerpt(tpl.note_type)}; use "
                        f"a KV Anteckningstyp code ({', '.join(sorted(NOTE_TYPES))})",
                    ),
                )
            )
        # the keywords above each item (not the items): cheaper than Template.walk
        stack: list[tuple[Item, tuple[str, ...]]] = [(i, ()) for i in reversed(tpl.items)]
        while stack:
            item, above = stack.pop()
            kid = item.keyword
            if kid not in keywords:
                issues.append(
                    Issue(
                        IssueKind.UNDEFINED_KEYWORD,
                        Problem(
                            item.loc.path,
                            item.loc.line,
                            f"item refers to keyword {quoted(kid)}, which the export "
                            "does not "
                            "define",
                            f"template {tpl.id} / item {kid}",
                        ),
                    )
                )
            if kid in above:
                issues.append(
                    Issue(
                        IssueKind.CYCLE,
                        Problem(
                            item.loc.path,
                            item.loc.line,
                            f"keyword {quoted(kid)} is nested inside itself",
                            f"template {tpl.id} / item {kid}",
                        ),
                    )
                )
            if item.children:
                inner = (*above, kid)
                stack.extend([(c, inner) for c in reversed(item.children)])
