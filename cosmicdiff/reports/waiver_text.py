"""The sentence a people-facing report shows for a waiver note, in the report's language.

Sample (sv)::

    Undantag ESPIR-W-2026-007 gäller inte längre: det accepterade 'mmol/l', nu 'µmol/l'
    (CD202, ESP-SO-00228); avvikelsen är inte undantagen.
"""

from __future__ import annotations

from collections.abc import Sequence

from cosmicdiff.reports.i18n import Messages
from cosmicdiff.result.parts import PinValues, WaiverNote
from cosmicdiff.rules.waivers import quote


def _value(key: str, value: str | None, t: Messages) -> str:
    if key == "kind" and value is not None:
        return t("kind." + value)
    return t("none") if value is None else quote(value)


def _values(values: PinValues, keys: Sequence[str], t: Messages) -> str:
    """Return the values of ``keys``: just the value when only ``actual`` is meant."""
    chosen = [(k, v) for k, v in values if k in keys]
    if [k for k, _ in chosen] == ["actual"]:
        return _value("actual", chosen[0][1], t)
    return ", ".join(f"{t('pin.' + k)} {_value(k, v, t)}" for k, v in chosen)


def waiver_note_text(note: WaiverNote, t: Messages) -> str:
    """Return the translated sentence for one waiver note (expired, stale, mismatch, unpinned)."""
    if note.status == "mismatch":
        keys = note.differs()
        return t(
            "waiver_mismatch",
            id=note.waiver,
            rule=note.rule,
            item=note.item,
            accepted=_values(note.accepted, keys, t),
            found=_values(note.found or (), keys, t),
        )
    if note.status == "unpinned":
        pin = (
            ", ".join(f"{k}: {v if k == 'kind' else quote(v)}" for k, v in note.found)
            if note.found
            else t("waiver_pin_any")
        )
        return t("waiver_unpinned", id=note.waiver, rule=note.rule, item=note.item, pin=pin)
    key = "waiver_expired" if note.status == "expired" else "waiver_stale"
    return t(key, id=note.waiver, rule=note.rule, item=note.item, expires=note.expires)
