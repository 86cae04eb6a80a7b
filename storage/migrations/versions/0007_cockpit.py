"""what tallies show, ballots, board links

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 16:40:00.000000
"""

from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('groups', sa.Column('tallies', sa.String(length=16), nullable=True))
    op.add_column('groups', sa.Column('ballots', sa.String(length=16), nullable=True))
    op.create_table('board_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_links')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_board_links_token_hash'))
    )


def downgrade() -> None:
    op.drop_table('board_links')
    op.drop_column('groups', 'ballots')
    op.drop_column('groups', 'tallies')
