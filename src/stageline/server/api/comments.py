"""/api/blueprints/{id}/comments and /api/mentions."""

from __future__ import annotations

from fastapi import APIRouter

from stageline.server.api.deps import ActorDep, ServicesDep
from stageline.server.api.schemas import CommentOut, MentionOut, ReplyIn, ThreadIn, ThreadOut, ThreadPatch

router = APIRouter(tags=["comments"])
PREFIX = "/api/blueprints/{blueprint_id}/comments"


@router.get(PREFIX, response_model=list[ThreadOut])
def list_threads(blueprint_id: int, actor: ActorDep, services: ServicesDep) -> list[ThreadOut]:
    """Comment threads, open ones first."""
    return [ThreadOut.of(view) for view in services.comments.threads(actor, blueprint_id)]


@router.post(PREFIX, response_model=ThreadOut, status_code=201)
def start_thread(blueprint_id: int, body: ThreadIn, actor: ActorDep, services: ServicesDep) -> ThreadOut:
    """Start a thread on a card or step (`anchor` is its id); `@username` mentions people."""
    thread = services.comments.start(actor, blueprint_id, body.anchor, body.body)
    return ThreadOut.of(services.comments.thread(actor, blueprint_id, thread.id))


@router.post(PREFIX + "/{thread_id}/replies", response_model=CommentOut, status_code=201)
def reply(blueprint_id: int, thread_id: int, body: ReplyIn, actor: ActorDep, services: ServicesDep) -> CommentOut:
    comment = services.comments.reply(actor, blueprint_id, thread_id, body.body)
    view = services.comments.thread(actor, blueprint_id, thread_id)
    return CommentOut.of(comment, view.mentions.get(comment.id, []))


@router.patch(PREFIX + "/{thread_id}", response_model=ThreadOut)
def resolve(blueprint_id: int, thread_id: int, patch: ThreadPatch, actor: ActorDep, services: ServicesDep) -> ThreadOut:
    """Resolve (`{"resolved": true}`) or reopen a thread."""
    services.comments.set_resolved(actor, blueprint_id, thread_id, patch.resolved)
    return ThreadOut.of(services.comments.thread(actor, blueprint_id, thread_id))


@router.get("/api/mentions", response_model=list[MentionOut])
def mentions(actor: ActorDep, services: ServicesDep) -> list[MentionOut]:
    """Comments that mention me, newest first."""
    return [
        MentionOut(
            blueprint_id=m.blueprint.id,
            blueprint_title=m.blueprint.title,
            thread_id=m.thread.id,
            anchor_label=m.thread.anchor_label,
            comment=CommentOut.of(m.comment, [actor.username]),
        )
        for m in services.comments.mentions_of(actor)
    ]
