"""questionnaires, tariffs and conflict declarations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:01:24.558658
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tariff_scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('rates', sa.JSON(), nullable=False),
    sa.Column('imaging_exemption', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_tariff_scenario_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tariff_scenario')),
    sa.UniqueConstraint('evaluation_id', 'name', name=op.f('uq_tariff_scenario_evaluation_id_name'))
    )
    with op.batch_alter_table('tariff_scenario', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tariff_scenario_evaluation_id'), ['evaluation_id'], unique=False)

    op.create_table('conflict_declaration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('declared_at', sa.DateTime(), nullable=False),
    sa.Column('declared_by', sa.String(length=200), nullable=False),
    sa.Column('vendor_ids', sa.JSON(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_conflict_declaration_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['evaluator.id'], name=op.f('fk_conflict_declaration_evaluator_id_evaluator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conflict_declaration'))
    )
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conflict_declaration_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_conflict_declaration_evaluator_id'), ['evaluator_id'], unique=False)

    op.create_table('cost_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=40), nullable=False),
    sa.Column('description', sa.String(length=300), nullable=False),
    sa.Column('annual_amount', sa.Float(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('origin_country', sa.String(length=100), nullable=False),
    sa.Column('pass_through', sa.Boolean(), nullable=False),
    sa.Column('imaging_equipment', sa.Boolean(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_cost_line_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_line'))
    )
    with op.batch_alter_table('cost_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_line_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('questionnaire_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=500), nullable=False),
    sa.Column('file_size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('template_version', sa.String(length=20), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('imported_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_questionnaire_import_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_questionnaire_import_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_questionnaire_import'))
    )
    with op.batch_alter_table('questionnaire_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questionnaire_import_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_questionnaire_import_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('attachment_ref', sa.Text(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_answer_criterion_id_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['questionnaire_import.id'], name=op.f('fk_answer_import_id_questionnaire_import'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_answer_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('vendor_id', 'criterion_id', name=op.f('uq_answer_vendor_id_criterion_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_vendor_id'), ['vendor_id'], unique=False)

    op.create_table('suggested_score',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('vendor_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('explanation', sa.Text(), nullable=False),
    sa.Column('import_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_suggested_score_criterion_id_criterion'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['import_id'], ['questionnaire_import.id'], name=op.f('fk_suggested_score_import_id_questionnaire_import'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_suggested_score_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_suggested_score')),
    sa.UniqueConstraint('vendor_id', 'criterion_id', name=op.f('uq_suggested_score_vendor_id_criterion_id'))
    )
    with op.batch_alter_table('suggested_score', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_suggested_score_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_suggested_score_vendor_id'), ['vendor_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('suggested_score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_suggested_score_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_suggested_score_criterion_id'))

    op.drop_table('suggested_score')
    with op.batch_alter_table('score', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_score_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_score_evaluator_id'))
        batch_op.drop_index(batch_op.f('ix_score_criterion_id'))

    op.drop_table('answer')
    with op.batch_alter_table('questionnaire_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_questionnaire_import_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_questionnaire_import_evaluation_id'))

    op.drop_table('questionnaire_import')
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_criterion_group_id'))
        batch_op.drop_index(batch_op.f('ix_criterion_evaluation_id'))

    op.drop_table('cost_line')
    with op.batch_alter_table('conflict_declaration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conflict_declaration_evaluator_id'))
        batch_op.drop_index(batch_op.f('ix_conflict_declaration_evaluation_id'))

    op.drop_table('conflict_declaration')
    with op.batch_alter_table('vendor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vendor_evaluation_id'))

    op.drop_table('tariff_scenario')
    with op.batch_alter_table('evaluator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluator_evaluation_id'))
