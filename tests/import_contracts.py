"""An import-linter contract type for the one rule the stock types cannot say.

import-linter sees an external package only as its root ("sqlalchemy"), and a name imported
from a package's __init__ only as the package, so "services may build queries but never make
engines or sessions" and "ui/ names storage's Database but opens nothing itself" need the
imported names themselves: `allowed_names` reads every import from `external` (a package,
its modules included) in the source modules, lazy ones too, and refuses any name not listed.
pyproject.toml registers it under [tool.importlinter].
"""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import grimp
from importlinter import Contract, ContractCheck, fields, output


def _within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def imported_names(source: str, external: str) -> list[tuple[int, str]]:
    """(line, dotted name) of every name a module imports from `external` or its submodules."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _within(a.name, external)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module is not None \
                and _within(node.module, external):
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


class AllowedNamesContract(Contract):
    type_name = "allowed_names"

    source_modules = fields.ListField(subfield=fields.ModuleField())
    external = fields.StringField()
    allowed_names = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        allowed = set(self.allowed_names)  # type: ignore[call-overload]
        external = str(self.external)
        modules: set[str] = set()
        for source in self.source_modules:  # type: ignore[attr-defined]
            modules |= {source.name} | graph.find_descendants(source.name)
        broken = []
        for module in sorted(modules):
            if not any(_within(m, external) for m in graph.find_modules_directly_imported_by(module)):
                continue
            spec = importlib.util.find_spec(module)
            assert spec is not None and spec.origin is not None
            for line, name in imported_names(Path(spec.origin).read_text(encoding="utf-8"), external):
                if name not in allowed:
                    broken.append((module, line, name))
        return ContractCheck(kept=not broken, metadata={"broken": broken})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for module, line, name in check.metadata["broken"]:
            output.print_error(f"- {module} imports {name} (l.{line}), which is not allowed here", bold=False)
            output.new_line()
