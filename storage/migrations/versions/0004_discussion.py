"""the discussion: comments in a card's thread

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 16:40:00.000000
"""

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('comments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.String(length=32), nullable=False),
    sa.Column('ts', sa.String(length=32), nullable=False),
    sa.Column('user_id', sa.String(length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_comments_recommendation_id_recommendations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comments')),
    sa.UniqueConstraint('channel_id', 'ts', name='uq_comments_channel_ts')
    )
    op.create_index(op.f('ix_comments_recommendation_id'), 'comments', ['recommendation_id'], unique=False)
    # A thread reply finds its card by (channel, thread ts): one indexed lookup.
    op.create_index('ix_recommendations_channel_message', 'recommendations', ['channel_id', 'message_ts'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_recommendations_channel_message', table_name='recommendations')
    op.drop_index(op.f('ix_comments_recommendation_id'), table_name='comments')
    op.drop_table('comments')
