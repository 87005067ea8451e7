"""`vendor-eval-cli completion bash|zsh`: a tab-completion script generated from the parser.

shtab writes a static script (no Python runs on each tab press), so completion follows the
commands and options as they are declared; arguments that name a file complete file names.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from vendor_eval.cli.common import add_command

SHELLS = ("bash", "zsh")
INSTALL = {
    "bash": "eval \"$(vendor-eval-cli completion bash)\"   # in ~/.bashrc",
    "zsh": "vendor-eval-cli completion zsh > \"${fpath[1]}/_vendor-eval-cli\"   # then restart zsh",
}


def register(sub: Any) -> None:
    p = add_command(sub, "completion", cmd_completion,
                    "print the bash or zsh tab-completion script (e.g. eval \"$(vendor-eval-cli completion bash)\")")
    p.add_argument("shell", choices=SHELLS, help="; ".join(f"{s}: {how}" for s, how in INSTALL.items()))


def script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script of parser for shell."""
    import shtab  # here, not at the top: every run of the CLI imports this module

    _mark_paths(parser)
    return str(shtab.complete(parser, shell=shell))


def _mark_paths(parser: argparse.ArgumentParser) -> None:
    """Arguments typed Path, or whose metavar says PATH, complete file names."""
    import shtab

    for action in parser._actions:  # argparse has no public walk over its actions
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                _mark_paths(child)
        elif action.type is Path or "PATH" in str(action.metavar or ""):
            action.complete = shtab.FILE  # type: ignore[attr-defined]  # shtab's documented hook


def cmd_completion(args: argparse.Namespace) -> int:
    from vendor_eval.cli import build_parser  # the whole parser; imported here, as cli imports this module

    print(script(build_parser(), args.shell))
    return 0
