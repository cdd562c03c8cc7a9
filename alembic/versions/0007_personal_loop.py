"""each member's own loop: practice, mock interviews, repetition, reminders

A member's settings (reminders, their time and timezone, the next reminder's moment);
the reminders sent, one of a kind a member's day; practice sittings (a question, or a
mock interview's timed set), their questions and answers; and each member's progress
on each question, derived from those facts and from the group's rounds: the repetition
schedule. Revision 0007 follows 0004 here; the lead re-chains it at merge.

Revision ID: 0007
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('member_settings',
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('remind', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('remind_time', sa.String(length=5), nullable=True),
    sa.Column('timezone', sa.String(length=64), nullable=True),
    sa.Column('next_remind_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_member_settings_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('member_id', name=op.f('pk_member_settings'))
    )
    with op.batch_alter_table('member_settings', schema=None) as batch_op:
        batch_op.create_index('ix_member_settings_next_remind_at', ['next_remind_at'], unique=False)

    op.create_table('practices',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('track', sa.String(length=32), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_how', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_practices_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practices'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.create_index('ix_practices_closed_at_ends_at', ['closed_at', 'ends_at'], unique=False)
        batch_op.create_index('ix_practices_member_id_closed_at', ['member_id', 'closed_at'], unique=False)

    op.create_table('progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('credit', sa.Float(), nullable=False),
    sa.Column('last_at', sa.DateTime(), nullable=False),
    sa.Column('step', sa.Integer(), nullable=True),
    sa.Column('due_at', sa.DateTime(), nullable=True),
    sa.Column('mastered', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_progress_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress')),
    sa.UniqueConstraint('member_id', 'question_id', name=op.f('uq_progress_member_id_question_id'))
    )
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.create_index('ix_progress_member_id_due_at', ['member_id', 'due_at'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_reminders_member_id_members'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('member_id', 'kind', 'local_date', name=op.f('uq_reminders_member_id_kind_local_date'))
    )
    op.create_table('practice_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.String(length=100), nullable=False),
    sa.Column('shown_at', sa.DateTime(), nullable=True),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('hints_taken', sa.Integer(), nullable=False),
    sa.Column('marks', sa.JSON(), nullable=True),
    sa.Column('rubric_size', sa.Integer(), nullable=True),
    sa.Column('marked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['member_id'], ['members.id'], name=op.f('fk_practice_items_member_id_members'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_items_practice_id_practices'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_items')),
    sa.UniqueConstraint('practice_id', 'position', name=op.f('uq_practice_items_practice_id_position'))
    )
    with op.batch_alter_table('practice_items', schema=None) as batch_op:
        batch_op.create_index('ix_practice_items_member_id_question_id', ['member_id', 'question_id'], unique=False)

    op.create_table('practice_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('dialect', sa.String(length=16), nullable=True),
    sa.Column('verdict', sa.String(length=16), nullable=True),
    sa.Column('feedback', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['item_id'], ['practice_items.id'], name=op.f('fk_practice_answers_item_id_practice_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_practice_answers')),
    sa.UniqueConstraint('item_id', 'revision', name=op.f('uq_practice_answers_item_id_revision'))
    )


def downgrade() -> None:
    op.drop_table('practice_answers')
    with op.batch_alter_table('practice_items', schema=None) as batch_op:
        batch_op.drop_index('ix_practice_items_member_id_question_id')

    op.drop_table('practice_items')
    op.drop_table('reminders')
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.drop_index('ix_progress_member_id_due_at')

    op.drop_table('progress')
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_index('ix_practices_member_id_closed_at')
        batch_op.drop_index('ix_practices_closed_at_ends_at')

    op.drop_table('practices')
    with op.batch_alter_table('member_settings', schema=None) as batch_op:
        batch_op.drop_index('ix_member_settings_next_remind_at')

    op.drop_table('member_settings')
