"""CD3xx: value lists, their values, and terms."""

from __future__ import annotations

from typing import ClassVar

from cosmicdiff.rules.base import Rule
from cosmicdiff.vocabulary import Entity, Kind, Severity


class MissingValueList(Rule):
    """A value list the baseline's keywords use has no counterpart in the region.

    **Why it matters** The shared fixed choices are not available locally.
    **Example** The MADRS item scale is missing.
    **Allowed locally** No.
    **Waiver** Time-limited.
    """

    code: ClassVar[str] = "CD301"
    name: ClassVar[str] = "missing-valuelist"
    kinds = frozenset({Kind.MISSING})
    entities = frozenset({Entity.VALUELIST})
    default_severity = Severity.ERROR
    summary = "baseline value list missing in the region"


class ExtraValueList(Rule):
    """A region keyword in scope uses a value list without counterpart in the baseline.

    **Why it matters** Local choice lists make answers incomparable.
    **Example** A local *Suicidrisk (4 nivåer)* list.
    **Allowed locally** When rules.yaml allows it.
    **Waiver** When the workshop accepts the local list.
    """

    code: ClassVar[str] = "CD302"
    name: ClassVar[str] = "extra-valuelist"
    kinds = frozenset({Kind.EXTRA})
    entities = frozenset({Entity.VALUELIST})
    default_severity = Severity.WARNING
    summary = "local value list without counterpart in the baseline"


class MissingValue(Rule):
    """A value of a baseline value list is missing from the region's list.

    **Why it matters** A choice the shared routine needs cannot be made.
    **Example** *Enligt SVF* is missing from *Medicinsk brådskandegrad*.
    **Allowed locally** No.
    **Waiver** Time-limited.
    """

    code: ClassVar[str] = "CD303"
    name: ClassVar[str] = "missing-value"
    kinds = frozenset({Kind.MISSING})
    entities = frozenset({Entity.VALUE})
    default_severity = Severity.ERROR
    summary = "value missing from a value list"


class ExtraValue(Rule):
    """A region value list holds a value the baseline list does not have.

    **Why it matters** Answers with the local value mean nothing to the other regions.
    **Example** *Inom 3 dagar* added to *Medicinsk brådskandegrad*.
    **Allowed locally** When rules.yaml allows it.
    **Waiver** When the workshop accepts it.
    """

    code: ClassVar[str] = "CD304"
    name: ClassVar[str] = "extra-value"
    kinds = frozenset({Kind.EXTRA})
    entities = frozenset({Entity.VALUE})
    default_severity = Severity.WARNING
    summary = "local value without counterpart in the baseline list"


class ValueOrderChanged(Rule):
    """A value stands at another position in its list.

    **Why it matters** Ordered scales read wrongly when the order differs.
    **Example** *Hög risk* before *Måttlig risk*.
    **Allowed locally** Only as information by default.
    **Waiver** Rarely needed.
    """

    code: ClassVar[str] = "CD305"
    name: ClassVar[str] = "value-order-changed"
    kinds = frozenset({Kind.ORDER_CHANGED})
    entities = frozenset({Entity.VALUE})
    default_severity = Severity.INFO
    summary = "value at another position in its list"


class ValueBindingChanged(Rule):
    """A value's term bindings differ.

    **Why it matters** Decision support and statistics recognise a choice by its code.
    **Example** *Hög risk* bound to another Snomed CT concept.
    **Allowed locally** No.
    **Waiver** Time-limited.
    """

    code: ClassVar[str] = "CD306"
    name: ClassVar[str] = "value-binding-changed"
    kinds = frozenset({Kind.BINDING_CHANGED})
    entities = frozenset({Entity.VALUE})
    default_severity = Severity.WARNING
    summary = "value term binding differs"


class MissingTerm(Rule):
    """A term the baseline binds to is absent from the region's term catalogue.

    **Why it matters** The region's catalogue lacks a concept shared items rely on.
    **Example** KVÅ AU118 *Strukturerad suicidriskbedömning* not in the catalogue.
    **Allowed locally** No.
    **Waiver** While the catalogue is updated.
    """

    code: ClassVar[str] = "CD307"
    name: ClassVar[str] = "missing-term"
    kinds = frozenset({Kind.MISSING})
    entities = frozenset({Entity.TERM})
    default_severity = Severity.WARNING
    summary = "term missing from the region's catalogue"


class ExtraTerm(Rule):
    """A term bound by in-scope region items is not in the baseline's catalogue.

    **Why it matters** A local or other code is in use where the baseline has none.
    **Example** A ``local:rkl`` code bound to a keyword.
    **Allowed locally** Only as information by default.
    **Waiver** Rarely needed.
    """

    code: ClassVar[str] = "CD308"
    name: ClassVar[str] = "extra-term"
    kinds = frozenset({Kind.EXTRA})
    entities = frozenset({Entity.TERM})
    default_severity = Severity.INFO
    summary = "term not in the baseline's catalogue"


class TermStatusChanged(Rule):
    """A term is active in one catalogue and inactive or retired in the other.

    **Why it matters** Documentation bound to a retired term drops out of national follow-up.
    **Example** ICD-10-SE Z85.03 retired in the baseline, still active locally.
    **Allowed locally** No.
    **Waiver** During the catalogue update.
    """

    code: ClassVar[str] = "CD309"
    name: ClassVar[str] = "term-status-changed"
    kinds = frozenset({Kind.STATUS_CHANGED})
    entities = frozenset({Entity.TERM})
    default_severity = Severity.WARNING
    summary = "term status differs"


TERMINOLOGY_RULES: tuple[type[Rule], ...] = (
    MissingValueList,
    ExtraValueList,
    MissingValue,
    ExtraValue,
    ValueOrderChanged,
    ValueBindingChanged,
    MissingTerm,
    ExtraTerm,
    TermStatusChanged,
)
