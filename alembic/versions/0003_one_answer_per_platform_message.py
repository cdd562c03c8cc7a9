"""one answer per platform message

A message redelivered by the platform (Slack's retries, two HTTP workers, a gateway
resume) must be stored once; a check before the insert races, the database does not.

Revision ID: 0003
Revises: 0002
"""

from alembic import op


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_unique_constraint(op.f('uq_answers_round_id_member_id_message_ref'), ['round_id', 'member_id', 'message_ref'])


def downgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('uq_answers_round_id_member_id_message_ref'), type_='unique')
