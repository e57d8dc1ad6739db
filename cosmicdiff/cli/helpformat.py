"""How ``--help`` names what an option or argument takes: by its metavar, never by its type.

typer shows a parameter's Python type (``<list[Path]>``, ``<str>``, ``<int range>``) and a
required argument as ``{name}``. Every command of cosmicdiff is a :class:`Command`: an
argument is shown by its metavar alone (``REGION...``, ``RESULT``), in the usage line as
click writes it (``[REGION]...`` optional, ``RESULT`` required), and a choice without a
metavar as ``[a|b|c]``. Every other option names its own metavar (``FILE``, ``DATE``, ``N``);
``tests/test_cli_help.py`` walks every command and fails on a type name.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperArgument, TyperCommand, TyperOption


def _argument_name(param: TyperArgument) -> str:
    """Return an argument's metavar (its name in capitals when it has none)."""
    return param.metavar or (param.name or "").upper()


def argument_usage(param: TyperArgument) -> str:
    """Return how the usage line shows an argument: ``NAME``, ``[NAME]``, ``[NAME]...``."""
    name = _argument_name(param)
    if not param.required:
        name = f"[{name}]"
    return name + ("..." if param.nargs != 1 else "")


def argument_label(param: TyperArgument) -> str:
    """Return how the argument list shows an argument: ``NAME`` or ``NAME...``."""
    return _argument_name(param) + ("..." if param.nargs != 1 else "")


def _choice_metavar(param: TyperOption) -> str | None:
    """Return ``[a|b|c]`` for an option that offers fixed choices, else None."""
    choices = param.type_descriptor.choices
    if not choices:
        return None
    return "[" + "|".join(str(getattr(c, "value", c)) for c in choices) + "]"


class Command(TyperCommand):
    """A typer command whose help names metavars, not types (see the module docstring)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for param in self.params:
            if isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
                param.metavar = _choice_metavar(param)

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        """Return the usage line's pieces, arguments by their metavars."""
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if isinstance(param, TyperArgument):
                pieces.append(argument_usage(param))
            else:
                pieces.extend(param.get_usage_pieces(ctx))
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Write the Arguments and Options sections, arguments by their metavars."""
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if isinstance(param, TyperArgument):
                args.append((argument_label(param), record[1]))
            else:
                opts.append(record)
        for title, records in (("Arguments", args), ("Options", opts)):
            if records:
                with formatter.section(title):
                    formatter.write_dl(records)
