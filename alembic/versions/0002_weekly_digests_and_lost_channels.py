"""weekly digests and lost channels

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 04:32:40.903421
"""

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('digests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['groups.id'], name=op.f('fk_digests_group_id_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digests')),
    sa.UniqueConstraint('group_id', 'week_start', name=op.f('uq_digests_group_id_week_start'))
    )
    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('lost_at', sa.DateTime(), nullable=True))




def downgrade() -> None:

    with op.batch_alter_table('groups', schema=None) as batch_op:
        batch_op.drop_column('lost_at')

    op.drop_table('digests')

