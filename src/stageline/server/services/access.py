"""Roles, what each may do, and the one place that decides.

Roles are per workspace (a membership) and per blueprint (a grant, which can
raise a member's role on that blueprint or let a non-member in). A person's
role on a blueprint is the higher of the two.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    VIEWER = "viewer"
    COMMENTER = "commenter"
    EDITOR = "editor"
    OWNER = "owner"

    @property
    def rank(self) -> int:
        return list(Role).index(self)

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank

    @property
    def label(self) -> str:
        return self.value.capitalize()


def highest(*roles: Role | None) -> Role | None:
    present = [role for role in roles if role is not None]
    return max(present, key=lambda role: role.rank) if present else None


class Action(StrEnum):
    VIEW = "view"
    DOWNLOAD = "download"
    COMMENT = "comment"
    RESOLVE = "resolve"
    CREATE = "create"
    EDIT = "edit"
    RENAME = "rename"
    DUPLICATE = "duplicate"
    ARCHIVE = "archive"
    TRASH = "trash"
    RESTORE_VERSION = "restore_version"
    NAME_VERSION = "name_version"
    SHARE = "share"
    GRANT = "grant"
    PURGE = "purge"
    MANAGE_MEMBERS = "manage_members"
    RENAME_WORKSPACE = "rename_workspace"


@dataclass(frozen=True)
class Capability:
    action: Action
    role: Role
    description: str


# The least role that may do each thing; docs/server.md shows this table and a
# test keeps it honest.
CAPABILITIES: tuple[Capability, ...] = (
    Capability(Action.VIEW, Role.VIEWER, "View blueprints, their findings, metrics, history and comments"),
    Capability(Action.DOWNLOAD, Role.VIEWER, "Download as YAML, SVG, PNG, PDF or HTML"),
    Capability(Action.COMMENT, Role.COMMENTER, "Start comment threads, reply, mention people"),
    Capability(Action.RESOLVE, Role.COMMENTER, "Resolve and reopen threads"),
    Capability(Action.CREATE, Role.EDITOR, "Create blueprints (blank, from a template, from a file)"),
    Capability(Action.EDIT, Role.EDITOR, "Change a blueprint (operations, upload a new YAML)"),
    Capability(Action.RENAME, Role.EDITOR, "Rename a blueprint"),
    Capability(Action.DUPLICATE, Role.EDITOR, "Duplicate a blueprint"),
    Capability(Action.ARCHIVE, Role.EDITOR, "Archive and unarchive"),
    Capability(Action.TRASH, Role.EDITOR, "Move to the trash and restore from it"),
    Capability(Action.RESTORE_VERSION, Role.EDITOR, "Restore an earlier version"),
    Capability(Action.NAME_VERSION, Role.EDITOR, "Name a version"),
    Capability(Action.SHARE, Role.OWNER, "Create and revoke read-only share links"),
    Capability(Action.GRANT, Role.OWNER, "Give people a role on one blueprint"),
    Capability(Action.PURGE, Role.OWNER, "Delete a blueprint from the trash for good"),
    Capability(Action.MANAGE_MEMBERS, Role.OWNER, "Invite people, change roles, remove members"),
    Capability(Action.RENAME_WORKSPACE, Role.OWNER, "Rename the workspace"),
)

REQUIRED: dict[Action, Role] = {capability.action: capability.role for capability in CAPABILITIES}


def may(role: Role | None, action: Action) -> bool:
    return role is not None and role.allows(REQUIRED[action])


def capability_table() -> str:
    """The roles table, in Markdown."""
    roles = list(Role)
    lines = [
        "| What | " + " | ".join(role.label for role in roles) + " |",
        "|---|" + "---|" * len(roles),
    ]
    for capability in CAPABILITIES:
        marks = " | ".join("✓" if role.allows(capability.role) else "" for role in roles)
        lines.append(f"| {capability.description} | {marks} |")
    return "\n".join(lines)
