"""answers per question, bonus rounds, digest delivery, clocks

An answer's and a hint's numbering is per question, so after /study skip the
replacement starts at 1 instead of colliding with the skipped question's rows. A
round remembers whether it was opened on a day that was not a study day. A digest is
sent until delivered (the ones already there were). The console's simulated clock is
kept. A member's points total gets its own index.

Revision ID: 0004
Revises: 0003
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('clocks',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('now', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_clocks'))
    )
    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_answers_round_id_member_id_revision'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_answers_round_id_member_id_question_id_revision'), ['round_id', 'member_id', 'question_id', 'revision'])

    with op.batch_alter_table('digests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('delivered_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE digests SET delivered_at = created_at")

    with op.batch_alter_table('hint_uses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_hint_uses_round_id_member_id_hint_index'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_hint_uses_round_id_member_id_question_id_hint_index'), ['round_id', 'member_id', 'question_id', 'hint_index'])

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('bonus', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('score_entries', schema=None) as batch_op:
        batch_op.create_index('ix_score_entries_member', ['member_id', 'points'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('score_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_score_entries_member')

    with op.batch_alter_table('rounds', schema=None) as batch_op:
        batch_op.drop_column('bonus')

    with op.batch_alter_table('hint_uses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_hint_uses_round_id_member_id_question_id_hint_index'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_hint_uses_round_id_member_id_hint_index'), ['round_id', 'member_id', 'hint_index'])

    with op.batch_alter_table('digests', schema=None) as batch_op:
        batch_op.drop_column('delivered_at')

    with op.batch_alter_table('answers', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_answers_round_id_member_id_question_id_revision'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_answers_round_id_member_id_revision'), ['round_id', 'member_id', 'revision'])

    op.drop_table('clocks')
