"""One vocabulary: the choice lists live in vendor_eval/vocabulary.py and nowhere else, and
every layer that offers or checks a choice offers exactly that list."""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

from vendor_eval import vocabulary
from vendor_eval.cli import build_parser
from vendor_eval.errors import ValidationError
from vendor_eval.scoring import aggregate, price
from vendor_eval.scoring.weighted import weighted_sum

PACKAGE = Path(vocabulary.__file__).parent
LISTS = {name: set(value) for name, value in vars(vocabulary).items() if name.isupper() and len(value) >= 2}


def _string_sets(tree: ast.AST) -> list[tuple[int, set[str]]]:
    """Every literal that spells a set of words: a list/tuple/set of strings, a dict's string keys,
    or the first items of (value, label) pairs."""
    def words(items: list[ast.expr | None]) -> set[str] | None:
        found = {i.value for i in items if isinstance(i, ast.Constant) and isinstance(i.value, str)}
        return found if len(found) == len(items) else None

    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            pairs = [e.elts[0] for e in node.elts if isinstance(e, ast.Tuple) and len(e.elts) == 2]
            for group in (list(node.elts), pairs if len(pairs) == len(node.elts) else []):
                if group and (found := words(group)):
                    out.append((node.lineno, found))
        elif isinstance(node, ast.Dict) and (found := words(list(node.keys))):
            out.append((node.lineno, found))
    return out


def test_no_module_spells_a_choice_list_of_its_own() -> None:
    repeated = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "vocabulary.py" or "migrations" in path.parts:
            continue
        for line, found in _string_sets(ast.parse(path.read_text(encoding="utf-8"))):
            for name, values in LISTS.items():
                if found >= values or (len(found) >= 3 and found <= values):
                    repeated.append(f"{path.relative_to(PACKAGE)}:{line} repeats vocabulary.{name}")
    assert not repeated, "\n".join(repeated)


def test_the_check_sees_a_repeated_list() -> None:
    source = 'POLICIES = ("block", "minimum", "renormalise")\nBOX = (("mean", "Mean"), ("median", "M"), ("trimmed", "T"))'
    found = [s for _, s in _string_sets(ast.parse(source))]
    assert {"block", "minimum", "renormalise"} in found and {"mean", "median", "trimmed"} in found


@pytest.mark.parametrize(("option", "vocab"), [
    ("--method", vocabulary.METHODS), ("--aggregate", vocabulary.AGGREGATIONS),
    ("--missing", vocabulary.MISSING_POLICIES), ("--price-formula", vocabulary.PRICE_FORMULAS),
])
def test_the_cli_offers_the_vocabulary(option: str, vocab: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["rank", "X", option, "nonsense"])
    err = capsys.readouterr().err
    assert all(repr(value) in err for value in vocab), err


def test_scoring_accepts_every_word_and_refuses_others() -> None:
    cube = np.array([[[3.0, 4.0], [2.0, 5.0]]])  # 1 evaluator x 2 vendors x 2 criteria
    for method in vocabulary.AGGREGATIONS:
        aggregate.aggregate(cube, method)
    with pytest.raises(ValidationError, match="must be one of mean, median, trimmed, consensus"):
        aggregate.aggregate(cube, "mode")
    for policy in vocabulary.MISSING_POLICIES:
        weighted_sum(np.array([[0.6, 1.0], [0.4, 0.2]]), np.array([0.5, 0.5]), policy)
    with pytest.raises(ValidationError, match="block, minimum, renormalise"):
        weighted_sum(np.array([[0.6, 1.0], [0.4, 0.2]]), np.array([0.5, 0.5]), "ignore")
    for formula in vocabulary.QUOTED_PRICE_FORMULAS:
        price.price_scores([100.0, 200.0], ["A", "B"], formula)
