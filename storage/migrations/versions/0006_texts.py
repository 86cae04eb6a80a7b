"""texts that evolve: versions, amendments, withdrawals, merges

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 16:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('recommendations', sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.add_column('recommendations', sa.Column('status', sa.String(length=16), server_default='open', nullable=False))
    op.add_column('recommendations', sa.Column('status_by', sa.String(length=32), nullable=True))
    op.add_column('recommendations', sa.Column('status_at', sa.DateTime(timezone=True), nullable=True))
    op.add_column('recommendations', sa.Column('merged_into_id', sa.Integer(), nullable=True))
    op.create_table('amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('delegation', sa.String(length=200), nullable=True),
    sa.Column('base_version', sa.Integer(), nullable=False),
    sa.Column('base_text', sa.Text(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('decided_by', sa.String(length=32), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reject_reason', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=True),
    sa.Column('thread_ts', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_amendments_recommendation_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendments')),
    sa.UniqueConstraint('recommendation_id', 'number', name='uq_amendments_rec_number')
    )
    op.create_index(op.f('ix_amendments_recommendation_id'), 'amendments', ['recommendation_id'], unique=False)
    op.create_table('revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=True),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('delegation', sa.String(length=200), nullable=True),
    sa.Column('cause', sa.String(length=16), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['amendment_id'], ['amendments.id'], name=op.f('fk_revisions_amendment_id_amendments')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_revisions_recommendation_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_revisions')),
    sa.UniqueConstraint('recommendation_id', 'version', name='uq_revisions_rec_version')
    )
    op.create_index(op.f('ix_revisions_recommendation_id'), 'revisions', ['recommendation_id'], unique=False)


def downgrade() -> None:
    # Plain DROP COLUMN (SQLite 3.35+): batch mode's table copy would break foreign keys.
    op.drop_index(op.f('ix_revisions_recommendation_id'), table_name='revisions')
    op.drop_table('revisions')
    op.drop_index(op.f('ix_amendments_recommendation_id'), table_name='amendments')
    op.drop_table('amendments')
    op.drop_column('recommendations', 'merged_into_id')
    op.drop_column('recommendations', 'status_at')
    op.drop_column('recommendations', 'status_by')
    op.drop_column('recommendations', 'status')
    op.drop_column('recommendations', 'version')
