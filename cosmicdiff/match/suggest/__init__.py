"""Suggest mapping.yaml entries for items that no identity step pairs (never applied).

``match_region`` pairs by mapping, id, binding and normalised name, and nothing else. What
it leaves over (region templates, keywords and value lists that pair with nothing, and
baseline items nobody pairs with) may be the same item under another name. This package
scores such leftovers against each other and proposes the best pairs, with the evidence, for
a person to confirm. It reads the model only; it never changes a pairing.

Each candidate pair is scored in [0, 1] from its signals: the names (``names``), and by
kind of item the type, unit, value list and place of keywords, the items and note type of
templates, the values and users of value lists (``evidence``); the best pairs are picked so
that every item is suggested at most once (``scoring``).

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

The package's modules (this module is their public face): ``model`` (``Section``, the
weights, ``Signal``, ``Suggestion``), ``names``, ``evidence``, ``scoring``
(``suggest_mapping``) and ``render`` (the draft, the JSON list, the summary table).
"""

from __future__ import annotations

from cosmicdiff.match.suggest.model import (
    DEFAULT_MIN_SCORE,
    WEIGHTS,
    Alternative,
    Section,
    Signal,
    Suggestion,
)
from cosmicdiff.match.suggest.names import name_similarity
from cosmicdiff.match.suggest.render import print_summary, render_json, render_yaml
from cosmicdiff.match.suggest.scoring import suggest_mapping

__all__ = [
    "DEFAULT_MIN_SCORE",
    "WEIGHTS",
    "Alternative",
    "Section",
    "Signal",
    "Suggestion",
    "name_similarity",
    "print_summary",
    "render_json",
    "render_yaml",
    "suggest_mapping",
]
