"""Plain data that crosses the layers: services build it from storage, and scoring,
io and ui read it. No database, no Qt: frozen dataclasses and numpy arrays.
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np


@dataclass(frozen=True)
class EvaluationInfo:
    id: int
    name: str
    organisation: str
    description: str
    status: str
    template_name: str
    missing_policy: str
    aggregation: str
    discuss_threshold: float
    must_discuss_threshold: float
    blind_mode: bool
    two_envelope: bool
    questionnaire_deadline: str
    questionnaire_contact: str
    created_at: datetime
    updated_at: datetime
    finalised_at: datetime | None
    finalised_by: str | None


@dataclass(frozen=True)
class Group:
    id: int
    name: str
    description: str
    weight: float  # percent as entered
    position: int


@dataclass(frozen=True)
class Criterion:
    id: int
    group_id: int
    key: str
    name: str
    question: str
    guidance: str
    weight: float  # percent within its group, as entered
    scale_min: float
    scale_max: float
    descriptors: dict[str, str]
    direction: str  # "max": higher is better; "min": lower is better
    knockout: bool
    knockout_min: float | None
    is_cost: bool
    answer_type: str
    answer_unit: str
    answer_min: float | None
    answer_max: float | None
    choices: tuple[str, ...]
    scoring_rule: dict[str, Any] | None
    position: int

    def descriptor(self, value: float) -> str:
        """The anchored descriptor of the scale point nearest to value ('' when none)."""
        return self.descriptors.get(str(int(round(value))), "")


@dataclass(frozen=True)
class Vendor:
    id: int
    name: str
    legal_name: str = ""
    contact: str = ""
    hq_country: str = ""
    delivery_locations: tuple[str, ...] = ()
    deployment_model: str = ""
    hosting_model: str = ""
    modalities: tuple[str, ...] = ()
    service_types: tuple[str, ...] = ()
    certifications: tuple[str, ...] = ()
    contract_term_years: float = 5.0
    escalation_cap_pct: float | None = None
    notes: str = ""
    position: int = 0


@dataclass(frozen=True)
class Evaluator:
    id: int
    name: str
    role: str
    envelope: str
    submitted_at: datetime | None
    position: int


class ScoreEntry(NamedTuple):
    """A named tuple, not a dataclass: a large evaluation builds 180,000 of these per load."""

    id: int
    evaluator_id: int
    vendor_id: int
    criterion_id: int
    value: float
    comment: str
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class ConsensusEntry:
    id: int
    vendor_id: int
    criterion_id: int
    value: float
    reason: str
    set_by: str
    updated_at: datetime
    version: int


@dataclass(frozen=True)
class SuggestionEntry:
    vendor_id: int
    criterion_id: int
    value: float
    explanation: str


@dataclass(frozen=True)
class AnswerEntry:
    vendor_id: int
    criterion_id: int
    value: Any
    evidence: str
    attachment_ref: str


@dataclass(frozen=True)
class CostLineEntry:
    id: int
    vendor_id: int
    category: str
    description: str
    annual_amount: float
    currency: str
    origin_country: str
    pass_through: bool
    imaging_equipment: bool


@dataclass(frozen=True)
class TariffScenarioEntry:
    id: int
    name: str
    rates: dict[str, float]
    imaging_exemption: bool
    position: int


@dataclass(frozen=True)
class DeclarationEntry:
    id: int
    evaluator_id: int
    declared_at: datetime
    declared_by: str
    vendor_ids: tuple[int, ...]
    statement: str


@dataclass(frozen=True)
class AuditRow:
    """One audit event as people read it (values are their stored JSON text)."""

    seq: int
    at: str
    actor: str
    entity: str
    entity_id: int | None
    field: str
    old_value: str
    new_value: str
    reason: str


@dataclass(frozen=True)
class Snapshot:
    """Everything about one evaluation, read in one transaction.

    Immutable: an edit makes a new snapshot through the ``with_*`` copy methods, which carry over
    the derived caches that are still true (the score cube, patched in one cell) and drop the rest.
    Scores and consensus entries are in id order, as a fresh load returns them.
    """

    evaluation: EvaluationInfo
    groups: tuple[Group, ...]
    criteria: tuple[Criterion, ...]  # in display order: group position, then criterion position
    vendors: tuple[Vendor, ...]
    evaluators: tuple[Evaluator, ...]
    scores: tuple[ScoreEntry, ...]
    consensus: tuple[ConsensusEntry, ...] = ()
    suggestions: tuple[SuggestionEntry, ...] = ()
    answers: tuple[AnswerEntry, ...] = ()
    cost_lines: tuple[CostLineEntry, ...] = ()
    tariff_scenarios: tuple[TariffScenarioEntry, ...] = ()
    declarations: tuple[DeclarationEntry, ...] = ()
    audit_head: str = ""
    # Derived from the fields above and owned by this snapshot: init=False so that
    # dataclasses.replace() (a copy with new scores, weights...) starts them afresh.
    _index: dict[str, dict[Any, int]] = field(default_factory=dict, init=False, compare=False, repr=False)
    _cache: dict[str, np.ndarray] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._index["vendor"] = {v.id: i for i, v in enumerate(self.vendors)}
        self._index["criterion"] = {c.id: i for i, c in enumerate(self.criteria)}
        self._index["evaluator"] = {e.id: i for i, e in enumerate(self.evaluators)}
        self._index["group"] = {g.id: i for i, g in enumerate(self.groups)}

    def index_of(self, kind: str, entity_id: int) -> int:
        return self._index[kind][entity_id]

    def group_of(self, criterion: Criterion) -> Group:
        return self.groups[self._index["group"][criterion.group_id]]

    def score_cube(self) -> np.ndarray:
        """Scores as an (evaluators x vendors x criteria) array, NaN where nobody scored.

        Computed once per snapshot (snapshots are immutable); callers get a copy to change.
        """
        cached = self._cache.get("cube")
        if cached is None:
            cube = np.full((len(self.evaluators), len(self.vendors), len(self.criteria)), np.nan)
            if self.scores:
                ev, ve, cr = self._index["evaluator"], self._index["vendor"], self._index["criterion"]
                n = len(self.scores)
                e_idx = np.fromiter((ev[s.evaluator_id] for s in self.scores), np.intp, n)
                v_idx = np.fromiter((ve[s.vendor_id] for s in self.scores), np.intp, n)
                c_idx = np.fromiter((cr[s.criterion_id] for s in self.scores), np.intp, n)
                cube[e_idx, v_idx, c_idx] = np.fromiter((s.value for s in self.scores), float, n)
            self._cache["cube"] = cached = cube
        return cached.copy()

    def prepare(self) -> None:
        """Build the derived caches now (e.g. off the UI thread) rather than at the first edit."""
        self.score_cube()
        self._score_positions()

    # --- copies with one edit applied (the GUI patches its snapshot instead of re-reading it) ---
    def replaced(self, **changes: Any) -> Snapshot:
        """A copy with some fields replaced; every derived cache starts afresh."""
        return dataclasses.replace(self, **changes)

    def with_score(self, evaluator_id: int, vendor_id: int, criterion_id: int, entry: ScoreEntry | None) -> Snapshot:
        """A copy with one score set (entry, as saved) or cleared (None); the cached cube is patched,
        not rebuilt, so keyboard scoring on 180,000 scores stays cheap."""
        cell = (evaluator_id, vendor_id, criterion_id)
        positions = self._score_positions()
        at = positions.get(cell)
        scores = self.scores
        if at is not None and entry is not None:
            scores = scores[:at] + (entry,) + scores[at + 1:]
            kept: dict[tuple[int, int, int], int] | None = positions  # same cells at the same places
        elif at is not None:
            scores = scores[:at] + scores[at + 1:]
            kept = None  # later entries moved up: rebuilt when next needed
        elif entry is not None:
            scores = scores + (entry,)  # a new row has the highest id: last in id order
            kept = {**positions, cell: len(scores) - 1}
        else:
            return self
        new = self.replaced(scores=scores)
        if kept is not None:
            new._index["score"] = kept
        cube = self._cache.get("cube")
        if cube is not None:
            cube = cube.copy()
            ev, ve, cr = self._index["evaluator"], self._index["vendor"], self._index["criterion"]
            cube[ev[evaluator_id], ve[vendor_id], cr[criterion_id]] = np.nan if entry is None else entry.value
            new._cache["cube"] = cube
        return new

    def with_consensus(self, vendor_id: int, criterion_id: int, entry: ConsensusEntry | None) -> Snapshot:
        """A copy with the committee's consensus for one cell set (entry) or cleared (None)."""
        cell = (vendor_id, criterion_id)
        at = next((i for i, c in enumerate(self.consensus) if (c.vendor_id, c.criterion_id) == cell), None)
        consensus = self.consensus
        if at is not None:
            consensus = consensus[:at] + ((entry,) if entry is not None else ()) + consensus[at + 1:]
        elif entry is not None:
            consensus = consensus + (entry,)
        return self._sharing_scores(consensus=consensus)

    def with_weights(self, criterion_weights: dict[int, float], group_weights: dict[int, float]) -> Snapshot:
        """A copy with new weights (percent as entered); the scores, and so the cube, are unchanged."""
        criteria = tuple(dataclasses.replace(c, weight=criterion_weights[c.id]) if c.id in criterion_weights else c
                         for c in self.criteria)
        groups = tuple(dataclasses.replace(g, weight=group_weights[g.id]) if g.id in group_weights else g
                       for g in self.groups)
        return self._sharing_scores(criteria=criteria, groups=groups)

    def with_evaluator(self, evaluator: Evaluator) -> Snapshot:
        """A copy with one evaluator's details (name, role, submission) replaced."""
        at = self._index["evaluator"][evaluator.id]
        return self._sharing_scores(evaluators=self.evaluators[:at] + (evaluator,) + self.evaluators[at + 1:])

    def with_declaration(self, entry: DeclarationEntry) -> Snapshot:
        """A copy with one more conflict-of-interest declaration (none when it is already there)."""
        if any(d.id == entry.id for d in self.declarations):
            return self
        return self._sharing_scores(declarations=self.declarations + (entry,))

    def _sharing_scores(self, **changes: Any) -> Snapshot:
        """A copy whose scores and entity order are unchanged: the cube and score positions still hold."""
        new = self.replaced(**changes)
        if "score" in self._index:
            new._index["score"] = self._index["score"]
        if "cube" in self._cache:
            new._cache["cube"] = self._cache["cube"]  # never written in place: copies are handed out
        return new

    def _score_positions(self) -> dict[tuple[int, int, int], int]:
        positions = self._index.get("score")
        if positions is None:
            # itemgetter/zip/dict run in C: a few times faster than a comprehension over 180,000 scores.
            positions = dict(zip(map(itemgetter(1, 2, 3), self.scores), itertools.count(), strict=False))
            self._index["score"] = positions
        return positions

    def score_of(self, evaluator_id: int, vendor_id: int, criterion_id: int) -> ScoreEntry | None:
        """One evaluator's score for one cell, without scanning every score."""
        at = self._score_positions().get((evaluator_id, vendor_id, criterion_id))
        return None if at is None else self.scores[at]

    def consensus_matrix(self) -> np.ndarray:
        """Consensus values as a (vendors x criteria) array, NaN where the committee set none."""
        matrix = np.full((len(self.vendors), len(self.criteria)), np.nan)
        ve, cr = self._index["vendor"], self._index["criterion"]
        for c in self.consensus:
            matrix[ve[c.vendor_id], cr[c.criterion_id]] = c.value
        return matrix
