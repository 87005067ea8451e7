"""One import for every workbook that comes back: each file goes to the questionnaire or the
scoresheet import by what it holds, so the CLI's `import`, the import wizard and drag-and-drop
need not ask which kind it is."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from vendor_eval.errors import UserError
from vendor_eval.io.excel.scoresheet_import import looks_like_scoresheet
from vendor_eval.services import questionnaires, scoresheets
from vendor_eval.services.lookup import Ref
from vendor_eval.storage import Database

AnyResult = questionnaires.ImportResult | scoresheets.ScoresheetResult


def is_scoresheet(path: Path) -> bool:
    try:
        return looks_like_scoresheet(questionnaires.read_workbook_file(path))
    except UserError:
        return False  # unreadable: the questionnaire import explains why


def import_workbooks(db: Database, ref: Ref, paths: Sequence[Path | str], actor: str, dry_run: bool = False,
                     progress: questionnaires.Progress | None = None) -> list[AnyResult]:
    """Import questionnaires and scoresheets, each file all or nothing; one result per file, in order."""
    files = [Path(p) for p in paths]
    kinds = [is_scoresheet(p) for p in files]
    sheets = [p for p, sheet in zip(files, kinds, strict=True) if sheet]
    others = [p for p, sheet in zip(files, kinds, strict=True) if not sheet]

    def shifted(offset: int) -> questionnaires.Progress | None:
        if progress is None:
            return None
        return lambda done, _total, name: progress(offset + done, len(files), name)

    by_questionnaire = iter(questionnaires.import_questionnaires(db, ref, others, actor, dry_run, shifted(0))
                            if others else [])
    by_sheet = iter(scoresheets.import_scoresheets(db, ref, sheets, actor, dry_run, shifted(len(others)))
                    if sheets else [])
    return [next(by_sheet) if sheet else next(by_questionnaire) for sheet in kinds]
