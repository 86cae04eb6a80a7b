"""deadlines and reminders: a group's deadline, and who was reminded of which deadline

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 16:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('groups', sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('groups', sa.Column('deadline_zone', sa.String(length=64), nullable=True))
    op.create_table('reminders_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('group_key', sa.String(length=64), nullable=False),
    sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders_sent')),
    sa.UniqueConstraint('group_key', 'deadline_at', 'user_id', name='uq_reminders_sent_group_deadline_user')
    )


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): batch mode's table copy would break foreign keys.
    op.drop_table('reminders_sent')
    op.drop_column('groups', 'deadline_zone')
    op.drop_column('groups', 'deadline_at')
