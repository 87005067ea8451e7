"""vendor-eval-cli: the headless entry point over the services (scripting, CI, benchmarks).

Each module in COMMAND_MODULES adds its subcommands through register(subparsers);
user mistakes end with one sentence on stderr and exit code 1, never a traceback.

Every run builds the whole parser, so a command module imports at its top only what its
arguments need (argparse, the vocabulary); the services, and through them SQLAlchemy, numpy,
openpyxl or reportlab, are imported inside the command functions, when that command runs.
tests/foundation/test_cli_startup.py keeps it so; bench/bench_cli_startup.py measures it.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import io
import re
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from vendor_eval import __version__
from vendor_eval.cli.common import DB_ENV, add_shared_options
from vendor_eval.errors import UserError
from vendor_eval.validation import check_argument, terminal_safe

EPILOG = f"""\
--db, --actor and --json may come before or after the command; ${DB_ENV} sets the database
when --db is not given.

exit codes: 0 done, 1 refused (the message says what and where), 2 usage error,
130 interrupted (the last complete action was saved)."""

COMMAND_MODULES = [
    "vendor_eval.cli.basics",
    "vendor_eval.cli.questionnaires",
    "vendor_eval.cli.scoresheets",
    "vendor_eval.cli.conditions",
    "vendor_eval.cli.decision",
    "vendor_eval.cli.integrity",
    "vendor_eval.cli.demo",
    "vendor_eval.cli.reports",
    "vendor_eval.cli.server",
    "vendor_eval.cli.completion",
]


class _Parser(argparse.ArgumentParser):
    """argparse's refusals quote the argument back: keep them readable and terminal-safe."""

    def error(self, message: str) -> NoReturn:
        super().error(_abbreviated(terminal_safe(message)))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="vendor-eval-cli",
        description="Score and rank medical-imaging outsourcing vendors from the command line.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"vendor_eval {__version__}")
    add_shared_options(parser, before_command=True)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


# main() may run many times in one process (the tests, a script host): argparse takes ~10 ms
# to build the parser, and parsing leaves it unchanged, so it is built once.
_parser = functools.cache(build_parser)


class _TerminalSafe(io.TextIOBase):
    """stdout/stderr for the commands: names holding terminal escapes are shown, not obeyed."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(terminal_safe(text))
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def fileno(self) -> int:
        return self._stream.fileno()

    def isatty(self) -> bool:
        return self._stream.isatty()


def _check_arguments(args: argparse.Namespace) -> None:
    for name, value in vars(args).items():
        if name not in ("func", "command"):
            check_argument(value, f"The {name.replace('_', '-')} argument")


def _abbreviated(message: str) -> str:
    """A sentence stays readable when it quotes a 5,000-character argument back."""
    return re.sub(r"\S{120,}", lambda m: f"{m.group()[:60]}…({len(m.group()):,} characters)…{m.group()[-20:]}", message)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for n, arg in enumerate(argv, start=1):
        try:
            check_argument(arg, f"Argument {n}")
        except UserError as exc:
            print(f"error: {terminal_safe(str(exc))}", file=sys.stderr)
            return 1
    parser = _parser()
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _TerminalSafe(out), _TerminalSafe(err)
    try:
        args = parser.parse_args(argv)
        if args.json and not args.json_capable:
            parser.error(f"'{args.command}' has no JSON output; leave out --json")
        if args.actor is None:
            from vendor_eval.services.audit_log import default_actor  # imports the storage layer

            args.actor = default_actor()
        _check_arguments(args)
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"error: {_abbreviated(str(exc))}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # Output piped into `head` and closed early: not an error of ours or the user's.
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        print("error: interrupted; the last complete action was saved.", file=sys.stderr)
        return 130
    finally:
        sys.stdout, sys.stderr = out, err


if __name__ == "__main__":
    sys.exit(main())
