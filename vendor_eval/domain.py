"""Plain data that crosses the layers: services build it from storage, and scoring,
io and ui read it. No database, no Qt: frozen dataclasses and numpy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
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
    disclose_weights: bool = False  # questionnaire Instructions show weights and method
    template_version: str = ""
    price_formula: str = "ratio"  # vocabulary.PRICE_FORMULAS


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
    provide: str = ""  # vendor-facing: what to provide; `guidance` is for evaluators only
    answer_integer: bool = False
    answer_example: str = ""

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
class AwardConditionEntry:
    """A condition the winner must meet after award (vendor_id None: every vendor)."""

    id: int
    criterion_id: int | None
    vendor_id: int | None
    text: str
    position: int


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
    """Everything about one evaluation, read in one transaction."""

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
    award_conditions: tuple[AwardConditionEntry, ...] = ()
    audit_head: str = ""
    # Derived from the fields above and owned by this snapshot: init=False so that
    # dataclasses.replace() (a copy with new scores, weights...) starts them afresh.
    _index: dict[str, dict[int, int]] = field(default_factory=dict, init=False, compare=False, repr=False)
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

    def consensus_matrix(self) -> np.ndarray:
        """Consensus values as a (vendors x criteria) array, NaN where the committee set none."""
        matrix = np.full((len(self.vendors), len(self.criteria)), np.nan)
        ve, cr = self._index["vendor"], self._index["criterion"]
        for c in self.consensus:
            matrix[ve[c.vendor_id], cr[c.criterion_id]] = c.value
        return matrix
