"""future states: the link from a future-state blueprint to its current state

Revision ID: 0003
Revises: 0002
Create Date: 2026-01-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "state_links",
        sa.Column("future_id", sa.Integer(), nullable=False),
        sa.Column("current_id", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["future_id"], ["blueprints.id"], name=op.f("fk_state_links_future_id_blueprints"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["current_id"], ["blueprints.id"], name=op.f("fk_state_links_current_id_blueprints"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["users.id"], name=op.f("fk_state_links_created_by_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("future_id", name=op.f("pk_state_links")),
    )
    with op.batch_alter_table("state_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_state_links_current_id"), ["current_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("state_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_state_links_current_id"))
    op.drop_table("state_links")
