"""Terminal: a region x case summary table, then deviations by region, case and severity.

Plain text when piped or with NO_COLOR; Swedish by default, English with ``--lang en``.

Sample::

    cosmicdiff: avvikelser mot espir 2026.1
    ┏━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━┳ …
    ┃ Region ┃ psychiatry           ┃ …
    │ kalmar │ 2/3/1  0.81 (0.79)   │ …
"""

from __future__ import annotations

import io
from collections import defaultdict

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cosmicdiff.reports.base import LABEL_SEPARATOR, RenderContext, Reporter, has_version
from cosmicdiff.reports.i18n import Messages, score_pair
from cosmicdiff.reports.notes_and_trend import note_sources
from cosmicdiff.reports.term_text import readable_result
from cosmicdiff.reports.waiver_text import waiver_note_text
from cosmicdiff.result.finding import Finding
from cosmicdiff.result.result import Result
from cosmicdiff.vocabulary import Severity

_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0))}


def safe(text: object) -> str:
    """Return ``text`` with control characters (ESC, BEL …) shown as ``\\xNN`` escapes."""
    return str(text).translate(_CONTROL)


STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}

#: input notes listed per kind and source (HTML and Markdown list more; JSON has all)
NOTES_PER_KIND = 5


def _pair(d: Finding, t: Messages) -> str:
    left = d.baseline_id or "—"
    right = d.local_id or "—"
    text = f"{left} ↔ {right}"
    if d.name and d.kind.value not in ("missing", "extra", "renamed"):
        text = f"{d.name} ({text})"
    if d.expected is not None or d.actual is not None:
        exp = t.value(d.kind.value, d.expected)
        act = t.value(d.kind.value, d.actual)
        text += f"  {t('expected')}: {exp!s}  {t('actual')}: {act!s}"
    if d.grouped:
        text += f" ({t.count('count.grouped', len(d.grouped))})"
    return text


class TerminalReporter(Reporter):
    """Render the human summary with rich."""

    def render(self, result: Result, ctx: RenderContext) -> str:
        """Return the rendered text (with ANSI styles only when ``ctx.color``)."""
        t = Messages(ctx.lang)
        result = readable_result(result, ctx.lang)
        buf = io.StringIO()
        console = Console(
            file=buf,
            width=ctx.width,
            color_system="standard" if ctx.color else None,
            force_terminal=ctx.color,
            no_color=not ctx.color,
            highlight=False,
            emoji=False,
            soft_wrap=True,
        )
        version = result.baseline_version
        title = (
            t("title", baseline=result.baseline_id, version=version)
            if has_version(version)
            else t("title_unversioned", baseline=result.baseline_id)
        )
        console.print(Text(safe(title), style="bold"))
        console.print(Text(t("evaluated", date=result.evaluated_on, tool=result.tool_version)))
        console.print(self._matrix(result, t))
        self._deviations(console, result, t)
        fail_on = result.fail_on.value if result.fail_on else None
        console.print(Text(t.summary(result.counts(), fail_on)))
        if result.trend is not None:
            self._trend(console, result, t)
        self._notes(console, result, t)
        return buf.getvalue()

    def _notes(self, console: Console, result: Result, t: Messages) -> None:
        """Print the input notes of each source, grouped by kind with counts."""
        sources = note_sources(result, t, NOTES_PER_KIND)
        if not sources:
            return
        console.print()
        console.print(
            Text(f"{t('notes_heading')} ({sum(s.total for s in sources)})", style="bold underline")
        )
        for src in sources:
            head = (
                f"  {src.label} ({src.ident}): {t('notes_count', n=src.total, kinds=src.summary)}"
            )
            console.print(Text(safe(head), style="bold"))
            for group in src.groups:
                console.print(Text(safe(f"    {group.label} ({group.count})")))
                for note in group.shown:
                    console.print(Text(safe(f"      {note}"), style="dim"))
                if group.more:
                    console.print(Text(safe(f"      {t('more_in_json', n=group.more)}")))

    def _trend(self, console: Console, result: Result, t: Messages) -> None:
        trend = result.trend
        assert trend is not None
        c = trend.counts(result)
        console.print(Text(safe(t.trend(trend.source, trend.evaluated_on, c))))
        if result.fail_on_new:
            console.print(Text(t("trend_gate")))
        for region, cases in trend.score_changes(result).items():
            for case_id, change in cases.items():
                before, after = change["before"], change["after"]
                if before is None or after is None or before == after:
                    continue
                shown = score_pair(before, after, t.lang)
                console.print(
                    Text(
                        safe(
                            t(
                                "trend_score",
                                region=region,
                                case=case_id,
                                before=shown[0],
                                after=shown[1],
                            )
                        )
                    )
                )

    def _matrix(self, result: Result, t: Messages) -> Table:
        table = Table(title=t("matrix"), title_justify="left", show_lines=False)
        table.add_column(t("region"))
        cell_counts: dict[tuple[str, str], dict[Severity, int]] = defaultdict(
            lambda: dict.fromkeys(Severity, 0)
        )
        for d in result.deviations:
            cell_counts[(d.region, d.case or "-")][d.severity or Severity.INFO] += 1
        for case_id, name in result.cases:
            table.add_column(Text(safe(f"{name} ({case_id})")), justify="right")
        for region in result.regions:
            if not region.compared:
                table.add_row(
                    Text(safe(region.id)),
                    *[Text(t("not_compared", error="")) for _ in result.cases],
                )
                continue
            row = [Text(safe(region.name or region.id))]
            for case_id, _ in result.cases:
                c = cell_counts[(region.id, case_id)]
                s = result.scores.get(region.id, {}).get(case_id)
                cell = f"{c[Severity.ERROR]}/{c[Severity.WARNING]}/{c[Severity.INFO]}"
                if s is not None:
                    cell += f"  {s.after_waivers:.0%}"
                    if s.raw != s.after_waivers:
                        cell += f" ({t('score_raw')} {s.raw:.0%})"
                row.append(Text(cell))
            table.add_row(*row)
        return table

    def _deviations(self, console: Console, result: Result, t: Messages) -> None:
        names = dict(result.cases)
        for region in result.regions:
            console.print()
            console.print(
                Text(
                    safe(f"{region.name or region.id} ({region.id}) — {region.source}"),
                    style="bold underline",
                )
            )
            if not region.compared:
                console.print(
                    Text(safe(t("not_compared", error=region.error or "")), style="bold red")
                )
                continue
            devs = [d for d in result.deviations if d.region == region.id]
            if not devs:
                console.print(Text(t("no_deviations")))
            groups: dict[str, list[Finding]] = defaultdict(list)
            for d in devs:
                groups[d.case or "-"].append(d)
            for case_id in [c for c, _ in result.cases] + ["-"]:
                if case_id not in groups:
                    continue
                console.print(Text(safe(f"  {names.get(case_id, t('no_case'))}"), style="bold"))
                ordered = sorted(
                    groups[case_id],
                    key=lambda d: (-(d.severity or Severity.INFO).rank, d.sort_key()),
                )
                for d in ordered:
                    console.print(self._line(d, t))
        if result.waiver_notes:
            console.print()
            console.print(Text(t("waivers_heading"), style="bold underline"))
        for note in result.waiver_notes:
            console.print(
                Text(
                    safe(waiver_note_text(note, t)),
                    style="bold red" if note.status == "mismatch" else "yellow",
                )
            )

    def _line(self, d: Finding, t: Messages) -> Text:
        sev = d.severity or Severity.INFO
        line = Text("    ")
        line.append(f"{t('severity.' + sev.value):8}", style=STYLE[sev])
        if d.trend in ("new", "updated"):
            line.append(f" [{t('trend_' + d.trend)}]", style="bold")
        line.append(f" {d.rule} {t('entity.' + d.entity.value)} {t('kind.' + d.kind.value)}")
        if d.field:
            line.append(safe(f" [{d.field}]"))
        line.append(safe(f": {_pair(d, t)}"))
        if d.label_path:
            line.append(safe(f"  @ {LABEL_SEPARATOR.join(d.label_path)}"), style="dim")
        elif d.path and d.path not in (d.baseline_id, d.local_id):
            line.append(safe(f"  @ {d.path}"), style="dim")
        if d.waiver is not None:
            line.append(
                safe(f"  — {t('waived', waiver=d.waiver.id, expires=d.waiver.expires)}"),
                style="green",
            )
        elif d.allowed:
            line.append(f"  — {t('allowed')}", style="green")
        return line
