"""Create the record tables: consult records, clinic accounts, and the access log.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clinic_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_users")),
        sa.UniqueConstraint("name", name=op.f("uq_clinic_users_name")),
    )
    op.create_table(
        "consult_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=10), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_given_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("consent_wording_version", sa.String(length=64), nullable=False),
        sa.Column("consent_wording_sha256", sa.String(length=64), nullable=False),
        sa.Column("rulebase_name", sa.String(length=200), nullable=False),
        sa.Column("rulebase_version", sa.String(length=64), nullable=False),
        sa.Column("rulebase_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("sealed_answers", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_recommendation", sa.LargeBinary(), nullable=False),
        sa.Column("sealed_summary", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consult_records")),
        sa.UniqueConstraint("reference", name=op.f("uq_consult_records_reference")),
    )
    op.create_index(
        op.f("ix_consult_records_expires_at"), "consult_records", ["expires_at"], unique=False
    )
    op.create_table(
        "record_access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(length=100), nullable=False),
        sa.Column("reference", sa.String(length=10), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_access_log")),
    )
    op.create_index(op.f("ix_record_access_log_at"), "record_access_log", ["at"], unique=False)
    op.create_index(
        op.f("ix_record_access_log_reference"), "record_access_log", ["reference"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_record_access_log_reference"), table_name="record_access_log")
    op.drop_index(op.f("ix_record_access_log_at"), table_name="record_access_log")
    op.drop_table("record_access_log")
    op.drop_index(op.f("ix_consult_records_expires_at"), table_name="consult_records")
    op.drop_table("consult_records")
    op.drop_table("clinic_users")
