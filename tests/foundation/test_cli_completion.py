"""`vendor-eval-cli completion`: the generated bash script is valid and completes commands,
options, choices and file names in a real bash; the zsh script is valid zsh when zsh is here."""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import subprocess
from pathlib import Path

import pytest

from vendor_eval.cli import build_parser, main

BASH = shutil.which("bash")
pytestmark = pytest.mark.skipif(BASH is None, reason="bash is not installed")

# For each line typed so far (one per line of stdin): fills COMP_WORDS as bash does, calls the
# completion function that `complete -F` registered, and prints one candidate per line, then
# an empty line.
COMPLETE = """
source "$1"
spec=$(complete -p vendor-eval-cli) || exit 3
fn=${spec#*-F }; fn=${fn%% *}
while IFS= read -r typed; do
  read -ra COMP_WORDS <<< "$typed"
  [[ $typed == *" " ]] && COMP_WORDS+=("")
  COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_LINE=$typed; COMP_POINT=${#typed}; COMPREPLY=()
  "$fn" vendor-eval-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
  printf '%s\\n' "${COMPREPLY[@]}" ""
done
"""


@pytest.fixture(scope="module")
def bash_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    capture = tmp_path_factory.mktemp("completion") / "vendor-eval-cli.bash"
    out = io.StringIO()  # module scope: capsys is per test
    with contextlib.redirect_stdout(out):
        assert main(["completion", "bash"]) == 0
    capture.write_text(out.getvalue())
    return capture


def complete_each(script: Path, lines: list[str], cwd: Path | None = None) -> list[list[str]]:
    """The candidates bash offers for each line, all in one bash."""
    done = subprocess.run([str(BASH), "-c", COMPLETE, "complete", str(script)], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, timeout=30, cwd=cwd)
    assert done.returncode == 0, done.stderr
    return [block.split() for block in done.stdout.split("\n\n")[:len(lines)]]


def complete(script: Path, typed: str, cwd: Path | None = None) -> list[str]:
    return complete_each(script, [typed], cwd)[0]


def _commands(parser: argparse.ArgumentParser, words: tuple[str, ...] = ()) -> dict[str, argparse.ArgumentParser]:
    """Every command and sub-command (e.g. 'server add-user') with its parser."""
    found = {}
    for action in parser._actions:  # argparse has no public walk over its sub-parsers
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                found[" ".join((*words, name))] = child
                found |= _commands(child, (*words, name))
    return found


def test_the_bash_script_is_valid_bash(bash_script: Path) -> None:
    done = subprocess.run([str(BASH), "-n", str(bash_script)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_completes_a_command_name(bash_script: Path) -> None:
    assert complete(bash_script, "vendor-eval-cli rep") == ["report"]
    every = set(complete(bash_script, "vendor-eval-cli "))
    commands = next(a for a in build_parser()._actions if a.dest == "command").choices
    assert every == set(commands) and "completion" in every


def test_completes_options_and_their_choices(bash_script: Path) -> None:
    assert complete(bash_script, "vendor-eval-cli report --for") == ["--format"]
    assert complete(bash_script, "vendor-eval-cli report --format ") == ["pdf", "xlsx"]
    assert complete(bash_script, "vendor-eval-cli --d") == ["--db"]  # shared options before the command
    assert complete(bash_script, "vendor-eval-cli --db rfp.db ra") == ["rank"]


def test_every_option_of_every_command_completes(bash_script: Path) -> None:
    commands = _commands(build_parser())
    offered = complete_each(bash_script, [f"vendor-eval-cli {words} --" for words in commands])
    for (words, parser), candidates in zip(commands.items(), offered, strict=True):
        options = {o for action in parser._actions for o in action.option_strings if o.startswith("--")}
        assert set(candidates) == options, words
    assert len(commands) > 35 and "--price-formula" in offered[list(commands).index("rank")]


def test_a_path_argument_completes_file_names(bash_script: Path, tmp_path: Path) -> None:
    (tmp_path / "committee.db").write_text("")
    assert complete(bash_script, "vendor-eval-cli rank --db comm", cwd=tmp_path) == ["committee.db"]


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_the_zsh_script_is_valid_zsh(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "zsh"]) == 0
    script = tmp_path / "_vendor-eval-cli"
    script.write_text(capsys.readouterr().out)
    done = subprocess.run([str(shutil.which("zsh")), "-n", str(script)], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_an_unknown_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["completion", "fish"])
    assert exc.value.code == 2 and "invalid choice: 'fish'" in capsys.readouterr().err
