"""The options and arguments several commands share, declared once as ``Annotated`` aliases.

Each has a real metavar (``REGION...``, ``DIR``, ``FILE``, ``DATE``, ``CASE``): see
``cli/helpformat.py``. Path arguments expand wildcards (``cli/paths.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cosmicdiff.cli.choices import MatrixChoice, ReportChoice, check_lang
from cosmicdiff.cli.paths import GLOB_HELP, expand_path, expand_paths

#: the region export folders or files (positional, optional: the settings file may name them)
Regions = Annotated[
    list[Path] | None,
    typer.Argument(
        metavar="REGION",
        help="Region export folders or files (default: regions in the settings file). " + GLOB_HELP,
        show_default=False,
        callback=expand_paths,
    ),
]

#: ``--baseline DIR`` or ``espir``
Baseline = Annotated[
    str | None,
    typer.Option(
        "--baseline",
        "-b",
        metavar="DIR",
        help="Baseline folder or file, or 'espir' for the shipped eSPiR baseline "
        "(default: from the settings file).",
    ),
]

#: ``--case CASE`` (repeatable)
Cases = Annotated[
    list[str] | None,
    typer.Option("--case", metavar="CASE", help="Only this case (repeatable)."),
]

#: ``--format`` of the reports (compare, report)
ReportFormat = Annotated[
    ReportChoice | None,
    typer.Option(
        "--format",
        "-f",
        help="Report format. Default: text on a terminal, json when piped, "
        "or from the --output suffix.",
    ),
]

#: ``--format`` of the matrix
MatrixFormat = Annotated[
    MatrixChoice | None,
    typer.Option(
        "--format",
        "-f",
        help="Default: text on a terminal, json when piped, or from the --output suffix.",
    ),
]

#: ``--output FILE``
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write it to this file (atomically)."),
]

#: ``--lang LANG``: language of names and of reports for people
Lang = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="LANG",
        callback=check_lang,
        help="Language: of the labels compared as names where a format has several (openEHR, "
        "FHIR), and of the reports for people (sv or en; other languages get English) "
        "[default: sv].",
    ),
]

#: ``--waivers FILE``
Waivers = Annotated[
    Path | None,
    typer.Option(
        "--waivers",
        metavar="FILE",
        help="Waiver file (default: waivers.yaml in the baseline folder).",
    ),
]

#: ``--today DATE``
Today = Annotated[
    str | None,
    typer.Option(
        "--today", metavar="DATE", help="Date for waiver expiry (YYYY-MM-DD); default: today."
    ),
]

#: ``--terminology FILE`` (repeatable), on every command that compares
Terminology = Annotated[
    list[Path] | None,
    typer.Option(
        "--terminology",
        metavar="FILE",
        callback=expand_paths,
        help="A FHIR CodeSystem or ValueSet file (or a folder of them) that intensional value "
        "sets are expanded from, besides those among the inputs (repeatable).",
    ),
]

#: ``--sheet NAME``, on the commands that read region and baseline folders
Sheet = Annotated[
    str | None,
    typer.Option(
        "--sheet",
        metavar="NAME",
        help="Sheet of the keyword list workbooks (.xlsx) to read, in every workbook read "
        "(region and baseline) [default: the first visible sheet].",
    ),
]

#: a JSON result written by compare (positional)
ResultFile = Annotated[
    Path,
    typer.Argument(
        metavar="RESULT",
        help="A JSON result written by compare. " + GLOB_HELP,
        show_default=False,
        callback=expand_path,
    ),
]
