"""CD1xx: the structure of templates and their item trees."""

from __future__ import annotations

from typing import ClassVar

from cosmicdiff.rules.base import Rule
from cosmicdiff.vocabulary import Entity, Kind, Severity

_T = frozenset({Entity.TEMPLATE})
_K = frozenset({Entity.KEYWORD})


class MissingTemplate(Rule):
    """A baseline template has no counterpart in the region.

    **Why it matters** A case's documentation cannot be shared or compared when one region
    lacks the template the others use.
    **Example** eSPiR's *Strukturerad suicidriskbedömning* does not exist in the region.
    **Allowed locally** No.
    **Waiver** While the region is building the template; set an expiry date.
    """

    code: ClassVar[str] = "CD101"
    name: ClassVar[str] = "missing-template"
    kinds = frozenset({Kind.MISSING})
    entities = _T
    default_severity = Severity.ERROR
    summary = "baseline template missing in the region"


class ExtraTemplate(Rule):
    """A region template, declared for a case, has no counterpart in the baseline.

    **Why it matters** Local templates for a shared case split documentation practice; they
    are candidates for the baseline or for retirement.
    **Example** A local *Telefonkontakt psykiatri* template with ``cases="psychiatry"``.
    **Allowed locally** Yes, when the baseline's rules.yaml declares it an allowed extension.
    **Waiver** When the workshop accepts it as a local variant.
    """

    code: ClassVar[str] = "CD102"
    name: ClassVar[str] = "extra-template"
    kinds = frozenset({Kind.EXTRA})
    entities = _T
    default_severity = Severity.WARNING
    summary = "local template without counterpart in the baseline"


class MissingItem(Rule):
    """A keyword of a baseline template is missing from the region's template.

    **Why it matters** The information is not documented (or not found) in that region;
    decision support and national reporting that read the keyword see nothing.
    **Example** *Skyddsfaktorer* is missing in the region's suicide-risk template.
    **Allowed locally** No.
    **Waiver** Time-limited, with the decision that accepted the gap.
    """

    code: ClassVar[str] = "CD103"
    name: ClassVar[str] = "missing-item"
    kinds = frozenset({Kind.MISSING})
    entities = _K
    default_severity = Severity.ERROR
    summary = "keyword of a baseline template missing in the region's template"


class ExtraItem(Rule):
    """A region template holds a keyword the baseline template does not have.

    **Why it matters** Extra local keywords fragment the record; what is written there is
    invisible to the other regions' routines.
    **Example** A local keyword *Vårdnadshavare informerad* in the psychiatric assessment.
    **Allowed locally** Yes: rules.yaml may allow extra keywords in named templates or with a
    region prefix; they are then ``info``.
    **Waiver** When the workshop accepts the local variant.
    """

    code: ClassVar[str] = "CD104"
    name: ClassVar[str] = "extra-item"
    kinds = frozenset({Kind.EXTRA})
    entities = _K
    default_severity = Severity.WARNING
    summary = "local keyword in a template without counterpart in the baseline template"


class Renamed(Rule):
    """A matched item is named differently from the baseline (after normalisation).

    **Why it matters** Staff moving between regions, and 1177/NPÖ readers, see different
    labels for the same thing.
    **Example** *Suicidriskbedömning* is called *Suicidriskbed.* in the region.
    **Allowed locally** No; white-space and Unicode-form differences are never reported.
    **Waiver** For a planned rename with a date.
    """

    code: ClassVar[str] = "CD105"
    name: ClassVar[str] = "renamed"
    kinds = frozenset({Kind.RENAMED})
    default_severity = Severity.WARNING
    summary = "name or display text differs from the baseline"

    @classmethod
    def applies(cls, deviation):  # type: ignore[no-untyped-def]
        """Return True for renames that change more than letter case."""
        return deviation.kind is Kind.RENAMED and not deviation.case_only


class RenamedCaseOnly(Rule):
    """A matched item's name differs from the baseline only in letter case.

    **Why it matters** Cosmetic, but visible in printed notes and search.
    **Example** *Aktuellt* is written *AKTUELLT*.
    **Allowed locally** It is only ``info`` by default.
    **Waiver** Rarely needed.
    """

    code: ClassVar[str] = "CD106"
    name: ClassVar[str] = "renamed-case-only"
    kinds = frozenset({Kind.RENAMED})
    default_severity = Severity.INFO
    summary = "name differs only in letter case"

    @classmethod
    def applies(cls, deviation):  # type: ignore[no-untyped-def]
        """Return True for case-only renames."""
        return deviation.kind is Kind.RENAMED and deviation.case_only


class OrderChanged(Rule):
    """A template item stands at another position among its siblings.

    **Why it matters** The order is the order of documentation; a different order makes
    shared routines and training material wrong.
    **Example** *Riskfaktorer* and *Skyddsfaktorer* are swapped.
    **Allowed locally** No. Positions are compared by longest common subsequence, so a swap
    gives one or two findings, not a cascade.
    **Waiver** When the workshop accepts the local order.
    """

    code: ClassVar[str] = "CD107"
    name: ClassVar[str] = "order-changed"
    kinds = frozenset({Kind.ORDER_CHANGED})
    entities = _K
    default_severity = Severity.WARNING
    summary = "template item at another position among its siblings"


class Moved(Rule):
    """A template item stands under another heading than in the baseline.

    **Why it matters** Headings give a keyword its meaning in the note; a moved keyword is
    read in another context.
    **Example** *Tolkbehov* under *Remissorsak* instead of at the top level.
    **Allowed locally** No.
    **Waiver** When the workshop accepts the local structure.
    """

    code: ClassVar[str] = "CD108"
    name: ClassVar[str] = "moved"
    kinds = frozenset({Kind.MOVED})
    default_severity = Severity.WARNING
    summary = "template item under another parent"


class MandatoryChanged(Rule):
    """A template item's mandatory or repeatable setting differs.

    **Why it matters** A mandatory field in one region and optional in another gives
    incomplete records where the other regions expect the data.
    **Example** *Suicidriskbedömning* is mandatory in the baseline and optional locally.
    **Allowed locally** No.
    **Waiver** Time-limited.
    """

    code: ClassVar[str] = "CD109"
    name: ClassVar[str] = "mandatory-changed"
    kinds = frozenset({Kind.MANDATORY_CHANGED})
    default_severity = Severity.WARNING
    summary = "mandatory/repeatable differs"


class NoteTypeChanged(Rule):
    """A template's note type (KV Anteckningstyp) differs from the baseline.

    **Why it matters** The note type decides how NPÖ and 1177 Journalen show the note: the
    same note is filed under another heading for patients and other caregivers.
    **Example** ``utr`` (Utredning) in the baseline, ``bes`` (Besöksanteckning) locally.
    **Allowed locally** No.
    **Waiver** Only with a decision reference.
    """

    code: ClassVar[str] = "CD110"
    name: ClassVar[str] = "note-type-changed"
    kinds = frozenset({Kind.ATTRIBUTE_CHANGED})
    entities = _T
    fields = frozenset({"noteType"})
    default_severity = Severity.ERROR
    summary = "template note type (KV Anteckningstyp) differs"


class TemplateAttributeChanged(Rule):
    """Another template attribute differs: its version or the cases it declares.

    **Why it matters** A different version means the region runs an older or newer edition
    of the shared template.
    **Example** version 3 in the baseline, 2 in the region.
    **Allowed locally** Only as information by default.
    **Waiver** Rarely needed.
    """

    code: ClassVar[str] = "CD111"
    name: ClassVar[str] = "template-attribute-changed"
    kinds = frozenset({Kind.ATTRIBUTE_CHANGED})
    entities = _T
    default_severity = Severity.INFO
    summary = "template version or cases differ"


class TemplateStatusChanged(Rule):
    """A template is active in one and inactive or retired in the other.

    **Why it matters** A retired template cannot be used for new notes.
    **Example** The region has retired the shared *Remissbedömning*.
    **Allowed locally** No.
    **Waiver** During a planned migration.
    """

    code: ClassVar[str] = "CD112"
    name: ClassVar[str] = "template-status-changed"
    kinds = frozenset({Kind.STATUS_CHANGED})
    entities = _T
    default_severity = Severity.WARNING
    summary = "template status differs"


class UnresolvedReference(Rule):
    """The export refers to a keyword or value list that it does not define.

    **Why it matters** The export is inconsistent: the template shows a field whose
    definition is unknown, or a keyword offers choices from a list that is not there.
    **Example** An item names keyword ``RKL-SO-99999``, absent from the region's keywords.
    **Allowed locally** No; fix the export.
    **Waiver** Not advisable.
    """

    code: ClassVar[str] = "CD120"
    name: ClassVar[str] = "unresolved-reference"
    kinds = frozenset({Kind.UNRESOLVED_REFERENCE})
    default_severity = Severity.ERROR
    summary = "reference to an id the export does not define"


STRUCTURE_RULES: tuple[type[Rule], ...] = (
    MissingTemplate,
    ExtraTemplate,
    MissingItem,
    ExtraItem,
    Renamed,
    RenamedCaseOnly,
    OrderChanged,
    Moved,
    MandatoryChanged,
    NoteTypeChanged,
    TemplateAttributeChanged,
    TemplateStatusChanged,
    UnresolvedReference,
)
