"""CD2xx: keyword (sökord) definitions."""

from __future__ import annotations

from typing import ClassVar

from cosmicdiff.result.deviation import Deviation
from cosmicdiff.rules.base import Rule
from cosmicdiff.vocabulary import Entity, Kind, Severity

_K = frozenset({Entity.KEYWORD})


class TypeChanged(Rule):
    """A keyword's tool type differs (Text, Numeric, FixValue …).

    **Why it matters** Values cannot be exchanged or compared: free text in one region is a
    number or a fixed choice in another, and decision support reads nothing.
    **Example** *Alkohol* is ``Numeric`` in the baseline and ``Text`` locally.
    **Allowed locally** No.
    **Waiver** Only during a planned conversion.
    """

    code: ClassVar[str] = "CD201"
    name: ClassVar[str] = "type-changed"
    kinds = frozenset({Kind.TYPE_CHANGED})
    entities = _K
    default_severity = Severity.ERROR
    summary = "keyword type differs"


class UnitChanged(Rule):
    """A quantity keyword's unit differs (compared as written).

    **Why it matters** A number without the same unit is a different number: a dose in mg
    against one in g is a patient-safety risk.
    **Example** ``mmol/L`` in the baseline, ``mmol/l`` locally.
    **Allowed locally** No.
    **Waiver** If the units are proven equivalent, with a decision reference.
    """

    code: ClassVar[str] = "CD202"
    name: ClassVar[str] = "unit-changed"
    kinds = frozenset({Kind.UNIT_CHANGED})
    entities = _K
    default_severity = Severity.ERROR
    summary = "keyword unit differs"


class KeywordBindingChanged(Rule):
    """A keyword's term bindings differ (another system or code).

    **Why it matters** Term bindings let national services and decision support recognise
    the keyword; another code means another concept.
    **Example** Snomed CT 366979004 in the baseline, a local code in the region.
    **Allowed locally** No.
    **Waiver** While a national code is being requested.
    """

    code: ClassVar[str] = "CD203"
    name: ClassVar[str] = "keyword-binding-changed"
    kinds = frozenset({Kind.BINDING_CHANGED})
    entities = _K
    default_severity = Severity.WARNING
    summary = "keyword term binding differs"


class ValueListChanged(Rule):
    """A keyword offers its fixed choices from another value list.

    **Why it matters** The choices differ, so answers cannot be compared or exchanged.
    **Example** *Suicidrisk* uses a local four-level list instead of the shared three levels.
    **Allowed locally** No.
    **Waiver** Time-limited, with the workshop decision.
    """

    code: ClassVar[str] = "CD204"
    name: ClassVar[str] = "valuelist-changed"
    kinds = frozenset({Kind.VALUELIST_CHANGED})
    entities = _K
    default_severity = Severity.ERROR
    summary = "keyword points at another value list"


class KeywordStatusChanged(Rule):
    """A keyword is active in one and inactive or retired in the other.

    **Why it matters** A retired keyword cannot be documented under.
    **Example** *Tobak* retired locally but active in the baseline.
    **Allowed locally** No.
    **Waiver** During a planned change.
    """

    code: ClassVar[str] = "CD205"
    name: ClassVar[str] = "keyword-status-changed"
    kinds = frozenset({Kind.STATUS_CHANGED})
    entities = _K
    default_severity = Severity.WARNING
    summary = "keyword status differs"


class VisibilityChanged(Rule):
    """Patients see a keyword in 1177 Journalen in one region that another withholds.

    **Why it matters** Undantagna sökord (``hiddenFrom1177``) protect third parties and early
    hypotheses; a difference means a patient may read in one region what is withheld in
    another, or is denied access without reason.
    **Example** *Tredje person* hidden in the baseline but shown locally.
    **Allowed locally** No.
    **Waiver** Only with a legal decision reference.
    """

    code: ClassVar[str] = "CD206"
    name: ClassVar[str] = "visibility-changed"
    kinds = frozenset({Kind.VISIBILITY_CHANGED})
    entities = _K
    default_severity = Severity.ERROR
    summary = "hiddenFrom1177 differs"


class DescriptionChanged(Rule):
    """A keyword's description (help text) differs.

    **Why it matters** The help text guides what staff write; different texts mean
    different practice.
    **Example** The description of *Aktuellt* was rewritten locally.
    **Allowed locally** Only as information by default.
    **Waiver** Rarely needed.
    """

    code: ClassVar[str] = "CD207"
    name: ClassVar[str] = "description-changed"
    kinds = frozenset({Kind.ATTRIBUTE_CHANGED})
    entities = _K
    default_severity = Severity.INFO
    summary = "keyword description differs"

    @classmethod
    def applies(cls, deviation: Deviation) -> bool:
        """Return True for a keyword attribute other than a slot's (CD208, CD209)."""
        return super().applies(deviation) and deviation.field not in SLOT_FIELDS


#: the fields of a slot's own findings
SLOT_FIELDS = frozenset({"include", "exclude", "slot_fill"})


class SlotPatternsChanged(Rule):
    """An openEHR slot admits other archetypes: its include or exclude patterns differ.

    **Why it matters** The patterns say which archetypes may be placed in the slot; with
    other patterns, a region can (or cannot) record details that the baseline cannot (or
    can), and templates built on the two differ.
    **Example** *Status* in problem_diagnosis includes `problem_qualifier….v2` in the
    international archetype and `….v0` or `….v1` in a regional copy.
    **Allowed locally** No: it changes what the archetype can hold.
    **Waiver** While a regional copy is brought up to the current revision.
    """

    code: ClassVar[str] = "CD208"
    name: ClassVar[str] = "slot-patterns-changed"
    kinds = frozenset({Kind.ATTRIBUTE_CHANGED})
    entities = _K
    fields = frozenset({"include", "exclude"})
    default_severity = Severity.WARNING
    summary = "a slot's include or exclude patterns differ"


class SlotFilled(Rule):
    """An openEHR slot that the baseline leaves empty holds an archetype in the region.

    One finding per filled slot: the items the archetype brings are listed in the finding
    (`grouped`), not reported one by one.

    **Why it matters** The region records details in the slot (the archetype's elements)
    that the baseline does not have; data exchanged from it carries more than the shared
    template.
    **Example** The slot *Requester* of service_request now holds
    `openEHR-EHR-CLUSTER.person.v0` (+19 elements).
    **Allowed locally** As a local extension, if the case's rules allow it.
    **Waiver** When the fill is agreed to move into the baseline.
    """

    code: ClassVar[str] = "CD209"
    name: ClassVar[str] = "slot-filled"
    kinds = frozenset({Kind.ATTRIBUTE_CHANGED})
    entities = _K
    fields = frozenset({"slot_fill"})
    default_severity = Severity.WARNING
    summary = "an empty slot of the baseline holds an archetype in the region"

    def message(self, d: Deviation) -> str:
        """Return e.g. ``slot … 'Requester' in T now holds openEHR-EHR-CLUSTER.person.v0
        (+19 elements)``."""
        where = f" in {d.path.split('/')[0]}" if d.path and "/" in d.path else ""
        name = f" {d.name!r}" if d.name else ""
        return (
            f"slot {d.baseline_id}{name}{where} now holds {d.actual} "
            f"(+{len(d.grouped)} element{'' if len(d.grouped) == 1 else 's'})"
        )


KEYWORD_RULES: tuple[type[Rule], ...] = (
    TypeChanged,
    UnitChanged,
    KeywordBindingChanged,
    ValueListChanged,
    KeywordStatusChanged,
    VisibilityChanged,
    DescriptionChanged,
    SlotPatternsChanged,
    SlotFilled,
)
