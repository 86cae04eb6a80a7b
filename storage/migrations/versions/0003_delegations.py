"""delegations: the participant list, procedures, delegation ballots, objections, reservations

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 16:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('participants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=320), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('delegation', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('group_key', sa.String(length=64), nullable=True),
    sa.Column('organisation', sa.String(length=200), nullable=True),
    sa.Column('user_id', sa.String(length=32), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participants')),
    sa.UniqueConstraint('email', name=op.f('uq_participants_email')),
    sa.UniqueConstraint('user_id', name=op.f('uq_participants_user_id'))
    )
    op.create_table('objections',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('delegation', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_objections_recommendation_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_objections')),
    sa.UniqueConstraint('recommendation_id', 'delegation', name='uq_objections_rec_delegation')
    )
    op.create_index(op.f('ix_objections_recommendation_id'), 'objections', ['recommendation_id'], unique=False)
    op.create_table('reservations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('delegation', sa.String(length=200), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('thread_ts', sa.String(length=32), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_reservations_recommendation_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reservations')),
    sa.UniqueConstraint('recommendation_id', 'delegation', name='uq_reservations_rec_delegation')
    )
    op.create_index(op.f('ix_reservations_recommendation_id'), 'reservations', ['recommendation_id'], unique=False)
    op.add_column('groups', sa.Column('procedure', sa.String(length=16), nullable=True))
    op.add_column('people', sa.Column('delegation', sa.String(length=200), nullable=True))
    op.add_column('people', sa.Column('role', sa.String(length=16), nullable=True))
    op.add_column('people', sa.Column('email', sa.String(length=320), nullable=True))
    op.add_column('votes', sa.Column('delegation', sa.String(length=200), nullable=True))
    op.add_column('votes', sa.Column('seq', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): batch mode's table copy would break foreign keys.
    op.drop_column('votes', 'seq')
    op.drop_column('votes', 'delegation')
    op.drop_column('people', 'email')
    op.drop_column('people', 'role')
    op.drop_column('people', 'delegation')
    op.drop_column('groups', 'procedure')
    op.drop_index(op.f('ix_reservations_recommendation_id'), table_name='reservations')
    op.drop_table('reservations')
    op.drop_index(op.f('ix_objections_recommendation_id'), table_name='objections')
    op.drop_table('objections')
    op.drop_table('participants')
