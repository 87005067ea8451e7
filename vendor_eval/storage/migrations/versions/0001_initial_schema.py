"""initial schema: evaluations, criteria, vendors, evaluators, scores, consensus, audit

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:01:24.558658
"""

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('evaluation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('organisation', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('template_name', sa.String(length=200), nullable=False),
    sa.Column('missing_policy', sa.String(length=20), nullable=False),
    sa.Column('aggregation', sa.String(length=20), nullable=False),
    sa.Column('discuss_threshold', sa.Float(), nullable=False),
    sa.Column('must_discuss_threshold', sa.Float(), nullable=False),
    sa.Column('blind_mode', sa.Boolean(), nullable=False),
    sa.Column('two_envelope', sa.Boolean(), nullable=False),
    sa.Column('questionnaire_deadline', sa.String(length=40), nullable=False),
    sa.Column('questionnaire_contact', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('finalised_at', sa.DateTime(), nullable=True),
    sa.Column('finalised_by', sa.String(length=200), nullable=True),
    sa.Column('frozen_result', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation')),
    sa.UniqueConstraint('name', name=op.f('uq_evaluation_name'))
    )
    op.create_table('audit_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('at', sa.String(length=32), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=100), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_audit_event_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_event')),
    sa.UniqueConstraint('evaluation_id', 'seq', name=op.f('uq_audit_event_evaluation_id_seq'))
    )
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_event_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('criterion_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_criterion_group_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion_group')),
    sa.UniqueConstraint('evaluation_id', 'name', name=op.f('uq_criterion_group_evaluation_id_name'))
    )
    with op.batch_alter_table('criterion_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_group_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('evaluator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('envelope', sa.String(length=20), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_evaluator_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluator')),
    sa.UniqueConstraint('evaluation_id', 'name', name=op.f('uq_evaluator_evaluation_id_name'))
    )
    with op.batch_alter_table('evaluator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluator_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('vendor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('legal_name', sa.String(length=300), nullable=False),
    sa.Column('contact', sa.String(length=300), nullable=False),
    sa.Column('hq_country', sa.String(length=100), nullable=False),
    sa.Column('delivery_locations', sa.JSON(), nullable=False),
    sa.Column('deployment_model', sa.String(length=20), nullable=False),
    sa.Column('hosting_model', sa.String(length=20), nullable=False),
    sa.Column('modalities', sa.JSON(), nullable=False),
    sa.Column('service_types', sa.JSON(), nullable=False),
    sa.Column('certifications', sa.JSON(), nullable=False),
    sa.Column('contract_term_years', sa.Float(), nullable=False),
    sa.Column('escalation_cap_pct', sa.Float(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_vendor_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_vendor')),
    sa.UniqueConstraint('evaluation_id', 'name', name=op.f('uq_vendor_evaluation_id_name'))
    )
    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vendor_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('guidance', sa.Text(), nullable=False),
    sa.Column('weight', sa.Float(), nullable=False),
    sa.Column('scale_min', sa.Float(), nullable=False),
    sa.Column('scale_max', sa.Float(), nullable=False),
    sa.Column('descriptors', sa.JSON(), nullable=False),
    sa.Column('direction', sa.String(length=3), nullable=False),
    sa.Column('knockout', sa.Boolean(), nullable=False),
    sa.Column('knockout_min', sa.Float(), nullable=True),
    sa.Column('is_cost', sa.Boolean(), nullable=False),
    sa.Column('answer_type', sa.String(length=20), nullable=False),
    sa.Column('answer_unit', sa.String(length=40), nullable=False),
    sa.Column('answer_min', sa.Float(), nullable=True),
    sa.Column('answer_max', sa.Float(), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('scoring_rule', sa.JSON(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_criterion_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['criterion_group.id'], name=op.f('fk_criterion_group_id_criterion_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_criterion')),
    sa.UniqueConstraint('evaluation_id', 'key', name=op.f('uq_criterion_evaluation_id_key')),
    sa.UniqueConstraint('evaluation_id', 'name', name=op.f('uq_criterion_evaluation_id_name'))
    )
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_criterion_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_criterion_group_id'), ['group_id'], unique=False)

    op.create_table('consensus_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('set_by', sa.String(length=200), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_consensus_score_criterion_id_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_consensus_score_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consensus_score')),
    sa.UniqueConstraint('vendor_id', 'criterion_id', name=op.f('uq_consensus_score_vendor_id_criterion_id'))
    )
    with op.batch_alter_table('consensus_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consensus_score_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consensus_score_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_score_criterion_id_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['evaluator.id'], name=op.f('fk_score_evaluator_id_evaluator'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_score_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_score')),
    sa.UniqueConstraint('evaluator_id', 'vendor_id', 'criterion_id', name=op.f('uq_score_evaluator_id_vendor_id_criterion_id'))
    )
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_score_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_evaluator_id'), ['evaluator_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_score_vendor_id'), ['vendor_id'], unique=False)


def downgrade() -> None:
    op.drop_table('score')
    with op.batch_alter_table('consensus_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consensus_score_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_consensus_score_criterion_id'))

    op.drop_table('consensus_score')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_answer_criterion_id'))

    op.drop_table('criterion')
    with op.batch_alter_table('cost_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_line_vendor_id'))

    op.drop_table('vendor')
    with op.batch_alter_table('tariff_scenario', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tariff_scenario_evaluation_id'))

    op.drop_table('evaluator')
    with op.batch_alter_table('criterion_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_group_evaluation_id'))

    op.drop_table('criterion_group')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_event_evaluation_id'))

    op.drop_table('audit_event')
    op.drop_table('evaluation')
