"""server users: database logins mapped to evaluators; the audit chain's head for PostgreSQL

Revision ID: 0005
Revises: 0004
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# Evaluators under row-level security may not read every audit event of their evaluation
# (others' scores in blind mode), yet each appended event must follow the true head. This
# function reads the head as its owner, after taking the evaluation's writer turn.
CHAIN_HEAD = """
CREATE OR REPLACE FUNCTION vendor_eval_chain_head(evaluation integer, OUT seq integer, OUT hash varchar)
LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('audit:' || evaluation));
    SELECT a.seq, a.hash INTO seq, hash FROM audit_event a
     WHERE a.evaluation_id = evaluation ORDER BY a.seq DESC LIMIT 1;
END $$
"""


def upgrade() -> None:
    op.create_table('server_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('login', sa.String(length=63), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], name=op.f('fk_server_user_evaluation_id_evaluation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluator_id'], ['evaluator.id'], name=op.f('fk_server_user_evaluator_id_evaluator'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_server_user')),
    sa.UniqueConstraint('login', 'evaluation_id', name=op.f('uq_server_user_login_evaluation_id'))
    )
    with op.batch_alter_table('server_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_server_user_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_server_user_evaluator_id'), ['evaluator_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(CHAIN_HEAD)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS vendor_eval_chain_head(integer)")
    with op.batch_alter_table('server_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_server_user_evaluator_id'))
        batch_op.drop_index(batch_op.f('ix_server_user_evaluation_id'))
    op.drop_table('server_user')
