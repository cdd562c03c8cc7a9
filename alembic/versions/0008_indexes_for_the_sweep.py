"""indexes for the sweep

What the scheduler asks every minute (reveals to do, posts, reveals and digests not
yet confirmed, answers whose check was lost) is answered from partial indexes over
just those rows, so a sweep stays as fast with a year of history as with none.

Revision ID: 0008
Revises: 0007
"""

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.create_index('ix_answers_unchecked', ['created_at'], unique=False, sqlite_where=sa.text('verdict IS NULL AND dialect IS NOT NULL'), postgresql_where=sa.text('verdict IS NULL AND dialect IS NOT NULL'))

    with op.batch_alter_table('digests', schema=None) as batch_op:
        batch_op.create_index('ix_digests_undelivered', ['created_at'], unique=False, sqlite_where=sa.text('delivered_at IS NULL'), postgresql_where=sa.text('delivered_at IS NULL'))

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rounds_reveal_at'))
        batch_op.create_index('ix_rounds_reveal_undelivered', ['revealed_at'], unique=False, sqlite_where=sa.text('revealed_at IS NOT NULL AND reveal_delivered_at IS NULL'), postgresql_where=sa.text('revealed_at IS NOT NULL AND reveal_delivered_at IS NULL'))
        batch_op.create_index('ix_rounds_undelivered', ['posted_at'], unique=False, sqlite_where=sa.text('delivered_at IS NULL'), postgresql_where=sa.text('delivered_at IS NULL'))
        batch_op.create_index('ix_rounds_unrevealed', ['reveal_at'], unique=False, sqlite_where=sa.text('revealed_at IS NULL'), postgresql_where=sa.text('revealed_at IS NULL'))



def downgrade() -> None:
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_rounds_unrevealed', sqlite_where=sa.text('revealed_at IS NULL'), postgresql_where=sa.text('revealed_at IS NULL'))
        batch_op.drop_index('ix_rounds_undelivered', sqlite_where=sa.text('delivered_at IS NULL'), postgresql_where=sa.text('delivered_at IS NULL'))
        batch_op.drop_index('ix_rounds_reveal_undelivered', sqlite_where=sa.text('revealed_at IS NOT NULL AND reveal_delivered_at IS NULL'), postgresql_where=sa.text('revealed_at IS NOT NULL AND reveal_delivered_at IS NULL'))
        batch_op.create_index(batch_op.f('ix_rounds_reveal_at'), ['reveal_at'], unique=False)

    with op.batch_alter_table('digests', schema=None) as batch_op:
        batch_op.drop_index('ix_digests_undelivered', sqlite_where=sa.text('delivered_at IS NULL'), postgresql_where=sa.text('delivered_at IS NULL'))

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_index('ix_answers_unchecked', sqlite_where=sa.text('verdict IS NULL AND dialect IS NOT NULL'), postgresql_where=sa.text('verdict IS NULL AND dialect IS NOT NULL'))

