"""Rankings as the screens show them: computed on the session's in-memory snapshot and cached.

Rankings are cached per snapshot, so the screens that show one (criteria preview, results,
overview) compute it once per change; the score cube is cached until the scores change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vendor_eval.errors import UserError
from vendor_eval.scoring.engine import rank_snapshot
from vendor_eval.scoring.results import RankingResult, TariffResult
from vendor_eval.scoring.tariffs import tariffs_snapshot
from vendor_eval.ui import tasks
from vendor_eval.ui.session import EvaluationSession


def _choices(session: EvaluationSession) -> tuple[str, str, str | None]:
    """The session's method, aggregation and tariff scenario: the key a ranking is cached under.
    A scenario that was removed is forgotten first (back to prices as quoted)."""
    if session.tariff_scenario is not None and session.tariff_scenario not in tariff_scenarios(session):
        session.tariff_scenario = None
    return (session.method, session.aggregation, session.tariff_scenario)


def rank(session: EvaluationSession) -> RankingResult:
    """RankingResult for the session's snapshot with its chosen method, aggregation and tariff scenario."""
    key = _choices(session)
    cached = session.cache.get("ranking")
    # Compared by identity: every change installs a new snapshot object.
    if cached is not None and cached[0] is session.snapshot and cached[1] == key:
        hit: RankingResult = cached[2]
        return hit
    # The same function services.ranking calls, on the snapshot already in memory: a weight
    # change does not re-read 180,000 scores (the 100 ms budget).
    result = rank_snapshot(session.snapshot, method=session.method, aggregation=session.aggregation or None,
                           cube=score_cube(session), tariff_scenario=session.tariff_scenario)
    session.cache["ranking"] = (session.snapshot, key, result)
    return result


def ranked(session: EvaluationSession) -> bool:
    """The ranking for the session's snapshot and choices is known (computed, or refused)."""
    key = _choices(session)
    return any(entry is not None and entry[0] is session.snapshot and entry[1] == key
               for entry in (session.cache.get("ranking"), session.cache.get("ranking refused")))


def rank_in_background(session: EvaluationSession, ready: Callable[[], None]) -> None:
    """Compute the ranking for the session's snapshot and choices off the UI thread (ranking 60
    vendors x 200 criteria x 15 evaluators holds the UI thread tens of ms, TOPSIS more); ready()
    runs on the UI thread once it is in the cache (or refused: try_rank then says why)."""
    snapshot, key = session.snapshot, _choices(session)
    if session.cache.get("ranking pending") == (id(snapshot), key):
        return  # already under way: its ready() follows

    def work(_progress: Any) -> RankingResult:
        return rank_snapshot(snapshot, method=key[0], aggregation=key[1] or None, cube=snapshot.score_cube(),
                             tariff_scenario=key[2])

    def done(result: RankingResult) -> None:
        session.cache.pop("ranking pending", None)
        session.cache["ranking"] = (snapshot, key, result)
        ready()

    def refused(exc: BaseException) -> None:
        session.cache.pop("ranking pending", None)
        if not isinstance(exc, UserError):
            raise exc
        session.cache["ranking refused"] = (snapshot, key, exc)
        ready()

    session.cache["ranking pending"] = (id(snapshot), key)
    tasks.run_task(work, done, refused)


def tariffs(session: EvaluationSession) -> TariffResult:
    """Cost over the term per vendor and scenario, from the snapshot in memory (cached per snapshot):
    services.tariffs.compute_tariffs would re-read the whole evaluation on the UI thread."""
    cached = session.cache.get("tariffs")
    if cached is not None and cached[0] is session.snapshot:
        hit: TariffResult = cached[1]
        return hit
    result = tariffs_snapshot(session.snapshot)
    session.cache["tariffs"] = (session.snapshot, result)
    return result


def tariff_scenarios(session: EvaluationSession) -> list[str]:
    """The scenario names a ranking can be priced under, in the evaluation's order."""
    return [s.name for s in session.snapshot.tariff_scenarios]


def score_cube(session: EvaluationSession) -> Any:
    """The evaluators x vendors x criteria cube (the snapshot caches it and patches it per score)."""
    return session.snapshot.score_cube()


def try_rank(session: EvaluationSession) -> tuple[RankingResult | None, UserError | None]:
    """(result, None) or (None, why not): a ranking that cannot be computed yet is a message, not an error."""
    key = _choices(session)
    refused = session.cache.get("ranking refused")
    if refused is not None and refused[0] is session.snapshot and refused[1] == key:
        return None, refused[2]
    try:
        return rank(session), None
    except UserError as exc:
        return None, exc


def describe_variant_dict(variant: dict[str, str]) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in (variant or {}).items())


def describe_variant(result: Any) -> str:
    """Name the method variant: MCDA results depend on it silently otherwise (DOMAIN.md)."""
    variant = {k: v for k, v in result.variant.items() if k != "method"}  # the picker already shows it
    details = describe_variant_dict(variant)
    return f"Scores: {result.score_scale}. " + details[:1].upper() + details[1:]  # a new sentence
