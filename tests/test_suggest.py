"""suggest-mapping: scoring on the shipped examples, the draft, the CLI, and measured quality."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ESPIR, EXAMPLES, ROOT, run_cli
from model_edit import replace

from benchmarks import suggest_quality as sq
from cosmicdiff.match.identity import match_region
from cosmicdiff.match.suggest import (
    DEFAULT_MIN_SCORE,
    Section,
    Suggestion,
    name_similarity,
    render_json,
    render_yaml,
    suggest_mapping,
)
from cosmicdiff.model import Baseline, Export, IdMapping, Keyword, KeywordId, KeywordType
from cosmicdiff.parsers.cosmic.folder_yaml import read_mapping_yaml
from cosmicdiff.pipeline import load_checked_baseline, load_checked_region
from cosmicdiff.vocabulary import MatchMethod


@pytest.fixture(scope="module")
def espir() -> Baseline:
    return load_checked_baseline(ESPIR)


def _bare(name: str) -> Export:
    """Return an example region without its mapping.yaml."""
    return replace(load_checked_region(EXAMPLES / name), mapping=IdMapping())


def _suggest(
    region: Export,
    baseline: Baseline,
    min_score: float = DEFAULT_MIN_SCORE,
) -> list[Suggestion]:
    return suggest_mapping(region, baseline, match_region(region, baseline), min_score)


def _pairs(suggestions: list[Suggestion]) -> list[tuple[str, str, str]]:
    return [(s.kind.value, s.local_id, s.baseline_id) for s in suggestions]


@pytest.fixture
def bare_ostergotland(tmp_path: Path) -> Path:
    """A copy of the Östergötland example without its mapping.yaml."""
    folder = tmp_path / "ostergotland"
    shutil.copytree(EXAMPLES / "ostergotland", folder)
    (folder / "mapping.yaml").unlink()
    return folder


# -- names ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("local", "base", "low", "high"),
    [
        ("Hudbeh., höger", "Hudbehandling, höger", 0.95, 0.95),  # abbreviation: a guess
        ("Krisplan", "Krisplan, vänster", 0.85, 0.95),  # qualifier dropped
        ("Hotorsak, aptientens egen", "Hotorsak, patientens egen", 0.9, 0.99),  # typo, word order
        ("  SUICIDRISK ", "Suicidrisk", 1.0, 1.0),  # normalised first
        ("Tolk", "Tolkbehov", 0.5, 0.7),
        ("Bastabell psykiatri", "MADRS-skattning", 0.0, 0.5),
    ],
    ids=["abbreviation", "qualifier", "typo", "normalised", "short-prefix", "unrelated"],
)
def test_name_similarity(local: str, base: str, low: float, high: float) -> None:
    assert low <= name_similarity(local, base) <= high


# -- the shipped examples --------------------------------------------------------------------------
def test_ostergotland_without_mapping_gets_its_renamed_items_back(espir: Baseline) -> None:
    got = _suggest(_bare("ostergotland"), espir)
    assert _pairs(got) == [
        ("keywords", "ROG-SO-41060", "ESP-SO-00203"),
        ("templates", "ROG-JM-2201", "ESP-JM-LM-001"),
    ]
    keyword, template = got
    assert round(keyword.score, 2) == 0.98
    assert [s.name for s in keyword.signals] == ["name", "type", "structure"]
    assert keyword.evidence() == (
        'name 0.98 ("Läkemedelsrelaterade problem (LRP)" ~ "Läkemedelsrelaterade problem"), '
        "same type Text, structure 1.00 (in paired template ESP-JM-LM-002, same parent and a "
        "paired neighbour)"
    )
    assert round(template.score, 2) == 0.92
    assert "items 10/12 paired" in template.evidence()


def test_kalmar_without_mapping_pairs_remittent_by_name(espir: Baseline) -> None:
    """With kalmar's mapping removed its entries still pair (by name): nothing to suggest."""
    region = _bare("kalmar")
    matches = match_region(region, espir)
    assert matches.keywords.to_baseline["RKL-SO-21499"] == "ESP-SO-00325"
    assert matches.keywords.method["RKL-SO-21499"] is MatchMethod.NAME
    assert _suggest(region, espir, min_score=0.3) == []


def _kalmar_abbreviated() -> Export:
    """Kalmar without mapping.yaml, Remittent written ``Remitt.``: no identity step pairs it."""
    region = _bare("kalmar")
    keywords = dict(region.keywords)
    keywords["RKL-SO-21499"] = replace(keywords["RKL-SO-21499"], name="Remitt.")
    return replace(region, keywords=keywords)


def test_kalmar_renamed_remittent_is_suggested_commented_out(espir: Baseline) -> None:
    region = _kalmar_abbreviated()
    got = _suggest(region, espir)
    assert _pairs(got) == [("keywords", "RKL-SO-21499", "ESP-SO-00325")]
    evidence = got[0].evidence()
    assert evidence.startswith(
        'name 0.95 ("Remitt." ~ "Remittent"), same type Text, '
        "structure 1.00 (in paired template ESP-JM-REM-00"
    )
    draft = render_yaml(got, region, espir, DEFAULT_MIN_SCORE)
    lines = draft.splitlines()
    entry = lines.index("  # RKL-SO-21499: ESP-SO-00325  # Remitt.")
    assert lines[entry - 2].startswith(f'  # score {got[0].score:.2f}: name 0.95 ("Remitt."')
    assert yaml.safe_load(draft) == {"keywords": None, "templates": {}, "valueLists": {}}


def test_known_non_pairs_stay_below_the_default(espir: Baseline) -> None:
    """Jönköping's journal table is not the MADRS template, nor its Ja/Nej list Tolkbehov
    (examples/DEVIATIONS.md J4, J6): they score below the default and show only below it."""
    region = _bare("jonkoping")
    assert _suggest(region, espir) == []
    low = _suggest(region, espir, min_score=0.55)
    assert _pairs(low) == [
        ("templates", "RJL-JT-0031", "ESP-JM-PSY-004"),
        ("valueLists", "RJL-VL-0031", "ESP-VL-0001"),
    ]
    assert all(s.score < DEFAULT_MIN_SCORE for s in low)
    assert "values 1/3 in common, used by paired keywords 1/1" in low[1].evidence()


def test_local_keyword_is_not_suggested(espir: Baseline) -> None:
    """Kalmar's own mRS keyword (K7) has no counterpart among the unpaired baseline keywords."""
    got = _suggest(_bare("kalmar"), espir, min_score=0.0)
    assert "RKL-SO-29114" not in {s.local_id for s in got}


def test_conflict_keeps_the_better_local_and_names_the_other(espir: Baseline) -> None:
    region = _bare("ostergotland")
    rival = Keyword(
        id=KeywordId("ROG-SO-99999"),
        name="Läkemedelsrelaterade problem, äldre",
        type=KeywordType.TEXT,
    )
    region = replace(region, keywords={**region.keywords, rival.id: rival})
    got = [s for s in _suggest(region, espir, min_score=0.5) if s.kind is Section.KEYWORDS]
    assert _pairs(got) == [("keywords", "ROG-SO-41060", "ESP-SO-00203")]
    (winner,) = got
    assert [(a.local_id, a.baseline_id) for a in winner.alternatives] == [
        ("ROG-SO-99999", "ESP-SO-00203")
    ]
    assert winner.alternatives[0].score < winner.score


def test_draft_keeps_existing_entries_and_uncommenting_confirms(
    espir: Baseline, bare_ostergotland: Path, tmp_path: Path
) -> None:
    region = load_checked_region(EXAMPLES / "jonkoping")
    draft = render_yaml(_suggest(region, espir, min_score=0.55), region, espir, 0.55)
    parsed = yaml.safe_load(draft)
    assert parsed["keywords"] == dict(region.mapping.keywords)
    assert parsed["templates"] == dict(region.mapping.templates)
    assert parsed["valueLists"] == dict(region.mapping.value_lists)
    assert "  # RJL-JT-0031: ESP-JM-PSY-004  # Bastabell psykiatri" in draft.splitlines()

    bare = load_checked_region(bare_ostergotland)
    suggestions = _suggest(bare, espir)
    text = render_yaml(suggestions, bare, espir, DEFAULT_MIN_SCORE)
    confirmed = re.sub(r"(?m)^  # ((?:ROG|ESP)-\S+: \S+  # .*)$", r"  \1", text)
    (bare_ostergotland / "mapping.yaml").write_text(confirmed, encoding="utf-8")
    mapping = read_mapping_yaml(bare_ostergotland / "mapping.yaml", "mapping.yaml")
    assert mapping.keywords == {"ROG-SO-41060": "ESP-SO-00203"}
    assert mapping.templates == {"ROG-JM-2201": "ESP-JM-LM-001"}
    matches = match_region(load_checked_region(bare_ostergotland), espir)
    assert matches.templates.method["ROG-JM-2201"] is MatchMethod.MAPPING


def test_json_form(espir: Baseline) -> None:
    data = json.loads(render_json(_suggest(_bare("ostergotland"), espir)))
    assert [set(d) for d in data] == [
        {
            "kind",
            "local_id",
            "local_name",
            "baseline_id",
            "baseline_name",
            "score",
            "evidence",
            "alternatives",
        }
    ] * 2
    assert data[0]["kind"] == "keywords"
    assert data[0]["evidence"]["type"] == {"score": 1.0, "weight": 0.1, "detail": "same type Text"}
    assert data[1]["evidence"]["noteType"]["detail"] == "same note type bes"


# -- the command line -------------------------------------------------------------------------
def test_cli_prints_the_draft(bare_ostergotland: Path) -> None:
    r = run_cli("suggest-mapping", "--baseline", ESPIR, bare_ostergotland)
    assert r.code == 0, r.stderr
    assert r.stdout.startswith("# DRAFT mapping.yaml for region ostergotland")
    assert "  # ROG-JM-2201: ESP-JM-LM-001  # Läkemedelsgenomgång, enkel" in r.stdout
    assert yaml.safe_load(r.stdout) == {"keywords": None, "templates": None, "valueLists": {}}


def test_cli_writes_a_file_refuses_to_overwrite_and_is_deterministic(
    bare_ostergotland: Path, tmp_path: Path
) -> None:
    out = tmp_path / "draft.yaml"
    first = run_cli("suggest-mapping", "-b", ESPIR, bare_ostergotland, "--output", out)
    assert first.code == 0, first.stderr
    assert "ROG-SO-41060" in first.stdout and "0.98" in first.stdout  # the summary table
    assert f"wrote yaml draft {out}: 2 suggestion(s), none applied" in first.stdout
    written = out.read_bytes()
    refused = run_cli("suggest-mapping", "-b", ESPIR, bare_ostergotland, "-o", out)
    assert refused.code == 2
    assert f"{out}: exists; give --force to overwrite it" in refused.stderr
    out.write_text("changed", encoding="utf-8")
    forced = run_cli("suggest-mapping", "-b", ESPIR, bare_ostergotland, "-o", out, "--force")
    assert forced.code == 0
    assert out.read_bytes() == written
    again = run_cli("suggest-mapping", "-b", ESPIR, bare_ostergotland)
    assert again.stdout.encode() == written


def test_cli_json_and_min_score(bare_ostergotland: Path) -> None:
    r = run_cli("suggest-mapping", "-b", "espir", bare_ostergotland, "--format", "json")
    assert r.code == 0
    assert [(d["kind"], d["local_id"]) for d in json.loads(r.stdout)] == [
        ("keywords", "ROG-SO-41060"),
        ("templates", "ROG-JM-2201"),
    ]
    strict = run_cli(
        "suggest-mapping", "-b", ESPIR, bare_ostergotland, "-f", "json", "--min-score", "0.95"
    )
    assert [d["local_id"] for d in json.loads(strict.stdout)] == ["ROG-SO-41060"]
    bad = run_cli("suggest-mapping", "-b", ESPIR, bare_ostergotland, "--min-score", "1.5")
    assert bad.code == 2


def test_cli_bad_input_exits_2(tmp_path: Path, bare_ostergotland: Path) -> None:
    missing = run_cli("suggest-mapping", "-b", ESPIR, tmp_path / "nowhere")
    assert missing.code == 2
    no_baseline = run_cli("suggest-mapping", "-b", tmp_path / "nobase", bare_ostergotland)
    assert no_baseline.code == 2
    assert "no such baseline folder" in no_baseline.stderr
    (bare_ostergotland / "mapping.yaml").write_text(
        "keywords:\n  ROG-SO-1: ESP-SO-99999\n", encoding="utf-8"
    )
    wrong = run_cli("suggest-mapping", "-b", ESPIR, bare_ostergotland)
    assert wrong.code == 2
    assert "ESP-SO-99999" in wrong.stderr
    no_folder = run_cli(
        "suggest-mapping", "-b", ESPIR, bare_ostergotland, "-o", tmp_path / "no" / "draft.yaml"
    )
    assert no_folder.code == 2


def test_help_names_the_default_and_cli_start_up_stays_light() -> None:
    r = run_cli("suggest-mapping", "--help")
    assert r.code == 0
    assert f"default: {DEFAULT_MIN_SCORE}," in " ".join(r.stdout.split())
    code = (
        "import sys, cosmicdiff.cli; "
        "print('rapidfuzz' in sys.modules, 'cosmicdiff.match.suggest' in sys.modules)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert proc.stdout.split() == ["False", "False"]


# -- measured quality -------------------------------------------------------------------------
def test_examples_quality_at_the_default() -> None:
    result = sq.measure(sq.example_cases(), [DEFAULT_MIN_SCORE])[DEFAULT_MIN_SCORE]
    total = sq.Tally()
    for tally in result.values():
        total.add(tally)
    assert (total.tp, total.fp, total.fn) == (2, 0, 0)


def test_benchmark_corpus_quality_floor(tmp_path: Path) -> None:
    """Measured 1.000/1.000 at scale 0.05, seeds 1-3; the floor leaves room for generator
    changes without letting a real regression through."""
    corpus = sq.generate_corpus(tmp_path / "corpus", 0.05, 1)
    for without_mapping in (False, True):
        result = sq.measure(sq.corpus_cases(corpus, without_mapping), [DEFAULT_MIN_SCORE])
        total = sq.Tally()
        for tally in result[DEFAULT_MIN_SCORE].values():
            total.add(tally)
        assert total.tp >= 70
        assert total.precision >= 0.95, total
        assert total.recall >= 0.95, total


def test_cli_without_suggestions_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "kalmar"
    shutil.copytree(EXAMPLES / "kalmar", folder)
    (folder / "mapping.yaml").unlink()
    out = tmp_path / "draft.json"
    r = run_cli("suggest-mapping", "-b", ESPIR, folder, "-o", out, "-f", "json")
    assert r.code == 0
    assert "no suggestions: nothing left unpaired scores at least the minimum" in r.stdout
    assert json.loads(out.read_text(encoding="utf-8")) == []
