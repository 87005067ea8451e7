"""Export the committee report (PDF or Excel) of one evaluation.

Reads the evaluation once (one Snapshot), runs the decision engine on it, and hands the
plain results to vendor_eval.io. The workbook's full verification of the record runs beside
the rest, in a forked process (services.integrity.Verification), and the workbook asks its
verdict last. The file appears only when it is complete: it is written beside the target
under a temporary name and renamed into place.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from threadpoolctl import threadpool_limits

from vendor_eval.domain import AuditRow, Snapshot
from vendor_eval.errors import ValidationError
from vendor_eval.io.report.contents import build_report_data
from vendor_eval.io.report.data import ReportInputs
from vendor_eval.io.report.pdf import write_pdf
from vendor_eval.io.report.xlsx import write_xlsx
from vendor_eval.scoring import engine
from vendor_eval.scoring import tariffs as tariff_model
from vendor_eval.scoring.results import SensitivityResult, TariffResult
from vendor_eval.services import integrity, lifecycle
from vendor_eval.services.audit_log import audit_row
from vendor_eval.services.lookup import Ref
from vendor_eval.services.snapshot import gc_paused, load_snapshot
from vendor_eval.storage import Database, open_database
from vendor_eval.storage.audit import is_seal
from vendor_eval.storage.models import AuditEvent
from vendor_eval.vocabulary import REPORT_FORMATS

SMAA_SAMPLES = 10_000
SMAA_SEED = 0  # fixed: the same data always prints the same acceptabilities
Progress = Callable[[float, str], None]


def report_inputs(db: Database, ref: Ref, progress: Progress | None = None, method: str = "weighted",
                  aggregation: str | None = None, scenario: str | None = None, audit: bool = True) -> ReportInputs:
    """Everything a report shows, computed from one consistent read of the evaluation, ranked as
    the committee chose (method, aggregation; None = the evaluation's own; a tariff scenario).
    audit=False leaves out the change log and its verification (a full digest of the decision
    state), which only the workbook prints. The verification runs beside the rest (another
    process, services.integrity.Verification): chain_intact is then a function that waits for
    its verdict, which the workbook asks last."""
    note = progress or (lambda _f, _m: None)
    note(0.0, "reading the evaluation")
    snap = load_snapshot(db, ref)
    check = integrity.Verification(db, snap.evaluation.id, snap.audit_head) if audit else None
    # One BLAS thread: OpenBLAS's others spin-wait for work after each product, and took the
    # other core from the verification (the large workbook, on 2 free cores: 2.1 s, 1.35 s
    # with one thread). It also makes the products, and so SMAA's central weights (to the
    # last bit), the same on every machine whatever its number of cores.
    try:
        with threadpool_limits(limits=1, user_api="blas"):
            note(0.1, "ranking")
            cube = snap.score_cube()
            ranking = engine.rank_snapshot(snap, method, aggregation, cube=cube, tariff_scenario=scenario)
            scored = len(snap.scores) > 0  # else nothing to compare: the report says so (data.nothing_scored)
            disagreement = engine.disagreement_snapshot(snap) if scored else None
            note(0.2, "sensitivity analysis")
            sensitivity = _sensitivity(snap, aggregation, scenario) if scored else None
        log = _audit_log(db, snap) if audit else ()
        tariffs = _tariffs(snap)
    except BaseException:
        if check is not None:
            check.cancel()
        raise
    return ReportInputs(snapshot=snap, ranking=ranking, generated_at=datetime.now(UTC).replace(tzinfo=None),
                        disagreement=disagreement, sensitivity=sensitivity, tariffs=tariffs, audit=log,
                        chain_intact=check)


def _sensitivity(snap: Snapshot, aggregation: str | None, scenario: str | None) -> SensitivityResult | None:
    """None when the analysis does not apply (every vendor disqualified, gaps under 'renormalise');
    the report then says it was not computed rather than failing."""
    try:
        return engine.sensitivity_snapshot(snap, samples=SMAA_SAMPLES, seed=SMAA_SEED, aggregation=aggregation,
                                           tariff_scenario=scenario)
    except ValidationError:
        return None


def _tariffs(snap: Snapshot) -> TariffResult | None:
    """On this Snapshot (a second load could see newer data); None when there is nothing to price."""
    if not snap.tariff_scenarios or not snap.cost_lines:
        return None
    try:
        return tariff_model.tariffs_snapshot(snap)
    except ValidationError:
        return None


def _audit_log(db: Database, snap: Snapshot) -> tuple[AuditRow, ...]:
    """The change log up to the chain head the fingerprint covers."""
    with db.read() as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.evaluation_id == snap.evaluation.id)
                                .order_by(AuditEvent.seq)))
        cut = next((i + 1 for i, e in enumerate(events) if e.hash == snap.audit_head), len(events))
        return tuple(audit_row(e) for e in events[:cut] if not is_seal(e))


def export_report(db: Database, ref: Ref, fmt: str, path: str | Path, progress: Progress | None = None,
                  method: str = "weighted", aggregation: str | None = None, scenario: str | None = None) -> Path:
    """Write the PDF or Excel committee report to path; returns the path written."""
    if fmt not in REPORT_FORMATS:
        raise ValidationError(f"The report format must be one of {', '.join(REPORT_FORMATS)}, got {fmt!r}.")
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise ValidationError(f"The folder {target.parent} does not exist; choose where to save the report.")
    if target.is_dir():
        raise ValidationError(f"{target} is a folder; give the report a file name, e.g. {target / 'report.pdf'}.")
    frozen = lifecycle.frozen_view(db, ref)
    if frozen is not None and frozen.problem is not None:
        # A report under the finalised cover must show the ranking of record; live rows that differ were tampered with.
        raise ValidationError(f"No report was written: {frozen.evaluation!r} is finalised, but {frozen.problem} "
                              "Run 'vendor-eval-cli verify' and restore the file from a backup.")
    note = progress or (lambda _f, _m: None)
    with gc_paused():  # 10^5-10^6 short-lived objects, no cycles: a full collection or two cost 0.1-0.2 s
        _write(db, ref, fmt, target, note, method, aggregation, scenario)
    return target


def _write(db: Database, ref: Ref, fmt: str, target: Path, note: Progress, method: str,
           aggregation: str | None, scenario: str | None) -> None:
    inputs = report_inputs(db, ref, lambda f, m: note(0.4 * f, m), method, aggregation, scenario,
                           audit=fmt == "xlsx")  # the PDF prints no change log

    def later(fraction: float, message: str) -> None:
        note(0.4 + 0.6 * fraction, message)

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ValidationError(f"The report cannot be written in {target.parent}: {exc.strerror or exc}.") from None
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        data = build_report_data(inputs)  # both formats lay out the same prepared data
        (write_pdf if fmt == "pdf" else write_xlsx)(data, tmp, later)
        os.replace(tmp, target)
    except OSError as exc:
        raise ValidationError(f"The report could not be written to {target}: {exc.strerror or exc}.") from None
    finally:
        tmp.unlink(missing_ok=True)
        if isinstance(inputs.chain_intact, integrity.Verification):
            inputs.chain_intact.cancel()  # done already, unless the writing failed


def export_report_from(target: str, ref: Ref, fmt: str, path: str | Path, progress: Progress | None = None,
                       method: str = "weighted", aggregation: str | None = None, scenario: str | None = None) -> Path:
    """export_report on a connection of its own, for a worker process: the app that started it
    has already migrated the database and taken its daily backup."""
    db = open_database(target, migrate=False, daily_backup=False)
    try:
        return export_report(db, ref, fmt, path, progress, method, aggregation, scenario)
    finally:
        db.dispose()
