"""evaluator scoresheets: one row per workbook issued, with its token and the scores at issue

Revision ID: 0006
Revises: 0005
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('scoresheet_issue',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('issued_at', sa.DateTime(), nullable=False),
    sa.Column('issued_by', sa.String(length=200), nullable=False),
    sa.Column('criteria_digest', sa.String(length=64), nullable=False),
    sa.Column('baseline', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_scoresheet_issue_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['evaluator.id'], name=op.f('fk_scoresheet_issue_evaluator_id_evaluator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_scoresheet_issue'))
    )
    with op.batch_alter_table('scoresheet_issue', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scoresheet_issue_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scoresheet_issue_evaluator_id'), ['evaluator_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('scoresheet_issue', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_scoresheet_issue_evaluator_id'))
        batch_op.drop_index(batch_op.f('ix_scoresheet_issue_evaluation_id'))
    op.drop_table('scoresheet_issue')
