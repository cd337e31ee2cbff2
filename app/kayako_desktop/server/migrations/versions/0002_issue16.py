"""Departments (Kayako: teams) and skills with their agents, a chat's and a transfer's department and skill, staff
messages, visitor rules, bans (an address or a network that may not chat), notes on visitors and disabled
accounts (issue 16).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

# A moment in UNIX seconds, as in 0001: REAL in SQLite, DOUBLE PRECISION in PostgreSQL (frozen here).
Float: sa.types.TypeEngine[float] = sa.Double().with_variant(sa.REAL(), "sqlite")

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("departments.id")),
        sa.Column("is_public", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("auto_transfer_seconds", sa.Integer),
        sa.Column("created_at", Float, nullable=False),
    )
    op.create_table(
        "agent_departments",
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("department_id", sa.Integer, sa.ForeignKey("departments.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("agent_id", "department_id"),
    )
    op.create_index("agent_departments_department", "agent_departments", ["department_id"])
    op.create_table(
        "skills",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("created_at", Float, nullable=False),
    )
    op.create_table(
        "agent_skills",
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id", ondelete="CASCADE"), nullable=False),
        sa.Column("skill_id", sa.Integer, sa.ForeignKey("skills.id", ondelete="CASCADE"), nullable=False),
        sa.PrimaryKeyConstraint("agent_id", "skill_id"),
    )
    op.create_index("agent_skills_skill", "agent_skills", ["skill_id"])
    op.add_column("conversations", sa.Column("skill_id", sa.Integer))
    op.add_column("offers", sa.Column("skill_id", sa.Integer))
    op.add_column("conversations", sa.Column("department_id", sa.Integer))
    op.add_column("conversations", sa.Column("taken_at", Float))
    op.add_column("conversations", sa.Column("answered_at", Float))
    # Chats from before this revision: their first take and first answer, from who joined and what was posted.
    op.execute("UPDATE conversations SET taken_at = (SELECT MIN(p.joined_at) FROM participants p "
               "WHERE p.conversation_id = conversations.id AND p.role <> 'OBSERVER')")
    op.execute("UPDATE conversations SET answered_at = (SELECT MIN(q.created_at) FROM posts q "
               "WHERE q.conversation_id = conversations.id AND q.author_kind = 'AGENT' AND q.visibility = 'PUBLIC' "
               "AND q.kind <> 'SYSTEM')")
    op.add_column("conversations", sa.Column("transfers", sa.Integer, nullable=False, server_default=sa.text("0")))
    op.add_column("conversations", sa.Column("declines", sa.Integer, nullable=False, server_default=sa.text("0")))
    op.execute("UPDATE conversations SET transfers = (SELECT COUNT(*) FROM offers o WHERE o.conversation_id = "
               "conversations.id AND o.state = 'ACCEPTED' AND o.transfer_from IS NOT NULL), declines = (SELECT "
               "COUNT(*) FROM offers o WHERE o.conversation_id = conversations.id AND o.state = 'DECLINED')")
    op.create_index("conversations_report", "conversations", ["created_at", "is_offline", "taken_at", "answered_at",
                                                              "completed_at", "rating", "transfers", "declines",
                                                              "department_id", "owner_id"])
    op.add_column("offers", sa.Column("department_id", sa.Integer))
    op.add_column("offers", sa.Column("auto_transfer", sa.Integer, nullable=False, server_default=sa.text("0")))
    op.create_table(
        "bans",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("network", sa.Text, nullable=False),
        sa.Column("prefix", sa.Integer, nullable=False),
        sa.Column("reason", sa.Text, nullable=False, server_default=sa.text("''")),
        sa.Column("visitor_id", sa.Integer),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("created_at", Float, nullable=False),
        sa.Column("expires_at", Float),
        sa.Column("lifted_at", Float),
        sa.Column("lifted_by", sa.Integer, sa.ForeignKey("agents.id")),
    )
    op.create_index("bans_active", "bans", ["lifted_at", "expires_at"])
    op.add_column("visitors", sa.Column("visits", sa.Integer, nullable=False, server_default=sa.text("1")))
    op.add_column("agents", sa.Column("is_enabled", sa.Integer, nullable=False, server_default=sa.text("1")))
    op.create_table(
        "visitor_rules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("enabled", sa.Integer, nullable=False, server_default=sa.text("1")),
        sa.Column("match", sa.Text, nullable=False, server_default=sa.text("'ALL'")),
        sa.Column("conditions", sa.Text, nullable=False),
        sa.Column("colour", sa.Text),
        sa.Column("alert", sa.Integer, nullable=False, server_default=sa.text("0")),
        sa.Column("invite_message", sa.Text),
        sa.Column("skill_id", sa.Integer),
        sa.Column("created_by", sa.Integer, sa.ForeignKey("agents.id")),
        sa.Column("created_at", Float, nullable=False),
    )
    op.create_table(
        "visitor_rule_hits",
        sa.Column("visitor_id", sa.Integer, sa.ForeignKey("visitors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("rule_id", sa.Integer, sa.ForeignKey("visitor_rules.id", ondelete="CASCADE"), nullable=False),
        sa.Column("session_started_at", Float, nullable=False),
        sa.PrimaryKeyConstraint("visitor_id", "rule_id", "session_started_at"),
    )
    op.create_table(
        "staff_messages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sender_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("recipient_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("contents", sa.Text, nullable=False),
        sa.Column("conversation_id", sa.Integer, sa.ForeignKey("conversations.id", ondelete="SET NULL")),
        sa.Column("client_id", sa.Text),
        sa.Column("created_at", Float, nullable=False),
        sa.Column("read_at", Float),
        sa.UniqueConstraint("sender_id", "client_id"),
    )
    op.create_index("staff_messages_pair", "staff_messages", ["sender_id", "recipient_id", "id"])
    op.create_index("staff_messages_unread", "staff_messages", ["recipient_id", "read_at"])
    op.create_table(
        "visitor_notes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("visitor_id", sa.Integer, sa.ForeignKey("visitors.id", ondelete="CASCADE"), nullable=False),
        sa.Column("conversation_id", sa.Integer, sa.ForeignKey("conversations.id", ondelete="SET NULL")),
        sa.Column("agent_id", sa.Integer, sa.ForeignKey("agents.id"), nullable=False),
        sa.Column("body_text", sa.Text, nullable=False),
        sa.Column("created_at", Float, nullable=False),
    )
    op.create_index("visitor_notes_visitor", "visitor_notes", ["visitor_id", "id"])


def downgrade() -> None:
    op.drop_table("visitor_rule_hits")
    op.drop_table("visitor_rules")
    op.drop_column("visitors", "visits")
    op.drop_column("agents", "is_enabled")
    op.drop_table("staff_messages")
    op.drop_column("offers", "skill_id")
    op.drop_column("conversations", "skill_id")
    op.drop_index("agent_skills_skill", "agent_skills")
    op.drop_table("agent_skills")
    op.drop_table("skills")
    op.drop_column("offers", "auto_transfer")
    op.drop_column("offers", "department_id")
    op.drop_index("conversations_report", "conversations")
    op.drop_column("conversations", "declines")
    op.drop_column("conversations", "transfers")
    op.drop_column("conversations", "answered_at")
    op.drop_column("conversations", "taken_at")
    op.drop_column("conversations", "department_id")
    op.drop_index("agent_departments_department", "agent_departments")
    op.drop_table("agent_departments")
    op.drop_table("departments")
    op.drop_index("visitor_notes_visitor", "visitor_notes")
    op.drop_table("visitor_notes")
    op.drop_index("bans_active", "bans")
    op.drop_table("bans")
