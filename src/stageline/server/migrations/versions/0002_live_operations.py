"""live edits: the editor's message id on each logged operation

Revision ID: 0002
Revises: 0001
Create Date: 2026-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("client_op_id", sa.String(length=100), nullable=True))
        batch_op.create_index("ix_operations_blueprint_id_client_op_id", ["blueprint_id", "client_op_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("operations", schema=None) as batch_op:
        batch_op.drop_index("ix_operations_blueprint_id_client_op_id")
        batch_op.drop_column("client_op_id")
