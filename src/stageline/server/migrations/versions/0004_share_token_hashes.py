"""share links: keep a hash of the token, not the token

Existing links keep working (their token's SHA-256 is stored in its place);
their full URL can no longer be shown, only its first characters.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("share_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("prefix", sa.String(length=16), nullable=False, server_default=""))
    links = sa.table(
        "share_links",
        sa.column("id", sa.Integer()),
        sa.column("token", sa.String()),
        sa.column("token_hash", sa.String()),
        sa.column("prefix", sa.String()),
    )
    connection = op.get_bind()
    for link_id, token in connection.execute(sa.select(links.c.id, links.c.token)).all():
        connection.execute(
            links.update()
            .where(links.c.id == link_id)
            .values(token_hash=hashlib.sha256(token.encode()).hexdigest(), prefix=token[:6])
        )
    with op.batch_alter_table("share_links", schema=None) as batch_op:
        batch_op.drop_constraint("uq_share_links_token", type_="unique")
        batch_op.drop_column("token")
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_share_links_token_hash"), ["token_hash"])


def downgrade() -> None:
    """Back to tokens in clear. The originals cannot be recovered from their hashes:
    every link gets a new random token and is turned off (owners make new ones)."""
    with op.batch_alter_table("share_links", schema=None) as batch_op:
        batch_op.add_column(sa.Column("token", sa.String(length=64), nullable=True))
    links = sa.table(
        "share_links",
        sa.column("id", sa.Integer()),
        sa.column("token", sa.String()),
        sa.column("revoked_at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    now = datetime.now(UTC)
    for (link_id,) in connection.execute(sa.select(links.c.id)).all():
        connection.execute(
            links.update()
            .where(links.c.id == link_id)
            .values(token=secrets.token_urlsafe(24), revoked_at=sa.func.coalesce(links.c.revoked_at, now))
        )
    with op.batch_alter_table("share_links", schema=None) as batch_op:
        batch_op.drop_constraint("uq_share_links_token_hash", type_="unique")
        batch_op.drop_column("token_hash")
        batch_op.drop_column("prefix")
        batch_op.alter_column("token", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_share_links_token"), ["token"])
