"""Unit tests of the longest-common-subsequence helper and of item pairing."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from cosmicdiff.diff.lcs import lcs_aligned, lcs_keep
from cosmicdiff.match.identity import Pairing, pair_items
from cosmicdiff.vocabulary import MatchMethod

# -- lcs_keep ------------------------------------------------------------------------------


def _lcs_len(a: Sequence[object], b: Sequence[object]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0]
        for j, y in enumerate(b):
            cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
        prev = cur
    return prev[-1]


def _is_subsequence(sub: Sequence[object], seq: Sequence[object]) -> bool:
    it = iter(seq)
    return all(any(x == y for y in it) for x in sub)


def test_lcs_swap_of_two_leaves_exactly_one_outside() -> None:
    a = ["A", "B", "C", "D"]
    b = ["A", "C", "B", "D"]
    keep = lcs_keep(a, b)
    outside = set(b) - keep
    assert len(keep) == 3
    assert len(outside) == 1
    assert outside <= {"B", "C"}


def test_lcs_swap_of_first_and_last() -> None:
    a = ["A", "B", "C", "D"]
    b = ["D", "B", "C", "A"]
    keep = lcs_keep(a, b)
    assert keep == {"B", "C"}


def test_lcs_rotation_moves_one_element() -> None:
    a = [1, 2, 3, 4, 5]
    assert lcs_keep(a, [2, 3, 4, 5, 1]) == {2, 3, 4, 5}
    assert lcs_keep(a, [5, 1, 2, 3, 4]) == {1, 2, 3, 4}


def test_lcs_identical_lists_keep_everything() -> None:
    a = ["x", "y", "z"]
    assert lcs_keep(a, list(a)) == {"x", "y", "z"}
    assert lcs_keep([], []) == set()


def test_lcs_disjoint_lists_keep_nothing() -> None:
    assert lcs_keep([1, 2, 3], [4, 5, 6]) == set()
    assert lcs_keep([1, 2], []) == set()
    assert lcs_keep([], [1, 2]) == set()


def test_lcs_reversed_keeps_one() -> None:
    keep = lcs_keep([1, 2, 3, 4], [4, 3, 2, 1])
    assert len(keep) == 1


@settings(max_examples=60, deadline=None)
@given(st.permutations(list(range(7))), st.permutations(list(range(7))))
def test_lcs_aligned_is_a_longest_common_subsequence(a: list[int], b: list[int]) -> None:
    keep = lcs_aligned(a, b)
    kept_in_b = [x for x in b if x in keep]
    kept_in_a = [x for x in a if x in keep]
    assert kept_in_a == kept_in_b
    assert _is_subsequence(kept_in_b, a)
    assert len(keep) == _lcs_len(a, b)


def test_lcs_tie_break_keeps_the_element_at_its_own_position() -> None:
    # [A, B, C] -> [C, B, A]: any one element is a longest common subsequence; B stands at
    # position 2 on both sides and must not be reported as moving "from 2 to 2"
    assert lcs_keep(["A", "B", "C"], ["C", "B", "A"]) == {"B"}
    assert lcs_keep([1, 2, 3, 4, 5], [5, 2, 3, 4, 1]) == {2, 3, 4}


def test_lcs_tie_break_prefers_more_elements_in_place() -> None:
    # swap of neighbours: A or B may stay; both give one move, neither is in place, and the
    # untouched tail stays in place
    keep = lcs_keep(["A", "B", "C", "D"], ["B", "A", "C", "D"])
    assert {"C", "D"} <= keep and len(keep) == 3
    # [A, B, C, D] -> [D, B, C, A]: {B, C} is the only alignment of length 2 keeping both in place
    assert lcs_keep(["A", "B", "C", "D"], ["D", "B", "C", "A"]) == {"B", "C"}


def test_an_element_at_the_same_index_is_never_outside() -> None:
    # keeping X (index 2 on both sides) would shorten the alignment; it is still not a move
    keep = lcs_keep(["A", "B", "X", "C", "D"], ["C", "D", "X", "A", "B"])
    assert "X" in keep


@settings(max_examples=80, deadline=None)
@given(st.permutations(list(range(7))), st.permutations(list(range(7))))
def test_no_element_outside_the_alignment_keeps_its_index(a: list[int], b: list[int]) -> None:
    keep = lcs_keep(a, b)
    assert all(x in keep for x, y in zip(a, b, strict=True) if x == y)


# -- pair_items ----------------------------------------------------------------------------


def _pair(
    local: Mapping[str, tuple[str, Sequence[str]]],
    base: Mapping[str, tuple[str, Sequence[str]]],
    mapping: Mapping[str, str] | None = None,
) -> Pairing:
    """Pair ``id -> (name, bindings)`` tables like match_region does for keywords."""
    return pair_items(
        local,
        base,
        mapping or {},
        lambda i: list(local[i][1]),
        lambda i: list(base[i][1]),
        lambda i: local[i][0],
        lambda i: base[i][0],
    )


def _methods(p: Pairing) -> dict[str, tuple[str, str]]:
    return {loc: (b, p.method[loc].value) for loc, b in p.to_baseline.items()}


def test_mapping_beats_same_id() -> None:
    local = {"A": ("Alfa", ()), "B": ("Beta", ())}
    base = {"A": ("Gamma", ()), "B": ("Delta", ())}
    p = _pair(local, base, {"A": "B"})
    # A goes to B by mapping; local B cannot take baseline B by id any more.
    assert _methods(p) == {"A": ("B", "mapping")}
    assert p.to_region == {"B": "A"}


def test_same_id_beats_binding() -> None:
    local = {"X": ("Noll", ("snomed-ct:1",)), "Z": ("Zeta", ("snomed-ct:2",))}
    base = {"X": ("Annat", ("snomed-ct:2",)), "Y": ("Ypsilon", ("snomed-ct:1",))}
    p = _pair(local, base)
    # X pairs with X by id even though its binding points at Y; Z then takes nothing
    # (its binding's only candidate, X, is already paired).
    assert _methods(p) == {"X": ("X", "id")}


def test_binding_pairs_when_ids_differ() -> None:
    local = {"L1": ("Lokal etikett", ("kva:AU118",))}
    base = {"B1": ("Suicidriskbedömning", ("kva:AU118",))}
    assert _methods(_pair(local, base)) == {"L1": ("B1", "binding")}


def test_binding_beats_name() -> None:
    local = {"L": ("Foo", ("atc:N05AN01",))}
    base = {"B1": ("Bar", ("atc:N05AN01",)), "B2": ("Foo", ())}
    assert _methods(_pair(local, base)) == {"L": ("B1", "binding")}


def test_name_pairs_when_nothing_else_does() -> None:
    local = {"L": ("Riskfaktorer", ())}
    base = {"B": ("Riskfaktorer", ())}
    assert _methods(_pair(local, base)) == {"L": ("B", "name")}


def test_name_matching_is_nfc_casefold_and_collapsed_white_space() -> None:
    local = {
        "L": ("  " + unicodedata.normalize("NFD", "SUICIDRISK\tBEDÖMNING") + " ", ()),
        "M": ("Tidiga   hypoteser", ()),
    }
    base = {"B": ("suicidrisk bedömning", ()), "C": ("tidiga hypoteser", ())}
    assert _methods(_pair(local, base)) == {"L": ("B", "name"), "M": ("C", "name")}


def test_ambiguous_binding_two_baseline_candidates_pairs_nothing() -> None:
    local = {"L": ("Lokal", ("kva:AU118",))}
    base = {"B1": ("Ett", ("kva:AU118",)), "B2": ("Två", ("kva:AU118",))}
    p = _pair(local, base)
    assert p.to_baseline == {}


def test_ambiguous_binding_two_region_candidates_pairs_nothing() -> None:
    local = {"L1": ("Lokal ett", ("kva:AU118",)), "L2": ("Lokal två", ("kva:AU118",))}
    base = {"B": ("Bas", ("kva:AU118",))}
    assert _pair(local, base).to_baseline == {}


def test_ambiguous_name_two_baseline_candidates_pairs_nothing() -> None:
    local = {"L": ("Bedömning", ())}
    base = {"B1": ("Bedömning", ()), "B2": ("BEDÖMNING", ())}
    assert _pair(local, base).to_baseline == {}


def test_ambiguous_name_two_region_candidates_pairs_nothing() -> None:
    local = {"L1": ("Bedömning", ()), "L2": (" bedömning ", ())}
    base = {"B": ("Bedömning", ())}
    assert _pair(local, base).to_baseline == {}


def test_ambiguous_binding_still_allows_a_unique_name() -> None:
    local = {"L": ("Ett", ("kva:AU118",))}
    base = {"B1": ("Ett", ("kva:AU118",)), "B2": ("Två", ("kva:AU118",))}
    assert _methods(_pair(local, base)) == {"L": ("B1", "name")}


def test_candidate_already_paired_earlier_is_not_ambiguous() -> None:
    # B2 shares the name but is taken by id first: only B1 is still unmatched.
    local = {"B2": ("Bedömning", ()), "L": ("Bedömning", ())}
    base = {"B1": ("Bedömning", ()), "B2": ("Bedömning", ())}
    assert _methods(_pair(local, base)) == {"B2": ("B2", "id"), "L": ("B1", "name")}


def test_nothing_pairs_by_similarity() -> None:
    local = {"L": ("Suicidriskbed.", ())}
    base = {"B": ("Suicidriskbedömning", ())}
    assert _pair(local, base).to_baseline == {}


def test_nothing_pairs_by_position() -> None:
    local = {"L1": ("Ett", ()), "L2": ("Två", ())}
    base = {"B1": ("Tre", ()), "B2": ("Fyra", ())}
    assert _pair(local, base).to_baseline == {}


def test_each_baseline_item_is_paired_at_most_once() -> None:
    local = {"A": ("Alfa", ()), "L": ("Alfa", ())}
    base = {"A": ("Alfa", ())}
    p = _pair(local, base)
    assert _methods(p) == {"A": ("A", "id")}


def test_codes_first_for_values() -> None:
    local = {"1": ("Hög risk", ()), "2": ("Låg risk", ())}
    base = {"1": ("Låg risk", ()), "2": ("Hög risk", ())}
    p = pair_items(
        local,
        base,
        {},
        None,
        None,
        lambda c: local[c][0],
        lambda c: base[c][0],
        same_id=MatchMethod.CODE,
    )
    assert _methods(p) == {"1": ("1", "code"), "2": ("2", "code")}
