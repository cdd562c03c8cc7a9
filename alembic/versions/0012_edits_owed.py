"""button edits owed until confirmed

A round's two button edits (the question post's when it is revealed, the reveal's when
its review window closes) were made once, when the sweep claimed them: a process that
died before sending one left the old buttons up. Now the platform's confirmation is
recorded (`post_edited_at`, `reveal_edited_at`) and the next sweep makes what is owed.
Edits claimed before this revision are taken as made (no edit storm over the history);
partial indexes keep the sweep's question small however long the history.

Revision ID: 0012_edits_owed
Revises: 0011_round_closed
"""

from alembic import op
import sqlalchemy as sa


revision = '0012_edits_owed'
down_revision = '0011_round_closed'
branch_labels = None
depends_on = None

POST_EDIT_OWED = 'revealed_at IS NOT NULL AND post_edited_at IS NULL'
REVEAL_EDIT_OWED = 'closed_at IS NOT NULL AND reveal_edited_at IS NULL'


def upgrade() -> None:
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('post_edited_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('reveal_edited_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE rounds SET post_edited_at = revealed_at WHERE revealed_at IS NOT NULL")
    op.execute("UPDATE rounds SET reveal_edited_at = closed_at WHERE closed_at IS NOT NULL")
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.create_index('ix_rounds_post_edit_owed', ['revealed_at'], unique=False,
                              sqlite_where=sa.text(POST_EDIT_OWED), postgresql_where=sa.text(POST_EDIT_OWED))
        batch_op.create_index('ix_rounds_reveal_edit_owed', ['closed_at'], unique=False,
                              sqlite_where=sa.text(REVEAL_EDIT_OWED), postgresql_where=sa.text(REVEAL_EDIT_OWED))


def downgrade() -> None:
    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_index('ix_rounds_reveal_edit_owed', sqlite_where=sa.text(REVEAL_EDIT_OWED), postgresql_where=sa.text(REVEAL_EDIT_OWED))
        batch_op.drop_index('ix_rounds_post_edit_owed', sqlite_where=sa.text(POST_EDIT_OWED), postgresql_where=sa.text(POST_EDIT_OWED))
        batch_op.drop_column('reveal_edited_at')
        batch_op.drop_column('post_edited_at')
