"""Plain data that crosses the layers: services build it from storage, and scoring,
io and ui read it. No database, no Qt: frozen dataclasses and numpy arrays.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, overload

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
    """One evaluator's score of one cell, as the few callers that want an object see it."""

    id: int
    evaluator_id: int
    vendor_id: int
    criterion_id: int
    value: float
    comment: str
    updated_at: datetime | None  # None when read from a ScoreTable loaded without timestamps
    version: int


Cell = tuple[int, int, int]  # (evaluator_id, vendor_id, criterion_id)
_FOLD = 256  # edited cells an overlay holds before they are folded into new columns


class ScoreTable:
    """Evaluators' scores as columns: one numpy array per field, one row per score.

    A large evaluation holds 10^5-10^6 scores; as objects they cost ~500 bytes each and
    seconds to load, as columns 48 bytes plus the comments that are not empty. Timestamps
    are optional (load_snapshot leaves them out: no screen or report reads them and parsing
    them cost more than the rest of the load); rows without them have updated_at None.

    Immutable, like the Snapshot that holds it. with_cell() returns a new table that shares
    these arrays and carries the changed cells in a small overlay, so an edit costs
    O(overlay) and never a pass over every score; the overlay is folded into new columns
    when it grows past _FOLD cells, or once when a reader wants whole columns.
    Reads as a sequence of ScoreEntry (len, index, iterate, compare with a tuple).
    """

    __slots__ = ("_base", "_overlay", "_merged")
    _COLUMNS = ("id", "evaluator_id", "vendor_id", "criterion_id", "value", "version")

    def __init__(self, id: Any = (), evaluator_id: Any = (), vendor_id: Any = (), criterion_id: Any = (),
                 value: Any = (), version: Any = (), comments: dict[int, str] | None = None,
                 updated_at: Any = None) -> None:
        ints = [np.asarray(x, np.int64) for x in (id, evaluator_id, vendor_id, criterion_id)]
        cols: dict[str, Any] = dict(zip(self._COLUMNS[:4], ints, strict=True))
        cols["value"] = np.asarray(value, float)
        cols["version"] = np.asarray(version, np.int64)
        cols["updated_at"] = None if updated_at is None else np.asarray(updated_at, "datetime64[us]")
        cols["comments"] = {k: c for k, c in (comments or {}).items() if c}  # score id -> text, empty left out
        for a in cols.values():
            if isinstance(a, np.ndarray):
                a.flags.writeable = False  # shared by every copy made with with_cell
        self._base = cols
        self._overlay: dict[Cell, ScoreEntry | None] = {}
        self._merged: dict[str, Any] | None = cols

    @classmethod
    def of(cls, entries: Iterable[ScoreEntry]) -> ScoreTable:
        rows = list(entries)
        stamps = [r.updated_at for r in rows]
        ids, evaluators, vendors, criteria, values, versions = (tuple(getattr(r, c) for r in rows) for c in cls._COLUMNS)
        return cls(ids, evaluators, vendors, criteria, values, versions, comments={r.id: r.comment for r in rows},
                   updated_at=None if not rows or None in stamps else stamps)

    # --- columns ---
    def _columns(self) -> dict[str, Any]:
        """The base with the overlay applied (computed once per table)."""
        if self._merged is None:
            base, overlay = self._base, self._overlay
            keep = np.ones(len(base["id"]), bool)
            for cell in overlay:
                row = self._base_row(cell)
                if row is not None:
                    keep[row] = False
            added = [x for x in overlay.values() if x is not None]
            cols: dict[str, Any] = {c: np.concatenate([base[c][keep], np.array([getattr(x, c) for x in added], base[c].dtype)])
                    for c in self._COLUMNS}
            stamps = base["updated_at"]
            if stamps is not None:
                cols["updated_at"] = (None if any(x.updated_at is None for x in added) else np.concatenate(
                    [stamps[keep], np.array([x.updated_at for x in added], stamps.dtype)]))
            else:
                cols["updated_at"] = None
            gone = {int(i) for i in base["id"][~keep]}
            comments = {k: c for k, c in base["comments"].items() if k not in gone}
            comments.update({x.id: x.comment for x in added if x.comment})
            cols["comments"] = comments
            if added:  # back in id order, as a fresh load reads them (an edited cell keeps its place)
                order = np.argsort(cols["id"], kind="stable")
                for c in (*self._COLUMNS, "updated_at"):
                    if cols[c] is not None:
                        cols[c] = cols[c][order]
            self._merged = cols
        return self._merged

    @property
    def id(self) -> np.ndarray:
        return self._columns()["id"]  # type: ignore[no-any-return]

    @property
    def evaluator_id(self) -> np.ndarray:
        return self._columns()["evaluator_id"]  # type: ignore[no-any-return]

    @property
    def vendor_id(self) -> np.ndarray:
        return self._columns()["vendor_id"]  # type: ignore[no-any-return]

    @property
    def criterion_id(self) -> np.ndarray:
        return self._columns()["criterion_id"]  # type: ignore[no-any-return]

    @property
    def value(self) -> np.ndarray:
        return self._columns()["value"]  # type: ignore[no-any-return]

    @property
    def version(self) -> np.ndarray:
        return self._columns()["version"]  # type: ignore[no-any-return]

    @property
    def comments(self) -> dict[int, str]:
        """Score id -> comment, for the scores whose comment is not empty."""
        return self._columns()["comments"]  # type: ignore[no-any-return]

    # --- rows ---
    def entry(self, row: int) -> ScoreEntry:
        cols = self._columns()
        sid = int(cols["id"][row])
        stamps = cols["updated_at"]
        return ScoreEntry(sid, int(cols["evaluator_id"][row]), int(cols["vendor_id"][row]),
                          int(cols["criterion_id"][row]), float(cols["value"][row]), cols["comments"].get(sid, ""),
                          None if stamps is None else stamps[row].item(), int(cols["version"][row]))

    def rows(self, mask: np.ndarray | None = None) -> Iterator[ScoreEntry]:
        """The scores as entries, in table order; with a boolean mask only those it selects."""
        picked = range(len(self)) if mask is None else np.flatnonzero(mask).tolist()
        return (self.entry(i) for i in picked)

    def with_comments(self) -> Iterator[ScoreEntry]:
        """The scores whose comment is not empty."""
        wanted = self.comments
        return self.rows(np.isin(self.id, np.fromiter(wanted, np.int64, len(wanted))))

    def get(self, evaluator_id: int, vendor_id: int, criterion_id: int) -> ScoreEntry | None:
        """One cell's score, found without a pass over the table."""
        cell = (evaluator_id, vendor_id, criterion_id)
        if cell in self._overlay:
            return self._overlay[cell]
        row = self._base_row(cell)
        if row is None:
            return None
        base = self._base
        sid = int(base["id"][row])
        stamps = base["updated_at"]
        return ScoreEntry(sid, evaluator_id, vendor_id, criterion_id, float(base["value"][row]),
                          base["comments"].get(sid, ""), None if stamps is None else stamps[row].item(),
                          int(base["version"][row]))

    def _base_row(self, cell: Cell) -> int | None:
        """Row of a cell in the base columns: binary search over a sort made once per base (and
        kept with it, so every copy that shares the base shares the sort)."""
        base = self._base
        if "sorted" not in base:
            order = np.lexsort((base["criterion_id"], base["vendor_id"], base["evaluator_id"]))
            base["sorted"] = (order, base["evaluator_id"][order], base["vendor_id"][order], base["criterion_id"][order])
        order, *keys = base["sorted"]
        lo, hi = 0, len(order)
        for key, want in zip(keys, cell, strict=True):
            lo, hi = lo + int(np.searchsorted(key[lo:hi], want, "left")), lo + int(np.searchsorted(key[lo:hi], want, "right"))
            if lo == hi:
                return None
        return int(order[lo])

    # --- edits ---
    def with_cell(self, evaluator_id: int, vendor_id: int, criterion_id: int, entry: ScoreEntry | None) -> ScoreTable:
        """A copy with one cell set to entry (None: cleared); this table is left as it was."""
        copy = ScoreTable.__new__(ScoreTable)
        copy._base = self._base
        copy._overlay = {**self._overlay, (evaluator_id, vendor_id, criterion_id): entry}
        copy._merged = None
        if len(copy._overlay) > _FOLD:
            folded = copy._columns()
            copy = ScoreTable(**{c: folded[c] for c in (*self._COLUMNS, "comments", "updated_at")})
        return copy

    # --- sequence of ScoreEntry ---
    def __len__(self) -> int:
        if self._merged is not None:
            return len(self._merged["id"])
        n = len(self._base["id"])
        for cell, entry in self._overlay.items():
            n += (entry is not None) - (self._base_row(cell) is not None)
        return n

    def __iter__(self) -> Iterator[ScoreEntry]:
        return self.rows()

    @overload
    def __getitem__(self, i: int) -> ScoreEntry: ...
    @overload
    def __getitem__(self, i: slice) -> tuple[ScoreEntry, ...]: ...
    def __getitem__(self, i: int | slice) -> ScoreEntry | tuple[ScoreEntry, ...]:
        if isinstance(i, slice):
            return tuple(self.entry(r) for r in range(len(self))[i])
        n = len(self)
        if not -n <= i < n:
            raise IndexError("score row out of range")
        return self.entry(i % n)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, ScoreTable):
            return sorted(self) == sorted(other)
        if isinstance(other, tuple | list):
            return sorted(self) == sorted(other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ScoreTable({len(self)} scores)"


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
    scores: ScoreTable  # a tuple of ScoreEntry is accepted and made into a table
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
    _index: dict[str, dict[Any, int]] = field(default_factory=dict, init=False, compare=False, repr=False)
    _cache: dict[str, np.ndarray] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.scores, ScoreTable):
            object.__setattr__(self, "scores", ScoreTable.of(self.scores))
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
        ve, cr = self._index["vendor"], self._index["criterion"]
        for c in self.consensus:
            matrix[ve[c.vendor_id], cr[c.criterion_id]] = c.value
        return matrix
