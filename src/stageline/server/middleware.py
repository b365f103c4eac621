"""ASGI middleware: a request size limit, security headers, a guard on input
text and ids, and a last resort for bugs that keeps the connection."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from stageline.model.text import MAX_DEPTH, find_bad_text, safe, text_problem

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class _TooLarge(Exception):
    """The body passed the limit while it was being read."""


def _too_large_body(limit: int) -> bytes:
    megabytes = limit / (1024 * 1024)
    return json.dumps(
        {
            "error": {
                "code": "too_large",
                "message": f"the request is larger than {megabytes:g} MB",
                "details": {"limit_bytes": limit},
            }
        }
    ).encode()


class HttpMiddleware:
    """ASGI middleware for HTTP requests; anything else (WebSocket, lifespan) passes through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        await self.http(scope, receive, send)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError  # every middleware overrides this


class Tracked:
    """A `send` that remembers whether the response has started."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.started = False

    async def send(self, message: Message) -> None:
        self.started = self.started or message["type"] == "http.response.start"
        await self._send(message)


class BodyLimit(HttpMiddleware):
    """Refuse bodies over `limit` bytes with 413, whether or not they declare a length."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        super().__init__(app)
        self.limit = limit

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        received = 0
        response = Tracked(send)

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, counting_receive, response.send)
        except _TooLarge:
            if not response.started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        body = _too_large_body(self.limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


class SecurityHeaders(HttpMiddleware):
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                # Every answer, the API docs included (their Swagger UI is served
                # from this server, so same-origin scripts and styles suffice).
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"same-origin"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
                ]
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


# Ids are 32-bit integers in the database (PostgreSQL's `integer`): a path
# segment of digits beyond that names nothing, and must not reach a query.
MAX_ID = 2**31 - 1


def _beyond_ids(part: str) -> bool:
    """A path segment that is a whole number, with or without a sign, no id can be."""
    digits = part[1:] if part[:1] in "+-" else part
    return digits.isdigit() and int(digits) > MAX_ID


JSON_TYPES = ("application/json",)
FORM_TYPE = "application/x-www-form-urlencoded"


class InputGuard(HttpMiddleware):
    """Refuse what no handler should see, before any handler runs: ids beyond
    the database's range (404), and NUL, control characters or lone surrogates
    in the path, the query, a form or a JSON body, or JSON nested absurdly
    deep (422 naming the field). Handlers can then trust their text."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if problem := text_problem(path):
            await _refuse(scope, receive, send, 422, "path", f"the path {problem}")
            return
        if any(_beyond_ids(part) for part in path.split("/") if len(part) >= 10):
            await _refuse(scope, receive, send, 404, None, f"nothing at {safe(path)}")
            return
        query = scope.get("query_string", b"").decode("latin-1")
        if query and (bad := _bad_pairs(parse_qsl(query, keep_blank_values=True, errors="surrogateescape"))):
            await _refuse(scope, receive, send, 422, bad[0], f"query parameter {bad[0]} {bad[1]}")
            return
        media = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower().decode("latin-1")
        if scope.get("method") not in {"POST", "PUT", "PATCH", "DELETE"} or not (
            media in JSON_TYPES or media.endswith("+json") or media == FORM_TYPE
        ):
            await self.app(scope, receive, send)
            return
        body, more = await _read_body(receive)
        bad = _bad_json(body) if media != FORM_TYPE else _bad_form(body)
        if bad is not None:
            await _refuse(scope, _replay(body, more, receive), send, 422, bad[0], f"{bad[0]} {bad[1]}")
            return
        await self.app(scope, _replay(body, more, receive), send)


async def _read_body(receive: Receive) -> tuple[bytes, bool]:
    """The whole body (BodyLimit, outside, keeps it bounded); whether the client went away meanwhile."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return b"".join(chunks), True
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks), False


def _replay(body: bytes, disconnected: bool, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        if disconnected:
            return {"type": "http.disconnect"}
        return await receive()

    return replay


def _bad_pairs(pairs: list[tuple[str, str]]) -> tuple[str, str] | None:
    for key, value in pairs:
        for text in (key, value):
            if problem := text_problem(text):
                return repr(safe(key, 60)), problem
    return None


def _bad_form(body: bytes) -> tuple[str, str] | None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return "body", "is not UTF-8 text"
    return _bad_pairs(parse_qsl(text, keep_blank_values=True, errors="surrogateescape"))


def _bad_json(body: bytes) -> tuple[str, str] | None:
    if not body.strip():
        return None
    try:
        data = json.loads(body)
    except RecursionError:
        return "body", f"nests more than {MAX_DEPTH} levels deep"
    except ValueError:
        return None  # not JSON (or not UTF-8): the handler says so in its own words
    return find_bad_text(data, ("body",))


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, field: str | None, message: str) -> None:
    from stageline.server.errors import error_json, error_page, wants_json

    request = Request(scope, receive)
    if wants_json(request):
        code = "invalid" if status == 422 else "not_found"
        response: Response = error_json(status, code, message, {"field": field} if field else None)
    else:
        title = "Please check what you sent" if status == 422 else "Not found"
        response = error_page(request, 400 if status == 422 else status, title, message[:1].upper() + message[1:])
    await response(scope, receive, send)


class Unexpected(HttpMiddleware):
    """A handler's bug answers 500 with a clear message and keeps the connection
    (Starlette's own last resort re-raises, and the server then drops it)."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = Tracked(send)
        try:
            await self.app(scope, receive, response.send)
        except Exception:
            if response.started:
                raise  # half a response is out: only closing can end it
            from stageline.server.errors import unexpected_response

            answer = unexpected_response(Request(scope, receive))
            await answer(scope, receive, send)
