"""DTDs, entities and XInclude are refused, quickly, and never leak what they point at."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cosmicdiff.errors import CosmicdiffError
from cosmicdiff.parsers import load_export
from parsers.helpers import (
    BASELINES,
    BROKEN,
    DECL,
    DOCTYPE_MESSAGE,
    END,
    FIXTURES,
    ROOT,
    keywords_doc,
    load_error,
    write,
)

#: What the local file an attack points at contains; it must never show in any output.
SECRET = "cosmicdiff-secret-4e1f0c7a"

KEYWORDS_WITH = (
    '  <keywords>\n    <keyword id="K1" name="{name}" type="Text">\n'
    "      <description>{text}</description>\n    </keyword>\n  </keywords>\n"
)


def _attacks(url: str) -> dict[str, str]:
    entity = f'<!DOCTYPE cosmicExport [\n  <!ENTITY secret SYSTEM "{url}">\n]>\n'
    return {
        "entity-in-text": DECL
        + entity
        + ROOT
        + KEYWORDS_WITH.format(name="a", text="&secret;")
        + END,
        "entity-in-attribute": DECL
        + entity
        + ROOT
        + KEYWORDS_WITH.format(name="&secret;", text="x")
        + END,
        "entity-in-root-attribute": DECL
        + entity
        + ROOT.replace('region="r"', 'region="&secret;"')
        + KEYWORDS_WITH.format(name="a", text="x")
        + END,
        "parameter-entity": DECL
        + f'<!DOCTYPE cosmicExport [\n  <!ENTITY % secret SYSTEM "{url}">\n  %secret;\n]>\n'
        + ROOT
        + KEYWORDS_WITH.format(name="a", text="x")
        + END,
        "external-dtd": DECL
        + f'<!DOCTYPE cosmicExport SYSTEM "{url}">\n'
        + ROOT
        + KEYWORDS_WITH.format(name="a", text="x")
        + END,
    }


ATTACKS = list(_attacks("file:///x"))


@pytest.fixture
def secret_url(tmp_path: Path) -> str:
    """Return a file:// URL of a local file holding SECRET."""
    secret = write(tmp_path, "secret.txt", SECRET + "\n")
    return secret.as_uri()


@pytest.mark.parametrize("attack", ATTACKS, ids=ATTACKS)
def test_xxe_is_refused_by_the_loader_without_reading_the_file(
    tmp_path: Path, secret_url: str, attack: str
) -> None:
    path = write(tmp_path, "attack.xml", _attacks(secret_url)[attack])
    err = load_error(path, tmp_path)
    assert [p.path for p in err.problems] == ["attack.xml"]
    assert SECRET not in str(err) and SECRET not in repr(err.problems)


@pytest.mark.parametrize("attack", [pytest.param(a, id=a) for a in ATTACKS])
def test_xxe_is_refused_as_a_doctype(tmp_path: Path, secret_url: str, attack: str) -> None:
    path = write(tmp_path, "attack.xml", _attacks(secret_url)[attack])
    err = load_error(path, tmp_path)
    assert [(p.path, p.message) for p in err.problems] == [("attack.xml", DOCTYPE_MESSAGE)]


@pytest.mark.parametrize("attack", ATTACKS, ids=ATTACKS)
@pytest.mark.parametrize("command", ["validate", "compare"], ids=["validate", "compare"])
def test_xxe_never_reaches_any_output_of_the_cli(
    tmp_path: Path,
    secret_url: str,
    attack: str,
    command: str,
    cli: Callable[..., object],
) -> None:
    path = write(tmp_path, "attack.xml", _attacks(secret_url)[attack])
    args = (
        ["validate", path]
        if command == "validate"
        else ["compare", "--baseline", BASELINES / "mini", "--format", "json", path]
    )
    result = cli(*args)
    assert result.code == 2  # type: ignore[attr-defined]
    output = result.stdout + result.stderr  # type: ignore[attr-defined]
    assert SECRET not in output
    assert "Traceback" not in output


def test_xinclude_is_refused_without_reading_the_file(tmp_path: Path, secret_url: str) -> None:
    text = keywords_doc(
        '<keyword id="K1" name="a" type="Text">',
        '  <description><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" '
        f'href="{secret_url}" parse="text"/></description>',
        "</keyword>",
    )
    err = load_error(write(tmp_path, "xi.xml", text), tmp_path)
    assert err.lines() == ["xi.xml:5: XInclude is not allowed in an export"]
    assert SECRET not in str(err)


def test_xinclude_fixture_is_refused_with_its_line() -> None:
    assert load_error(BROKEN / "xinclude.xml", FIXTURES).lines() == [
        "broken/xinclude.xml:4: XInclude is not allowed in an export"
    ]


DOCTYPE_FIXTURES = sorted(p.name for p in BROKEN.glob("doctype-*.xml"))


@pytest.mark.parametrize("name", DOCTYPE_FIXTURES, ids=[n[:-4] for n in DOCTYPE_FIXTURES])
def test_doctype_fixtures_are_refused_quickly(name: str) -> None:
    start = time.monotonic()
    with pytest.raises(CosmicdiffError) as info:
        load_export(BROKEN / name, FIXTURES)
    elapsed = time.monotonic() - start
    assert elapsed < 5.0
    assert [(p.path, p.message) for p in info.value.problems] == [
        (f"broken/{name}", DOCTYPE_MESSAGE)
    ]
    assert "lollollol" not in str(info.value)


@pytest.mark.parametrize(
    "name",
    ["doctype-billion-laughs-text.xml", "doctype-billion-laughs-attribute.xml"],
    ids=["text", "attribute"],
)
def test_billion_laughs_through_validate_completes_quickly(
    name: str, cli: Callable[..., object]
) -> None:
    start = time.monotonic()
    result = cli("validate", BROKEN / name)
    assert time.monotonic() - start < 5.0
    assert result.code == 2  # type: ignore[attr-defined]
    assert "lollollol" not in result.stdout + result.stderr  # type: ignore[attr-defined]


def test_doctype_refusal_points_at_the_doctype_line() -> None:
    err = load_error(BROKEN / "doctype-external-dtd.xml", FIXTURES)
    assert err.lines() == [f"broken/doctype-external-dtd.xml:2: {DOCTYPE_MESSAGE}"]


def test_undeclared_entity_reference_is_malformed_not_resolved(tmp_path: Path) -> None:
    # Without a DOCTYPE an entity cannot be declared; the five XML entities still work.
    text = keywords_doc(
        '<keyword id="K1" name="&lt;Barn &amp; unga&gt; &quot;x&quot; &apos;y&apos;" type="Text"/>'
    )
    export = load_export(write(tmp_path, "ok.xml", text), tmp_path)
    assert export.keywords["K1"].name == "<Barn & unga> \"x\" 'y'"
