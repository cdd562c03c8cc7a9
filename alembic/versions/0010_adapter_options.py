"""adapter options

A group's options that only its platform adapter reads (Discord: the role pinged on
the daily post, spoiler-safe threads), kept as one JSON object per group.

Revision ID: 0010
Revises: 0008
"""

from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('adapter_options', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('adapter_options')
