"""What the API sends and accepts (JSON). Blueprint documents themselves are
YAML (the file format) or its JSON equivalent."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from stageline.server.db.models import (
    ApiToken,
    BlueprintGrant,
    BlueprintRecord,
    Comment,
    Invitation,
    Membership,
    ShareLink,
    User,
    Version,
    Workspace,
)
from stageline.server.services.access import Role
from stageline.server.services.comments import ThreadView


class Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class UserOut(Out):
    id: int
    username: str
    display_name: str

    @classmethod
    def of(cls, user: User | None) -> UserOut | None:
        return cls.model_validate(user) if user else None


class WorkspaceOut(Out):
    id: int
    slug: str
    name: str
    role: Role

    @classmethod
    def of(cls, workspace: Workspace, role: Role) -> WorkspaceOut:
        return cls(id=workspace.id, slug=workspace.slug, name=workspace.name, role=role)


class MeOut(Out):
    user: UserOut
    workspaces: list[WorkspaceOut]


class AdminWorkspaceOut(Out):
    id: int
    slug: str
    name: str
    owners: int = Field(description="How many owners it has; 0 means only an instance admin can recover it.")


class MemberOut(Out):
    user: UserOut
    role: Role
    joined_at: datetime

    @classmethod
    def of(cls, membership: Membership) -> MemberOut:
        return cls(
            user=UserOut.model_validate(membership.user), role=Role(membership.role), joined_at=membership.created_at
        )


class InvitationOut(Out):
    id: int
    role: Role
    single_use: bool
    note: str | None
    expires_at: datetime
    uses: int
    url: str | None = Field(None, description="The link to send; only in the response that creates it.")

    @classmethod
    def of(cls, invitation: Invitation, url: str | None = None) -> InvitationOut:
        return cls(
            id=invitation.id,
            role=Role(invitation.role),
            single_use=invitation.single_use,
            note=invitation.note,
            expires_at=invitation.expires_at,
            uses=invitation.uses,
            url=url,
        )


class BlueprintOut(Out):
    id: int
    workspace_id: int
    title: str
    scenario: str | None
    state: str
    version: int
    seq: int
    cards: int
    role: Role
    created_at: datetime
    updated_at: datetime
    archived: bool
    trashed_at: datetime | None
    document: dict[str, Any] | None = Field(None, description="The blueprint as JSON (same shape as the YAML).")

    @classmethod
    def of(cls, record: BlueprintRecord, role: Role, document: dict[str, Any] | None = None) -> BlueprintOut:
        return cls(
            id=record.id,
            workspace_id=record.workspace_id,
            title=record.title,
            scenario=record.scenario,
            state=record.state,
            version=record.version,
            seq=record.last_seq,
            cards=record.card_count,
            role=role,
            created_at=record.created_at,
            updated_at=record.updated_at,
            archived=record.archived_at is not None,
            trashed_at=record.deleted_at,
            document=document,
        )


class ChangeOut(Out):
    blueprint_id: int
    version: int
    seq: int
    summary: str


class OperationOut(Out):
    seq: int
    version: int
    kind: str
    ops: list[dict[str, Any]]
    user_id: int | None
    created_at: datetime


class VersionOut(Out):
    number: int
    summary: str
    kind: str
    name: str | None
    author: UserOut | None
    created_at: datetime

    @classmethod
    def of(cls, version: Version) -> VersionOut:
        return cls(
            number=version.number,
            summary=version.summary,
            kind=version.kind,
            name=version.name,
            author=UserOut.of(version.author),
            created_at=version.created_at,
        )


class CommentOut(Out):
    id: int
    author: UserOut | None
    body: str
    mentions: list[str]
    created_at: datetime

    @classmethod
    def of(cls, comment: Comment, mentions: list[str]) -> CommentOut:
        return cls(
            id=comment.id,
            author=UserOut.of(comment.author),
            body=comment.body,
            mentions=mentions,
            created_at=comment.created_at,
        )


class ThreadOut(Out):
    id: int
    anchor: str
    anchor_kind: str
    anchor_label: str
    detached: bool
    resolved: bool
    resolved_at: datetime | None
    comments: list[CommentOut]

    @classmethod
    def of(cls, view: ThreadView) -> ThreadOut:
        thread = view.thread
        return cls(
            id=thread.id,
            anchor=thread.anchor,
            anchor_kind=thread.anchor_kind,
            anchor_label=thread.anchor_label,
            detached=view.detached,
            resolved=thread.resolved_at is not None,
            resolved_at=thread.resolved_at,
            comments=[CommentOut.of(c, view.mentions.get(c.id, [])) for c in thread.comments],
        )


class MentionOut(Out):
    blueprint_id: int
    blueprint_title: str
    thread_id: int
    anchor_label: str
    comment: CommentOut


class ShareOut(Out):
    id: int
    label: str | None
    url: str | None = Field(description="The link; in the answer that creates it only (it is stored hashed).")
    prefix: str = Field(description="The first characters of the link's token, to tell links apart.")
    created_at: datetime

    @classmethod
    def of(cls, link: ShareLink, base: str, token: str | None = None) -> ShareOut:
        url = f"{base}/s/{token}" if token else None
        return cls(id=link.id, label=link.label, url=url, prefix=link.prefix, created_at=link.created_at)


class GrantOut(Out):
    user: UserOut
    role: Role

    @classmethod
    def of(cls, grant: BlueprintGrant) -> GrantOut:
        return cls(user=UserOut.model_validate(grant.user), role=Role(grant.role))


class TokenOut(Out):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    token: str | None = Field(None, description="The token itself: shown once, when it is created.")

    @classmethod
    def of(cls, record: ApiToken, token: str | None = None) -> TokenOut:
        return cls(
            id=record.id,
            name=record.name,
            prefix=record.prefix,
            created_at=record.created_at,
            last_used_at=record.last_used_at,
            token=token,
        )


class TemplateOut(Out):
    name: str
    title: str
    description: str


# -- requests ----------------------------------------------------------------
class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class NameIn(In):
    name: str = Field(min_length=1, max_length=100)


class PasswordChangeIn(In):
    current: str = Field(min_length=1, max_length=1000)
    new: str = Field(min_length=1, max_length=1000)


class PasswordResetIn(In):
    password: str = Field(min_length=1, max_length=1000)


class TokenIn(In):
    name: str = Field(min_length=1, max_length=100)


class RoleIn(In):
    role: Role


class UsernameIn(In):
    username: str = Field(min_length=1, max_length=40)


class InvitationIn(In):
    role: Role = Role.EDITOR
    days: int = Field(7, ge=1, le=90)
    single_use: bool = True
    note: str | None = Field(None, max_length=200)


class BlueprintIn(In):
    """Create from exactly one of: a title (blank), a template, a YAML text or a document."""

    title: str | None = Field(None, max_length=300)
    scenario: str | None = Field(None, max_length=2000)
    template: str | None = None
    yaml: str | None = None
    document: dict[str, Any] | None = None


class BlueprintPatch(In):
    title: str | None = Field(None, min_length=1, max_length=300)
    archived: bool | None = None


class OperationsIn(In):
    operations: list[dict[str, Any]] = Field(description="Operations as JSON (see stageline.model.operations).")


class DocumentIn(In):
    document: dict[str, Any]


class VersionPatch(In):
    name: str | None = Field(None, max_length=200)


class ThreadIn(In):
    anchor: str = Field(min_length=1, max_length=200, description="A card or step id.")
    body: str = Field(min_length=1, max_length=10_000)


class ReplyIn(In):
    body: str = Field(min_length=1, max_length=10_000)


class ThreadPatch(In):
    resolved: bool


class ShareIn(In):
    label: str | None = Field(None, max_length=200)
