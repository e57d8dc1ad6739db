"""Hold the texts for people in a decisions file, a waiver file and a proposal (sv, en).

The YAML keys and the codes ``apply`` reads stay English; what a person reads (the comments
of a YAML file, the workbook's headers, instructions sheet and data validation prompts, the
headers of the waivers and proposal files and the proposal's actions) is in the language
the file was made in, Swedish by default; Swedish names the baseline
*grundkonfigurationen*. The codes of a row in words are ``words``'.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from cosmicdiff.reports.i18n import catalogue
from cosmicdiff.workshop.decisions.model import COLUMNS, Decision, DecisionsFile

#: The report's key for each decision's words: the paper and the workbook say the same.
_CHOICE_KEYS = {
    Decision.ADOPT: "decision_adopt",
    Decision.ALIGN: "decision_align",
    Decision.ACCEPT: "decision_local",
}


def choice_word(decision: Decision, lang: str) -> str:
    """Return a decision in the words of the report in ``lang`` (sv or en)."""
    return catalogue(lang)[_CHOICE_KEYS[decision]]


def paper_word(key: str, lang: str) -> str:
    """Return a word of the report's decision cell (``paper.owner`` …) in ``lang``."""
    return catalogue(lang)[key]


@dataclass(frozen=True, kw_only=True, slots=True)
class Texts:
    """The texts of one language."""

    title: str
    about: str
    intro: tuple[str, ...]
    values: tuple[str, ...]
    usage: tuple[str, ...]
    fill: str
    #: The comment beside a YAML row's ``decision``: the values it takes.
    decision_note: str
    #: The comment beside a YAML row's ``check``: what it is for.
    check_note: str
    sheet: str
    instructions: str
    dv_title: str
    dv_prompt: str
    dv_error: str
    date_error: str
    waivers_header: tuple[str, ...]
    proposal_header: tuple[str, ...]
    #: What adopting a deviation of each kind asks of the baseline (``{field}`` filled in).
    actions: Mapping[str, str]
    #: The workbook's column headers (the YAML keys stay English).
    headers: Mapping[str, str]
    #: The code of the language, whose report words the workbook's choices are.
    lang: str

    @property
    def choices(self) -> dict[Decision, str]:
        """Return the decisions as the workbook offers them: the report's words (the paper)."""
        return {d: choice_word(d, self.lang) for d in Decision}

    def about_file(self, doc: DecisionsFile) -> str:
        """Return the line that says what the file was made from and how many rows it has."""
        filters = f" ({' '.join(doc.filters)})" if doc.filters else ""
        return self.about.format(
            baseline=doc.baseline_id,
            version=doc.baseline_version,
            evaluated=doc.evaluated_on or "?",
            rows=len(doc.rows),
            filters=filters,
        )

    def guide(self) -> list[str]:
        """Return the instructions: what to fill in, the values, how to read the file back."""
        return [*self.intro, "", *self.values, "", *self.usage]

    def action(self, kind: str, field: str | None) -> str:
        """Return what adopting a deviation of ``kind`` (on ``field``) asks of the baseline."""
        return self.actions.get(kind, kind).format(field=field or "")


SV = Texts(
    title="cosmicdiff: beslut från harmoniseringsworkshop",
    about="Grundkonfigurationen {baseline} {version}, resultat från {evaluated}; "
    "{rows} avvikelser{filters}.",
    intro=(
        "En rad per avvikelse. Fyll i fälten från Beslut och nedåt (i Excel: de gula",
        "kolumnerna). Ändra inte de övriga (grå): de identifierar avvikelsen och en ändring",
        "i dem avvisas när filen läses in. Redan undantagna avvikelser är med och markerade",
        "i kolumnen Undantag.",
    ),
    values=(
        "Beslut           adopt  = regionens variant tas in i grundkonfigurationen",
        "                 align  = regionen anpassar sig till grundkonfigurationen",
        "                 accept = accepteras som lokal variant (blir ett undantag)",
        "                 tomt   = inte beslutat än",
        "                 I Excel väljs samma ord som i rapportens beslutsrutor: "
        + f"{choice_word(Decision.ADOPT, 'sv')} (adopt),",
        f"                 {choice_word(Decision.ALIGN, 'sv')} (align), "
        + f"{choice_word(Decision.ACCEPT, 'sv')} (accept).",
        "Ref              avvikelsens korta id: rapporten skriver det i regionens beslutsruta",
        "Motivering       varför (krävs för accept)",
        "Ansvarig         ansvarig för undantaget eller åtgärden (krävs för accept)",
        "Giltig till      datum ÅÅÅÅ-MM-DD: när undantaget upphör (krävs för accept) eller",
        "                 när regionen ska ha anpassat sig (align); tomt för adopt",
        "Beslutat av      vem som beslutade, t.ex. eSPiR styrgrupp",
        "Beslutsreferens  t.ex. eSPiR-styrgruppen 2026-09-14 §12",
        "Kommentar        fri kommentar",
    ),
    usage=(
        "I YAML står nycklarna och koderna som cosmicdiff läser på engelska; kommentarerna",
        "bredvid koderna och fälten att fylla i säger vad de betyder. Läs in filen med",
        "  cosmicdiff decisions apply FIL --waivers waivers.yaml --proposal forslag.yaml",
        "(utan --write visas bara vad som skulle skrivas).",
    ),
    fill="fyll i",
    decision_note="Beslut: adopt, align, accept eller tomt",
    check_note="kontrollsumma över de grå fälten ovan: ändra inte dem",
    sheet="Beslut",
    instructions="Instruktioner",
    dv_title="Beslut",
    dv_prompt="Välj samma beslut som på papperet: Anta i grundkonfigurationen, Regionen "
    "anpassar sig eller Lokal variant; tomt = inte beslutat",
    dv_error="Välj Anta i grundkonfigurationen, Regionen anpassar sig eller Lokal variant "
    "(eller lämna tomt).",
    date_error="Skriv ett datum ÅÅÅÅ-MM-DD.",
    waivers_header=(
        "Undantag (waivers) från workshopbeslut, skrivna av 'cosmicdiff decisions apply'.",
        "Formatet: cosmicdiff/rules/waivers.py; 'cosmicdiff waivers check' kontrollerar.",
    ),
    proposal_header=(
        "cosmicdiff: förslag till ändringar av grundkonfigurationen, från workshopbeslut",
        "",
        "changes:        ändringar att föra in i grundkonfigurationen (beslut adopt), en per",
        "                post och fält, med regionerna som föreslog dem; baseline_file visar var",
        "conflicts:      regioner som vill ta in olika värden för samma post och fält:",
        "                välj ett alternativ innan grundkonfigurationen ändras",
        "region_actions: regionernas arbetslista (beslut align): anpassa till",
        "                grundkonfigurationen",
        "",
        "Filen ändrar ingenting själv; en person för in ändringarna i grundkonfigurationen.",
    ),
    actions={
        "missing": "ta bort posten ur grundkonfigurationen (regionen klarar sig utan den)",
        "extra": "lägg till regionens post i grundkonfigurationen",
        "renamed": "ändra namnet i grundkonfigurationen",
        "type_changed": "ändra sökordstypen i grundkonfigurationen",
        "unit_changed": "ändra enheten i grundkonfigurationen",
        "binding_changed": "ändra termbindningen i grundkonfigurationen",
        "valuelist_changed": "låt sökordet använda regionens fasta värden i grundkonfigurationen",
        "order_changed": "ändra ordningen i grundkonfigurationens journalmall",
        "moved": "flytta posten i grundkonfigurationens journalmall",
        "mandatory_changed": "ändra obligatorisk/upprepningsbar i grundkonfigurationen",
        "status_changed": "ändra status i grundkonfigurationen",
        "visibility_changed": "ändra synligheten i 1177 i grundkonfigurationen",
        "attribute_changed": "ändra {field} i grundkonfigurationen",
        "unresolved_reference": "definiera den refererade posten i grundkonfigurationen",
    },
    headers={
        "ref": "Ref",
        "name": "Namn",
        "id": "id",
        "region": "Region",
        "case": "Fall",
        "kind": "Avvikelse",
        "rule": "Regel",
        "severity": "Nivå",
        "entity": "Typ av post",
        "baseline_id": "Id i grundkonfigurationen",
        "local_id": "Regionens id",
        "path": "Sökväg",
        "field": "Fält",
        "expected": "Förväntat",
        "actual": "Faktiskt",
        "message": "Meddelande",
        "waived": "Undantag",
        "decision": "Beslut",
        "justification": paper_word("paper.justification", "sv"),
        "owner": paper_word("paper.owner", "sv"),
        "expires": paper_word("paper.expires", "sv"),
        "decided_by": "Beslutat av",
        "decision_ref": "Beslutsreferens",
        "comment": "Kommentar",
    },
    lang="sv",
)

EN = Texts(
    title="cosmicdiff: decisions of a harmonisation workshop",
    about="Baseline {baseline} {version}, result of {evaluated}; {rows} deviations{filters}.",
    intro=(
        "One row per deviation. Fill in the fields from Decision on (in Excel: the yellow",
        "columns). Do not change the others (grey): they identify the deviation and an edit",
        "of them is refused when the file is read. Deviations already waived are included",
        "and marked in the column Waiver.",
    ),
    values=(
        "Decision            adopt  = the baseline adopts the region's variant",
        "                    align  = the region aligns with the baseline",
        "                    accept = accepted as a local variant (becomes a waiver)",
        "                    empty  = not decided yet",
        "                    In Excel choose the words of the report's decision boxes: "
        + f"{choice_word(Decision.ADOPT, 'en')} (adopt),",
        f"                    {choice_word(Decision.ALIGN, 'en')} (align), "
        + f"{choice_word(Decision.ACCEPT, 'en')} (accept).",
        "Ref                 the deviation's short id, printed in the report's decision box",
        "Justification       the reason (required for accept)",
        "Owner               responsible for the waiver or the action (required for accept)",
        "Valid until         a date YYYY-MM-DD: when the waiver ends (required for accept) or",
        "                    when the region is to have aligned (align); empty for adopt",
        "Decided by          who decided, e.g. eSPiR steering group",
        "Decision reference  e.g. minutes 2026-09-14 §12",
        "Comment             any remark",
    ),
    usage=(
        "In YAML the keys and the codes cosmicdiff reads are English; the comments beside",
        "the codes and the fields to fill in say what they mean. Read the filled file with",
        "  cosmicdiff decisions apply FILE --waivers waivers.yaml --proposal proposal.yaml",
        "(without --write it only shows what it would write).",
    ),
    fill="fill in",
    decision_note="Decision: adopt, align, accept or empty",
    check_note="checksum of the read-only fields above: do not edit them",
    sheet="Decisions",
    instructions="Instructions",
    dv_title="Decision",
    dv_prompt="Choose the decision written on paper: Adopt into baseline, Region aligns or "
    "Accept as local variant; empty = undecided",
    dv_error="Choose Adopt into baseline, Region aligns or Accept as local variant (or leave "
    "it empty).",
    date_error="Enter a date YYYY-MM-DD.",
    waivers_header=(
        "Waivers from workshop decisions, written by 'cosmicdiff decisions apply'.",
        "Format: cosmicdiff/rules/waivers.py; 'cosmicdiff waivers check' validates it.",
    ),
    proposal_header=(
        "cosmicdiff: proposed changes to the baseline, from workshop decisions",
        "",
        "changes:        changes to make in the baseline (decision adopt), one per item and",
        "                field, with the regions that proposed them; baseline_file: where",
        "conflicts:      regions that want different values for the same item and field:",
        "                choose one alternative before the baseline is changed",
        "region_actions: the regions' work lists (decision align): align with the baseline",
        "",
        "This file changes nothing by itself; a person makes the changes in the baseline.",
    ),
    actions={
        "missing": "remove the item from the baseline (the region does without it)",
        "extra": "add the region's item to the baseline",
        "renamed": "change the name in the baseline",
        "type_changed": "change the keyword type in the baseline",
        "unit_changed": "change the unit in the baseline",
        "binding_changed": "change the term binding in the baseline",
        "valuelist_changed": "let the keyword use the region's value list in the baseline",
        "order_changed": "change the order in the baseline template",
        "moved": "move the item in the baseline template",
        "mandatory_changed": "change mandatory/repeatable in the baseline",
        "status_changed": "change the status in the baseline",
        "visibility_changed": "change the 1177 visibility in the baseline",
        "attribute_changed": "change {field} in the baseline",
        "unresolved_reference": "define the referenced item in the baseline",
    },
    headers={
        "ref": "Ref",
        "name": "Name",
        "id": "id",
        "region": "Region",
        "case": "Case",
        "kind": "Deviation",
        "rule": "Rule",
        "severity": "Severity",
        "entity": "Kind of item",
        "baseline_id": "Baseline id",
        "local_id": "Region's id",
        "path": "Path",
        "field": "Field",
        "expected": "Expected",
        "actual": "Actual",
        "message": "Message",
        "waived": "Waiver",
        "decision": "Decision",
        "justification": paper_word("paper.justification", "en"),
        "owner": paper_word("paper.owner", "en"),
        "expires": paper_word("paper.expires", "en"),
        "decided_by": "Decided by",
        "decision_ref": "Decision reference",
        "comment": "Comment",
    },
    lang="en",
)

#: The texts by language code.
TEXTS: Mapping[str, Texts] = {"sv": SV, "en": EN}


def texts(lang: str) -> Texts:
    """Return the texts of ``lang``, Swedish for a language there are no texts for."""
    return TEXTS.get(lang, SV)


def header_key(header: str) -> str | None:
    """Return the column a workbook header names: its English key, or its header in any
    language (case and spacing aside); None for a header that names no column."""
    return _HEADER_KEYS.get(" ".join(header.split()).casefold())


#: A workbook's header texts in every language (and the English keys) -> column.
_HEADER_KEYS = {h.casefold(): k for t in TEXTS.values() for k, h in t.headers.items()} | {
    k.casefold(): k for k in COLUMNS
}
