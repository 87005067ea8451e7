"""The decision-engine services as the screens call them, found at call time.

Services from other issues land one by one; a screen asks ``available()`` and disables its
action with the reason while one is missing. Rankings are cached per snapshot, so the
screens that show one (criteria preview, results, overview) compute it once per change.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
from typing import Any

from vendor_eval.errors import UserError
from vendor_eval.ui.session import EvaluationSession

MISSING = "{what} is not available yet: vendor_eval/services/{module}.py has not landed."


def available(module: str) -> bool:
    return importlib.util.find_spec(f"vendor_eval.services.{module}") is not None


def service(module: str) -> Any:
    return importlib.import_module(f"vendor_eval.services.{module}")


def missing_reason(module: str, what: str) -> str:
    return MISSING.format(module=module, what=what)


def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Pass only the keyword arguments the service accepts (APIs still settling across issues)."""
    params = inspect.signature(fn).parameters
    if not any(p.kind == p.VAR_KEYWORD for p in params.values()):
        kwargs = {k: v for k, v in kwargs.items() if k in params}
    return fn(*args, **kwargs)


def rank(session: EvaluationSession) -> Any:
    """RankingResult for the session's snapshot with its chosen method and aggregation."""
    key = (session.method, session.aggregation)
    cached = session.cache.get("ranking")
    # Compared by identity: every change installs a new snapshot object.
    if cached is not None and cached[0] is session.snapshot and cached[1] == key:
        return cached[2]
    aggregation = session.aggregation or None  # None: the evaluation's own setting
    if importlib.util.find_spec("vendor_eval.scoring.engine") is not None:
        # The same function services.ranking calls, on the snapshot already in memory: a weight
        # change does not re-read 180,000 scores (the 100 ms budget).
        engine = importlib.import_module("vendor_eval.scoring.engine")
        result = call(engine.rank_snapshot, session.snapshot, method=session.method, aggregation=aggregation,
                       cube=score_cube(session))
    else:
        result = call(service("ranking").rank_evaluation, session.db, session.evaluation_id,
                       method=session.method, aggregation=aggregation)
    session.cache["ranking"] = (session.snapshot, key, result)
    return result


def score_cube(session: EvaluationSession) -> Any:
    """The evaluators x vendors x criteria cube, rebuilt only when the scores (not the weights) change."""
    snap = session.snapshot
    order = tuple(c.id for c in snap.criteria)  # a weight change makes new Criterion objects, same order
    cached = session.cache.get("cube")
    if cached is not None and cached[0] is snap.scores and cached[1] is snap.vendors and cached[2] == order:
        return cached[3]
    cube = snap.score_cube()
    session.cache["cube"] = (snap.scores, snap.vendors, order, cube)
    return cube


def warm(snapshot: Any) -> dict[str, Any]:
    """Work for opening an evaluation that can run off the UI thread: import the engine (slow the
    first time), build the score cube and the default ranking; returns session.cache entries."""
    cache: dict[str, Any] = {}
    order = tuple(c.id for c in snapshot.criteria)
    cube = snapshot.score_cube()
    cache["cube"] = (snapshot.scores, snapshot.vendors, order, cube)
    if importlib.util.find_spec("vendor_eval.scoring.engine") is not None:
        engine = importlib.import_module("vendor_eval.scoring.engine")
        try:
            result = call(engine.rank_snapshot, snapshot, method="weighted", aggregation=None, cube=cube)
        except UserError:
            return cache
        cache["ranking"] = (snapshot, ("weighted", ""), result)
    return cache


def try_rank(session: EvaluationSession) -> tuple[Any | None, str]:
    """(result, "") or (None, why not): a ranking that cannot be computed yet is a message, not an error."""
    if not available("ranking"):
        return None, missing_reason("ranking", "Ranking")
    try:
        return rank(session), ""
    except UserError as exc:
        return None, str(exc)


def describe_variant_dict(variant: dict[str, str]) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in (variant or {}).items())


def describe_variant(result: Any) -> str:
    """Name the method variant: MCDA results depend on it silently otherwise (DOMAIN.md)."""
    scale = getattr(result, "score_scale", "")
    return f"Method {result.method} ({scale}). " + describe_variant_dict(getattr(result, "variant", {}))


def is_cancel(exc: BaseException) -> bool:
    from vendor_eval.ui.tasks import Cancelled

    return isinstance(exc, Cancelled)
