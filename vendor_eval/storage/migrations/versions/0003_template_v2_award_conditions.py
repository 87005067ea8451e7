"""imaging template version 2: vendor-facing criterion text, answer formats, disclosure, conditions of award

Revision ID: 0003
Revises: 0002
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('disclose_weights', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('template_version', sa.String(length=20), nullable=False, server_default=''))
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.add_column(sa.Column('provide', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('answer_integer', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('answer_example', sa.String(length=200), nullable=False, server_default=''))
    op.create_table('award_condition',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=True),
    sa.Column('vendor_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['criterion.id'], name=op.f('fk_award_condition_criterion_id_criterion'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_award_condition_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['vendor_id'], ['vendor.id'], name=op.f('fk_award_condition_vendor_id_vendor'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_award_condition'))
    )
    with op.batch_alter_table('award_condition', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_award_condition_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_award_condition_vendor_id'), ['vendor_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('award_condition', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_award_condition_vendor_id'))
        batch_op.drop_index(batch_op.f('ix_award_condition_evaluation_id'))
    op.drop_table('award_condition')
    with op.batch_alter_table('criterion', schema=None) as batch_op:
        batch_op.drop_column('answer_example')
        batch_op.drop_column('answer_integer')
        batch_op.drop_column('provide')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_column('template_version')
        batch_op.drop_column('disclose_weights')
