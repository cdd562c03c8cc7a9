"""round closed

A round closes when its review window ends: the sweep then edits its reveal's buttons
(Review closed), once, and records it in `closed_at`; `reveal_ref` says which message
that is. Rounds whose window had already ended are closed as they stand (no edit
storm over the whole history), and a partial index keeps the sweep's question
(revealed, not yet closed) small however long the history.

Revision ID: 0011_round_closed
Revises: 0010
"""

import datetime as dt

from alembic import op
import sqlalchemy as sa


revision = '0011_round_closed'
down_revision = '0010'
branch_labels = None
depends_on = None

REVIEW_WINDOW = dt.timedelta(hours=48)  # bot.study.scoring's, as it was when this was written


def upgrade() -> None:
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reveal_ref', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('closed_at', sa.DateTime(), nullable=True))
        batch_op.create_index('ix_rounds_unclosed', ['revealed_at'], unique=False, sqlite_where=sa.text('revealed_at IS NOT NULL AND closed_at IS NULL'), postgresql_where=sa.text('revealed_at IS NOT NULL AND closed_at IS NULL'))
    ended = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None) - REVIEW_WINDOW  # naive UTC, as stored
    op.execute(sa.text("UPDATE rounds SET closed_at = revealed_at WHERE revealed_at IS NOT NULL AND revealed_at <= :ended").bindparams(ended=ended))


def downgrade() -> None:
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_rounds_unclosed', sqlite_where=sa.text('revealed_at IS NOT NULL AND closed_at IS NULL'), postgresql_where=sa.text('revealed_at IS NOT NULL AND closed_at IS NULL'))
        batch_op.drop_column('closed_at')
        batch_op.drop_column('reveal_ref')
