"""Questionnaire commands: questionnaire, import, import-matrix, suggestions."""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vendor_eval.cli.common import add_command, emit_json, open_db, print_table
from vendor_eval.vocabulary import ORIENTATIONS

if TYPE_CHECKING:
    from vendor_eval.io.matrix.detect import Overrides


def register(sub: Any) -> None:
    p = add_command(sub, "questionnaire", cmd_questionnaire, "write the vendor questionnaire workbook of an evaluation")
    p.add_argument("evaluation", help="evaluation id or exact name")
    p.add_argument("-o", "--output", required=True, type=Path, help="the .xlsx file to write")
    p.add_argument("--vendor", default=None, help="pre-fill the profile for this vendor and tie the file to it")

    p = add_command(sub, "import", cmd_import, "import completed questionnaires and returned scoresheets (each file all or nothing)",
                    json_output=True)
    p.add_argument("evaluation", help="evaluation id or exact name")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="check the files and show what would change; change nothing")

    p = add_command(sub, "import-matrix", cmd_import_matrix,
                    "create an evaluation from an existing scoring spreadsheet (.xlsx, .csv, .ods; any layout)")
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--name", help="name of the new evaluation (not needed with --dry-run)")
    p.add_argument("--scale", nargs=2, type=float, default=(0.0, 5.0), metavar=("MIN", "MAX"),
                   help="the scale the scores are on (default 0 5)")
    p.add_argument("--sheet", help="read this sheet only")
    p.add_argument("--orientation", choices=list(ORIENTATIONS),
                   help="rows: criteria down the rows; columns: criteria across the columns")
    p.add_argument("--header-row", type=int, metavar="N", help="the row holding the headings (1 = first row)")
    p.add_argument("--weights", metavar="COL_OR_ROW",
                   help="the weight column (its letter) or row (its number), or 'equal'")
    p.add_argument("--mapping", type=Path, metavar="FILE.json",
                   help="a saved mapping (from the wizard or --save-mapping); the options above override it")
    p.add_argument("--save-mapping", type=Path, metavar="FILE.json",
                   help="save how this file was read, for the next file of the same shape")
    p.add_argument("--dry-run", action="store_true", help="print the detected layout and the ranking; change nothing")

    p = add_command(sub, "suggestions", cmd_suggestions, "list scores suggested from questionnaire answers, or accept them",
                    json_output=True)
    p.add_argument("evaluation", help="evaluation id or exact name")
    p.add_argument("--accept", action="store_true", help="make the suggestions the evaluator's scores")
    p.add_argument("--evaluator", help="the evaluator who accepts (with --accept)")
    p.add_argument("--overwrite", action="store_true", help="with --accept: also replace scores already given")


def cmd_questionnaire(args: argparse.Namespace) -> None:
    from vendor_eval.services import questionnaires

    path = questionnaires.generate_questionnaire(open_db(args), args.evaluation, args.output, args.vendor)
    print(f"Wrote questionnaire {path}")


def cmd_import(args: argparse.Namespace) -> int:
    from vendor_eval.services import imports
    from vendor_eval.services.scoresheets import ScoresheetResult

    def progress(done: int, total: int, name: str) -> None:
        if name and total > 1:
            print(f"[{done + 1}/{total}] {name}", file=sys.stderr)

    results = imports.import_workbooks(open_db(args), args.evaluation, args.files, args.actor,
                                       dry_run=args.dry_run, progress=progress)
    if args.json:
        emit_json([r.as_json() if isinstance(r, ScoresheetResult) else {
            "file": r.file_name, "ok": r.ok, "dry_run": r.dry_run, "errors": list(r.errors),
            "warnings": list(r.warnings), "vendor": r.vendor, "vendor_created": r.vendor_created,
            "answers": {"new": r.answers_new, "changed": r.answers_changed, "cleared": r.answers_cleared,
                        "unchanged": r.answers_unchanged},
            "profile_changed": list(r.profile_changed), "cost_lines": r.cost_lines, "suggestions": r.suggestions,
            "sha256": r.sha256,
        } for r in results])
    else:
        for r in results:
            print(r.summary())
            for error in r.errors:
                print(f"  error: {error}")
            for warning in r.warnings:
                print(f"  note: {warning}")
        if args.dry_run:
            print("Dry run: nothing was changed.")
    return 0 if all(r.ok for r in results) else 1


def _matrix_overrides(args: argparse.Namespace) -> Overrides | None:
    from vendor_eval.io.matrix.detect import Overrides
    from vendor_eval.services import matrix_import

    saved = matrix_import.load_mapping(args.mapping) if args.mapping else Overrides()
    given = {k: v for k, v in (("sheet", args.sheet), ("orientation", args.orientation),
                                ("header_row", args.header_row), ("weights", args.weights)) if v is not None}
    over = dataclasses.replace(saved, **given)
    return None if over == Overrides() else over


def cmd_import_matrix(args: argparse.Namespace) -> int:
    from vendor_eval.io.matrix.detect import Overrides
    from vendor_eval.services import matrix_import

    low, high = args.scale
    over = _matrix_overrides(args)
    if args.dry_run or args.save_mapping:
        preview = matrix_import.preview_matrix(args.file, (low, high), over)
        detection = preview.detection
        for line in detection.describe():
            print(line)
        for error in detection.errors:
            print(f"  error: {error}", file=sys.stderr)
        if preview.ranking:
            print("Ranking (weighted sum, 0-100" + (f"; {preview.missing} blank cell(s) count as the scale's minimum"
                                                     if preview.missing else "") + "):")
            print_table(["rank", "vendor", "score"],
                        [[str(i), v, f"{s:.2f}"] for i, (v, s) in enumerate(preview.ranking, start=1)])
        if args.save_mapping and not detection.errors:
            matrix_import.save_mapping(args.save_mapping, detection.mapping(over or Overrides()))
            print(f"Saved the mapping to {args.save_mapping}")
        if args.dry_run:
            print("Dry run: nothing was changed.")
            return 1 if detection.errors else 0
    if not args.name:
        print("error: import-matrix needs --name NAME (or --dry-run)", file=sys.stderr)
        return 1
    summary = matrix_import.import_matrix(open_db(args), args.file, args.name, args.actor, scale=(low, high),
                                          overrides=over)
    who = ", ".join(repr(e) for e in summary.evaluators)
    print(f"Created evaluation {summary.evaluation_id}: {args.name} with {summary.criteria} criteria, "
          f"{summary.vendors} vendors and {summary.scores} scores by evaluator{'s' if len(summary.evaluators) > 1 else ''} "
          f"{who}")
    for warning in summary.warnings:
        print(f"  note: {warning}")
    return 0


def cmd_suggestions(args: argparse.Namespace) -> int:
    from vendor_eval.services import questionnaires

    db = open_db(args)
    if args.accept:
        if not args.evaluator:
            print("error: 'suggestions --accept' needs --evaluator NAME", file=sys.stderr)
            return 1
        summary = questionnaires.accept_all_suggestions(db, args.evaluation, args.evaluator, args.actor,
                                                        overwrite=args.overwrite)
        print(f"Accepted {summary.accepted} suggested score(s) for {args.evaluator}")
        for line in summary.skipped:
            print(f"  skipped: {line}")
        return 0
    rows = questionnaires.list_suggestions(db, args.evaluation)
    if args.json:
        emit_json([{"vendor": r.vendor, "criterion": r.criterion_key, "value": r.value,
                    "explanation": r.explanation, "answer": r.answer} for r in rows])
    else:
        print_table(["vendor", "criterion", "suggested", "because"],
                    [[r.vendor, r.criterion, f"{r.value:g}", r.explanation] for r in rows])
    return 0
