"""The schema: SQLAlchemy 2.0 typed ORM models. Only storage/ and services/ import this.

Every child row hangs off its evaluation with ON DELETE CASCADE, so deleting a
vendor, an evaluator, a criterion or a whole evaluation never leaves orphaned
scores behind. Weights are stored as the user entered them (percent); the
scoring code normalises.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints: Alembic batch migrations on SQLite cannot alter unnamed ones.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC: SQLite has no time zones, so everything stored is UTC by convention."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


def _fk(target: str, ondelete: str = "CASCADE") -> ForeignKey:
    return ForeignKey(target, ondelete=ondelete)


class Evaluation(Base):
    __tablename__ = "evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    template_name: Mapped[str] = mapped_column(String(200), default="")
    missing_policy: Mapped[str] = mapped_column(String(20), default="block")
    aggregation: Mapped[str] = mapped_column(String(20), default="mean")
    # How price criteria are scored from quoted prices: "ratio", "linear", or "scores" (by the evaluators).
    price_formula: Mapped[str] = mapped_column(String(20), default="ratio", server_default="ratio")
    discuss_threshold: Mapped[float] = mapped_column(Float, default=0.20)
    must_discuss_threshold: Mapped[float] = mapped_column(Float, default=0.50)
    blind_mode: Mapped[bool] = mapped_column(Boolean, default=True)
    two_envelope: Mapped[bool] = mapped_column(Boolean, default=False)
    questionnaire_deadline: Mapped[str] = mapped_column(String(40), default="")
    questionnaire_contact: Mapped[str] = mapped_column(String(200), default="")
    # Public buyers must publish criteria weights and the method; private ones may keep them.
    disclose_weights: Mapped[bool] = mapped_column(Boolean, default=False)
    template_version: Mapped[str] = mapped_column(String(20), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    finalised_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    finalised_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The ranking as it stood when finalised (JSON), so later code changes cannot alter the record.
    frozen_result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)

    groups: Mapped[list[CriterionGroup]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="CriterionGroup.position",
    )
    vendors: Mapped[list[Vendor]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Vendor.position",
    )
    evaluators: Mapped[list[Evaluator]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Evaluator.position",
    )


class CriterionGroup(Base):
    __tablename__ = "criterion_group"
    __table_args__ = (UniqueConstraint("evaluation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    position: Mapped[int] = mapped_column(Integer, default=0)

    evaluation: Mapped[Evaluation] = relationship(back_populates="groups")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True,
        order_by="Criterion.position",
    )


class Criterion(Base):
    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "key"),
        UniqueConstraint("evaluation_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    group_id: Mapped[int] = mapped_column(_fk("criterion_group.id"), index=True)
    key: Mapped[str] = mapped_column(String(100))  # stable id used by questionnaires
    name: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text, default="")
    guidance: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    scale_min: Mapped[float] = mapped_column(Float, default=0.0)
    scale_max: Mapped[float] = mapped_column(Float, default=5.0)
    descriptors: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    direction: Mapped[str] = mapped_column(String(3), default="max")
    knockout: Mapped[bool] = mapped_column(Boolean, default=False)
    knockout_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    is_cost: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_type: Mapped[str] = mapped_column(String(20), default="text")
    answer_unit: Mapped[str] = mapped_column(String(40), default="")
    answer_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    answer_max: Mapped[float | None] = mapped_column(Float, nullable=True)
    choices: Mapped[list[Any]] = mapped_column(JSON, default=list)
    scoring_rule: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Vendor-facing "what to provide"; `guidance` is for evaluators only and never sent out.
    provide: Mapped[str] = mapped_column(Text, default="")
    answer_integer: Mapped[bool] = mapped_column(Boolean, default=False)
    answer_example: Mapped[str] = mapped_column(String(200), default="")

    group: Mapped[CriterionGroup] = relationship(back_populates="criteria")


class Vendor(Base):
    __tablename__ = "vendor"
    __table_args__ = (UniqueConstraint("evaluation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    legal_name: Mapped[str] = mapped_column(String(300), default="")
    contact: Mapped[str] = mapped_column(String(300), default="")
    hq_country: Mapped[str] = mapped_column(String(100), default="")
    delivery_locations: Mapped[list[Any]] = mapped_column(JSON, default=list)
    deployment_model: Mapped[str] = mapped_column(String(20), default="")
    hosting_model: Mapped[str] = mapped_column(String(20), default="")
    modalities: Mapped[list[Any]] = mapped_column(JSON, default=list)
    service_types: Mapped[list[Any]] = mapped_column(JSON, default=list)
    certifications: Mapped[list[Any]] = mapped_column(JSON, default=list)
    contract_term_years: Mapped[float] = mapped_column(Float, default=5.0)
    escalation_cap_pct: Mapped[float | None] = mapped_column(Float, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    evaluation: Mapped[Evaluation] = relationship(back_populates="vendors")


class Evaluator(Base):
    __tablename__ = "evaluator"
    __table_args__ = (UniqueConstraint("evaluation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")
    # Two-envelope mode: "technical" evaluators see no cost criteria until technical scoring is submitted.
    envelope: Mapped[str] = mapped_column(String(20), default="all")
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    evaluation: Mapped[Evaluation] = relationship(back_populates="evaluators")


class Score(Base):
    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("evaluator_id", "vendor_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluator_id: Mapped[int] = mapped_column(_fk("evaluator.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(_fk("vendor.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(_fk("criterion.id"), index=True)
    value: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # Optimistic concurrency: a writer states the version it read; a mismatch is a conflict.
    version: Mapped[int] = mapped_column(Integer, default=1)


class ConsensusScore(Base):
    __tablename__ = "consensus_score"
    __table_args__ = (UniqueConstraint("vendor_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(_fk("vendor.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(_fk("criterion.id"), index=True)
    value: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    set_by: Mapped[str] = mapped_column(String(200), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)


class AuditEvent(Base):
    """One change, hash-chained per evaluation so that editing or deleting history shows."""

    __tablename__ = "audit_event"
    __table_args__ = (UniqueConstraint("evaluation_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[str] = mapped_column(String(32))  # ISO-8601 UTC, kept as text so the hash is stable
    actor: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(50))
    entity_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    field: Mapped[str] = mapped_column(String(100), default="")
    old_value: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON text
    new_value: Mapped[str | None] = mapped_column(Text, nullable=True)  # JSON text
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# --- questionnaires, tariffs and conflict declarations (migration 0002) ---------------


class QuestionnaireImport(Base):
    __tablename__ = "questionnaire_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    vendor_id: Mapped[int] = mapped_column(_fk("vendor.id"), index=True)
    file_name: Mapped[str] = mapped_column(String(500))
    file_size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    template_version: Mapped[str] = mapped_column(String(20), default="")
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    imported_by: Mapped[str] = mapped_column(String(200), default="")


class Answer(Base):
    """A vendor's questionnaire answer to one criterion (value as JSON: str, number or list)."""

    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("vendor_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(_fk("vendor.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(_fk("criterion.id"), index=True)
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    evidence: Mapped[str] = mapped_column(Text, default="")
    attachment_ref: Mapped[str] = mapped_column(Text, default="")
    import_id: Mapped[int | None] = mapped_column(_fk("questionnaire_import.id", "SET NULL"), nullable=True)


class SuggestedScore(Base):
    """A score proposed by a criterion's rule from an answer; kept apart from evaluators' scores."""

    __tablename__ = "suggested_score"
    __table_args__ = (UniqueConstraint("vendor_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(_fk("vendor.id"), index=True)
    criterion_id: Mapped[int] = mapped_column(_fk("criterion.id"), index=True)
    value: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text, default="")
    import_id: Mapped[int | None] = mapped_column(_fk("questionnaire_import.id", "SET NULL"), nullable=True)


class CostLine(Base):
    """One line of a vendor's annual cost, as the tariff scenarios need it."""

    __tablename__ = "cost_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    vendor_id: Mapped[int] = mapped_column(_fk("vendor.id"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300), default="")
    annual_amount: Mapped[float] = mapped_column(Float)
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    origin_country: Mapped[str] = mapped_column(String(100), default="")
    pass_through: Mapped[bool] = mapped_column(Boolean, default=False)
    imaging_equipment: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class TariffScenario(Base):
    __tablename__ = "tariff_scenario"
    __table_args__ = (UniqueConstraint("evaluation_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    rates: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # origin -> rate (0.25 = 25 %)
    imaging_exemption: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ConflictDeclaration(Base):
    """Append-only: a new declaration never replaces or deletes an earlier one."""

    __tablename__ = "conflict_declaration"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(_fk("evaluator.id"), index=True)
    declared_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    declared_by: Mapped[str] = mapped_column(String(200), default="")
    vendor_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)  # empty = no conflict
    statement: Mapped[str] = mapped_column(Text, default="")


# --- conditions of award (migration 0003) -----------------------------------------------------


class AwardCondition(Base):
    """What must be true after award and before go-live (e.g. credentialing at each hospital):
    for every vendor, or for one; often from a knock-out that can only be met after signing."""

    __tablename__ = "award_condition"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    criterion_id: Mapped[int | None] = mapped_column(_fk("criterion.id", "SET NULL"), nullable=True)
    vendor_id: Mapped[int | None] = mapped_column(_fk("vendor.id"), nullable=True, index=True)
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


# --- a shared committee database on PostgreSQL (migration 0005) ------------------------


class ServerUser(Base):
    """A database login mapped to an evaluator of one evaluation. Only a PostgreSQL server
    reads this table (its row-level security policies, storage/server.py); on SQLite it stays empty."""

    __tablename__ = "server_user"
    __table_args__ = (UniqueConstraint("login", "evaluation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(63))  # PostgreSQL's longest role name
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(_fk("evaluator.id"), index=True)


# --- evaluator scoresheets (migration 0006) ------------------------------------------


class ScoresheetIssue(Base):
    """One scoresheet workbook sent to an evaluator: the token the file must carry back, and the
    evaluator's scores as they stood at issue (cell -> [value, comment, version]), so that an
    import can tell a score changed in the app since from one the evaluator changed on the sheet."""

    __tablename__ = "scoresheet_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(_fk("evaluation.id"), index=True)
    evaluator_id: Mapped[int] = mapped_column(_fk("evaluator.id"), index=True)
    token: Mapped[str] = mapped_column(String(64))
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issued_by: Mapped[str] = mapped_column(String(200), default="")
    criteria_digest: Mapped[str] = mapped_column(String(64), default="")
    baseline: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # "vendor_id:criterion_id" -> [v, c, ver]
