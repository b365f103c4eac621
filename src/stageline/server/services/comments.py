"""Comment threads on cards and steps: replies, resolve/reopen, @mentions.

A thread is anchored to an element id. When that element later leaves the
blueprint the thread stays, shown as detached, with the label it had.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from stageline.model import Blueprint
from stageline.server.db import Database
from stageline.server.db.models import (
    BlueprintGrant,
    BlueprintRecord,
    Comment,
    Membership,
    Mention,
    Thread,
    User,
    utcnow,
)
from stageline.server.services.access import Action
from stageline.server.services.base import Actor, blueprint_role, require_blueprint
from stageline.server.services.documents import DocumentCache
from stageline.server.services.errors import Invalid, NotFound
from stageline.server.services.live import current_document

MENTION = re.compile(r"(?<![\w@])@([a-z0-9][a-z0-9_.-]{1,38})", re.IGNORECASE)
MAX_BODY = 10_000


@dataclass(frozen=True)
class ThreadView:
    thread: Thread
    detached: bool
    mentions: dict[int, list[str]]  # comment id -> usernames mentioned


@dataclass(frozen=True)
class MentionView:
    comment: Comment
    thread: Thread
    blueprint: BlueprintRecord


def mentioned_usernames(body: str) -> list[str]:
    """@usernames in a comment, in order, without repeats (trailing dots dropped)."""
    seen: list[str] = []
    for match in MENTION.finditer(body):
        name = match.group(1).lower().rstrip(".")
        if name not in seen:
            seen.append(name)
    return seen


def anchor_of(blueprint: Blueprint, element_id: str) -> tuple[str, str]:
    """The kind and a label for a card or step id."""
    kind = blueprint.index.kind(element_id)
    if kind == "card":
        place = blueprint.place(element_id)
        step_label = place.step.title or place.step.id
        return kind, f"{blueprint.card(element_id).text} ({step_label} / {blueprint.lane(place.lane).title})"
    if kind == "step":
        step = blueprint.step(element_id)
        return kind, step.title or step.id
    raise Invalid(
        f"comments attach to a card or a step; {element_id!r} is neither in this blueprint", details={"field": "anchor"}
    )


def _clean_body(body: str) -> str:
    text = body.strip()
    if not text:
        raise Invalid("write something first", details={"field": "body"})
    if len(text) > MAX_BODY:
        raise Invalid(f"a comment has at most {MAX_BODY} characters", details={"field": "body"})
    return text


class Comments:
    def __init__(self, db: Database, cache: DocumentCache) -> None:
        self.db = db
        self.cache = cache

    def _current(self, session: Session, record: BlueprintRecord) -> Blueprint:
        # With live edits not yet stored, so a card added a moment ago takes comments.
        return current_document(session, record, self.cache)

    def _add_comment(
        self, session: Session, record: BlueprintRecord, thread: Thread, actor: Actor, body: str
    ) -> Comment:
        comment = Comment(thread_id=thread.id, author_id=actor.id, body=body)
        session.add(comment)
        session.flush()
        names = mentioned_usernames(body)
        if names:
            users = session.scalars(select(User).where(User.username.in_(names))).all()
            for user in users:
                # Only people who can see the blueprint are notified.
                if blueprint_role(session, user.id, record) is not None:
                    session.add(Mention(comment_id=comment.id, user_id=user.id))
        return comment

    def start(self, actor: Actor, blueprint_id: int, anchor: str, body: str) -> Thread:
        text = _clean_body(body)
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.COMMENT)
            kind, label = anchor_of(self._current(session, record), anchor)
            thread = Thread(
                blueprint_id=blueprint_id,
                anchor=anchor,
                anchor_kind=kind,
                anchor_label=label[:300],
                created_by=actor.id,
            )
            session.add(thread)
            session.flush()
            self._add_comment(session, record, thread, actor, text)
            thread_id = thread.id
        return self.thread(actor, blueprint_id, thread_id).thread

    def reply(self, actor: Actor, blueprint_id: int, thread_id: int, body: str) -> Comment:
        text = _clean_body(body)
        with self.db.write() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.COMMENT)
            thread = self._thread(session, blueprint_id, thread_id)
            comment = self._add_comment(session, record, thread, actor, text)
            session.flush()
            session.refresh(comment)
        return comment

    def set_resolved(self, actor: Actor, blueprint_id: int, thread_id: int, resolved: bool) -> Thread:
        with self.db.write() as session:
            require_blueprint(session, actor, blueprint_id, Action.RESOLVE)
            thread = self._thread(session, blueprint_id, thread_id)
            thread.resolved_at = (thread.resolved_at or utcnow()) if resolved else None
            thread.resolved_by = actor.id if resolved else None
        return self.thread(actor, blueprint_id, thread_id).thread

    def _thread(self, session: Session, blueprint_id: int, thread_id: int) -> Thread:
        thread = session.get(Thread, thread_id)
        if thread is None or thread.blueprint_id != blueprint_id:
            raise NotFound(f"no comment thread {thread_id} on this blueprint")
        return thread

    def _views(self, session: Session, blueprint: Blueprint, threads: list[Thread]) -> list[ThreadView]:
        comment_ids = [comment.id for thread in threads for comment in thread.comments]
        mentions: dict[int, list[str]] = {}
        if comment_ids:
            for comment_id, username in session.execute(
                select(Mention.comment_id, User.username).join(User).where(Mention.comment_id.in_(comment_ids))
            ):
                mentions.setdefault(comment_id, []).append(username)
        return [
            ThreadView(thread, blueprint.index.kind(thread.anchor) not in ("card", "step"), mentions)
            for thread in threads
        ]

    def threads(self, actor: Actor, blueprint_id: int, *, include_resolved: bool = True) -> list[ThreadView]:
        with self.db.read() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.VIEW)
            statement = select(Thread).where(Thread.blueprint_id == blueprint_id)
            if not include_resolved:
                statement = statement.where(Thread.resolved_at.is_(None))
            threads = list(session.scalars(statement.order_by(Thread.resolved_at.is_not(None), Thread.id.desc())))
            return self._views(session, self._current(session, record), threads)

    def thread(self, actor: Actor, blueprint_id: int, thread_id: int) -> ThreadView:
        with self.db.read() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.VIEW)
            thread = self._thread(session, blueprint_id, thread_id)
            return self._views(session, self._current(session, record), [thread])[0]

    def mentions_of(self, actor: Actor, limit: int = 100) -> list[MentionView]:
        """Comments that mention the actor, newest first, on blueprints they can still see."""
        with self.db.read() as session:
            visible_workspaces = select(Membership.workspace_id).where(Membership.user_id == actor.id)
            granted = select(BlueprintGrant.blueprint_id).where(BlueprintGrant.user_id == actor.id)
            rows = session.execute(
                select(Comment, Thread, BlueprintRecord)
                .join(Mention, Mention.comment_id == Comment.id)
                .join(Thread, Thread.id == Comment.thread_id)
                .join(BlueprintRecord, BlueprintRecord.id == Thread.blueprint_id)
                .where(
                    Mention.user_id == actor.id,
                    BlueprintRecord.deleted_at.is_(None),
                    (BlueprintRecord.workspace_id.in_(visible_workspaces)) | (BlueprintRecord.id.in_(granted)),
                )
                .order_by(Comment.id.desc())
                .limit(limit)
            ).all()
        return [MentionView(comment, thread, record) for comment, thread, record in rows]

    def mentionable(self, actor: Actor, blueprint_id: int) -> list[User]:
        """People who can see the blueprint (members and grantees)."""
        with self.db.read() as session:
            record, _ = require_blueprint(session, actor, blueprint_id, Action.VIEW)
            members = select(Membership.user_id).where(Membership.workspace_id == record.workspace_id)
            granted = select(BlueprintGrant.user_id).where(BlueprintGrant.blueprint_id == blueprint_id)
            return list(
                session.scalars(select(User).where(User.id.in_(members) | User.id.in_(granted)).order_by(User.username))
            )
