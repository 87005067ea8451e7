"""Plain data that crosses the layers: services build it from storage, and scoring,
io and ui read it. No database, no Qt: frozen dataclasses and numpy arrays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

import numpy as np

from vendor_eval.cell_table import CellTable, as_table


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
    """One evaluator's score of one cell, as the few callers that want an object see it."""

    id: int
    evaluator_id: int
    vendor_id: int
    criterion_id: int
    value: float
    comment: str
    updated_at: datetime | None  # None when read from a ScoreTable loaded without timestamps
    version: int


class ScoreTable(CellTable[ScoreEntry]):
    """Evaluators' scores as columns (see CellTable). Timestamps are left out by load_snapshot."""

    __slots__ = ()
    ENTRY = ScoreEntry
    KEY = ("evaluator_id", "vendor_id", "criterion_id")
    NUMBERS = {"id": np.int64, "evaluator_id": np.int64, "vendor_id": np.int64, "criterion_id": np.int64,
               "value": np.float64, "version": np.int64}
    TEXTS = ("comment",)

    @property
    def evaluator_id(self) -> np.ndarray:
        return self.column("evaluator_id")  # type: ignore[no-any-return]

    @property
    def version(self) -> np.ndarray:
        return self.column("version")  # type: ignore[no-any-return]

    @property
    def comments(self) -> dict[int, str]:
        """Score id -> comment, for the scores whose comment is not empty."""
        return self.column("comment")  # type: ignore[no-any-return]

    def with_comments(self) -> Iterator[ScoreEntry]:
        """The scores whose comment is not empty."""
        wanted = self.comments
        return self.rows(np.isin(self.id, np.fromiter(wanted, np.int64, len(wanted))))

    def get(self, evaluator_id: int, vendor_id: int, criterion_id: int) -> ScoreEntry | None:
        """One cell's score, found without a pass over the table."""
        return self._get((evaluator_id, vendor_id, criterion_id))

    def with_cell(self, evaluator_id: int, vendor_id: int, criterion_id: int, entry: ScoreEntry | None) -> ScoreTable:
        """A copy with one cell set to entry (None: cleared); this table is left as it was."""
        return self._with((evaluator_id, vendor_id, criterion_id), entry)  # type: ignore[no-any-return]


class ConsensusEntry(NamedTuple):
    """The committee's agreed score for one vendor x criterion cell."""

    id: int
    vendor_id: int
    criterion_id: int
    value: float
    reason: str
    set_by: str
    updated_at: datetime | None  # None when read from a table loaded without timestamps
    version: int


class SuggestionEntry(NamedTuple):
    """A score proposed by a criterion's rule from a vendor's answer."""

    id: int
    vendor_id: int
    criterion_id: int
    value: float
    explanation: str


class _VendorCellTable(CellTable[Any]):
    """Rows keyed by (vendor, criterion): at most one per cell."""

    __slots__ = ()
    KEY = ("vendor_id", "criterion_id")


class ConsensusTable(_VendorCellTable):
    """The committee's consensus as columns (see CellTable); loaded without timestamps."""

    __slots__ = ()
    ENTRY = ConsensusEntry
    NUMBERS = {"id": np.int64, "vendor_id": np.int64, "criterion_id": np.int64, "value": np.float64,
               "version": np.int64}
    TEXTS = ("reason", "set_by")

    def get(self, vendor_id: int, criterion_id: int) -> ConsensusEntry | None:
        return self._get((vendor_id, criterion_id))

    def with_cell(self, vendor_id: int, criterion_id: int, entry: ConsensusEntry | None) -> ConsensusTable:
        return self._with((vendor_id, criterion_id), entry)  # type: ignore[no-any-return]


class SuggestionTable(_VendorCellTable):
    """Suggested scores as columns (see CellTable)."""

    __slots__ = ()
    ENTRY = SuggestionEntry
    NUMBERS = {"id": np.int64, "vendor_id": np.int64, "criterion_id": np.int64, "value": np.float64}
    TEXTS = ("explanation",)

    def get(self, vendor_id: int, criterion_id: int) -> SuggestionEntry | None:
        return self._get((vendor_id, criterion_id))

    def with_cell(self, vendor_id: int, criterion_id: int, entry: SuggestionEntry | None) -> SuggestionTable:
        return self._with((vendor_id, criterion_id), entry)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class AnswerEntry:
    vendor_id: int
    criterion_id: int
    value: Any
    evidence: str
    attachment_ref: str


@dataclass(frozen=True)
class CostLine:
    """One line of a vendor's annual cost: as a questionnaire states it, before it is stored."""

    category: str
    description: str
    annual_amount: float
    currency: str
    origin_country: str
    pass_through: bool
    imaging_equipment: bool


COST_LINE_FIELDS = tuple(f.name for f in dataclasses.fields(CostLine))


@dataclass(frozen=True)
class CostLineEntry(CostLine):
    """A stored cost line."""

    id: int = field(kw_only=True)
    vendor_id: int = field(kw_only=True)


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
    scores: ScoreTable  # a tuple of entries is accepted here and below, and made into a table
    consensus: ConsensusTable = field(default_factory=ConsensusTable)
    suggestions: SuggestionTable = field(default_factory=SuggestionTable)
    answers: tuple[AnswerEntry, ...] = ()
    cost_lines: tuple[CostLineEntry, ...] = ()
    tariff_scenarios: tuple[TariffScenarioEntry, ...] = ()
    declarations: tuple[DeclarationEntry, ...] = ()
    award_conditions: tuple[AwardConditionEntry, ...] = ()
    audit_head: str = ""
    # Derived from the fields above and owned by this snapshot: init=False so that
    # dataclasses.replace() (a copy with new scores, weights...) starts them afresh.
    _index: dict[str, dict[Any, int]] = field(default_factory=dict, init=False, compare=False, repr=False)
    _cache: dict[str, np.ndarray] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        for name, table in (("scores", ScoreTable), ("consensus", ConsensusTable), ("suggestions", SuggestionTable)):
            object.__setattr__(self, name, as_table(table, getattr(self, name)))
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
            t = self.scores
            if len(t):
                where = (self._positions(self.evaluators, t.evaluator_id), self._positions(self.vendors, t.vendor_id),
                         self._positions(self.criteria, t.criterion_id))
                cube[where] = t.value
            self._cache["cube"] = cached = cube
        return cached.copy()

    def prepare(self) -> None:
        """Build the derived caches now (e.g. off the UI thread) rather than at the first edit."""
        self.score_cube()

    # --- copies with one edit applied (the GUI patches its snapshot instead of re-reading it) ---
    def replaced(self, **changes: Any) -> Snapshot:
        """A copy with some fields replaced; every derived cache starts afresh."""
        return dataclasses.replace(self, **changes)

    @staticmethod
    def _positions(members: tuple[Any, ...], ids: np.ndarray) -> np.ndarray:
        """Position of each id in members (vendors, criteria...), vectorised."""
        own = np.array([m.id for m in members], np.int64)
        order = np.argsort(own)
        at = np.minimum(np.searchsorted(own[order], ids), max(len(own) - 1, 0))
        if len(own) == 0 or not np.array_equal(own[order][at], ids):
            raise KeyError("a score names a vendor, criterion or evaluator this evaluation does not have")
        return order[at]

    def with_score(self, evaluator_id: int, vendor_id: int, criterion_id: int, entry: ScoreEntry | None) -> Snapshot:
        """A copy with one cell's score set (None: cleared), for an edit already saved: no pass
        over the other scores; a score cube already built is carried over with the one cell changed."""
        copy = dataclasses.replace(self, scores=self.scores.with_cell(evaluator_id, vendor_id, criterion_id, entry))
        cube = self._cache.get("cube")
        if cube is not None:
            cube = cube.copy()
            at = (self._index["evaluator"][evaluator_id], self._index["vendor"][vendor_id],
                  self._index["criterion"][criterion_id])
            cube[at] = np.nan if entry is None else entry.value
            copy._cache["cube"] = cube
        return copy

    def with_consensus(self, vendor_id: int, criterion_id: int, entry: ConsensusEntry | None) -> Snapshot:
        """A copy with the committee's consensus for one cell set (entry) or cleared (None)."""
        return self._sharing_scores(consensus=self.consensus.with_cell(vendor_id, criterion_id, entry))

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
        """A copy whose scores and entity order are unchanged: the cube still holds."""
        new = self.replaced(**changes)
        if "cube" in self._cache:
            new._cache["cube"] = self._cache["cube"]  # never written in place: copies are handed out
        return new

    def score_of(self, evaluator_id: int, vendor_id: int, criterion_id: int) -> ScoreEntry | None:
        """One evaluator's score for one cell, without scanning every score."""
        return self.scores.get(evaluator_id, vendor_id, criterion_id)

    def consensus_matrix(self) -> np.ndarray:
        """Consensus values as a (vendors x criteria) array, NaN where the committee set none."""
        matrix = np.full((len(self.vendors), len(self.criteria)), np.nan)
        t = self.consensus
        if len(t):
            matrix[self._positions(self.vendors, t.vendor_id), self._positions(self.criteria, t.criterion_id)] = t.value
        return matrix
