"""People: the first admin, sign-in, browser sessions and personal API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from stageline.server.db import Database
from stageline.server.db.models import ApiToken, Membership, SessionRecord, User, Workspace, utcnow
from stageline.server.security.passwords import Passwords, password_problem
from stageline.server.security.ratelimit import SigninLimiter
from stageline.server.security.tokens import API_TOKEN_PREFIX, digest, new_api_token, new_token
from stageline.server.services.access import Role
from stageline.server.services.base import USERNAME_HELP, USERNAME_PATTERN, Actor
from stageline.server.services.errors import Conflict, Forbidden, Invalid, NotFound, RateLimited, Unauthorized
from stageline.server.services.slugs import unique_slug

# Refresh a token's "last used" at most this often: each refresh is a write.
_LAST_USED_GRANULARITY = timedelta(minutes=5)


@dataclass(frozen=True)
class NewSession:
    token: str
    csrf_token: str
    user: User


@dataclass(frozen=True)
class NewToken:
    token: str  # shown once
    record: ApiToken


def clean_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME_PATTERN.match(name):
        raise Invalid(f"{username!r} is not a valid username: {USERNAME_HELP}", details={"field": "username"})
    return name


def check_new_password(password: str) -> None:
    problem = password_problem(password)
    if problem:
        raise Invalid(f"choose a longer password: {problem}", details={"field": "password"})


class Accounts:
    def __init__(self, db: Database, passwords: Passwords, limiter: SigninLimiter, session_days: int = 30) -> None:
        self.db = db
        self.passwords = passwords
        self.limiter = limiter
        self.session_lifetime = timedelta(days=session_days)

    # -- the first person ---------------------------------------------------
    def needs_setup(self) -> bool:
        with self.db.read() as session:
            return not session.scalar(select(func.count()).select_from(User))

    def setup_admin(self, username: str, display_name: str, password: str, workspace_name: str) -> User:
        """Create the admin and their first workspace; only while nobody has an account."""
        name = clean_username(username)
        check_new_password(password)
        password_hash = self.passwords.hash(password)
        with self.db.write() as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise Conflict("this Stageline already has an admin; sign in instead")
            user = User(
                username=name, display_name=display_name.strip() or name, password_hash=password_hash, is_admin=True
            )
            session.add(user)
            title = workspace_name.strip() or f"{user.display_name}'s workspace"
            workspace = Workspace(slug=unique_slug(session, title), name=title)
            session.add(workspace)
            session.flush()
            session.add(Membership(workspace_id=workspace.id, user_id=user.id, role=Role.OWNER.value))
        return user

    def create_user(self, username: str, display_name: str, password: str) -> User:
        name = clean_username(username)
        check_new_password(password)
        password_hash = self.passwords.hash(password)
        with self.db.write() as session:
            if session.scalar(select(User.id).where(User.username == name)):
                raise Conflict(f"the username {name!r} is taken; choose another", details={"field": "username"})
            user = User(username=name, display_name=display_name.strip() or name, password_hash=password_hash)
            session.add(user)
        return user

    # -- sign in ---------------------------------------------------------------
    def authenticate(self, username: str, password: str, ip: str) -> User:
        wait = self.limiter.retry_after(ip, username)
        if wait:
            raise RateLimited(f"too many failed sign-ins; try again in {wait} seconds", retry_after=wait)
        with self.db.read() as session:
            user = session.scalar(select(User).where(User.username == username.strip().lower()))
        if user is None or not self.passwords.verify(user.password_hash, password):
            if user is None:
                self.passwords.hash(password)  # spend the same time whether or not the account exists
            self.limiter.failed(ip, username)
            raise Unauthorized("wrong username or password")
        self.limiter.succeeded(ip, username)
        if self.passwords.needs_rehash(user.password_hash):
            with self.db.write() as session:
                stored = session.get(User, user.id)
                if stored is not None:
                    stored.password_hash = self.passwords.hash(password)
        return user

    def start_session(self, user: User, user_agent: str | None = None) -> NewSession:
        token, csrf = new_token(), new_token()
        with self.db.write() as session:
            session.add(
                SessionRecord(
                    id=digest(token),
                    user_id=user.id,
                    csrf_token=csrf,
                    expires_at=utcnow() + self.session_lifetime,
                    user_agent=(user_agent or "")[:255] or None,
                )
            )
        return NewSession(token, csrf, user)

    def session(self, token: str) -> SessionRecord | None:
        with self.db.read() as session:
            record = session.get(SessionRecord, digest(token))
        if record is None or record.expires_at <= utcnow():
            return None
        return record

    def end_session(self, token: str) -> None:
        # Deleted one by one (not in bulk) so open live connections hear of it (realtime/announce).
        with self.db.write() as session:
            record = session.get(SessionRecord, digest(token))
            if record is not None:
                session.delete(record)

    def end_all_sessions(self, actor: Actor, *, revoke_tokens: bool = False) -> None:
        """Sign out every browser of the person (their live editors close); their
        personal API tokens stay valid unless `revoke_tokens`."""
        with self.db.write() as session:
            for record in session.scalars(select(SessionRecord).where(SessionRecord.user_id == actor.id)):
                session.delete(record)
            if revoke_tokens:
                for token in session.scalars(
                    select(ApiToken).where(ApiToken.user_id == actor.id, ApiToken.revoked_at.is_(None))
                ):
                    token.revoked_at = utcnow()

    # -- passwords -----------------------------------------------------------------
    def change_password(self, actor: Actor, current: str, new: str, keep_session: str | None = None) -> None:
        """A new password, given the current one; every other browser session ends
        (`keep_session`, the token of the one asking, stays signed in)."""
        check_new_password(new)
        with self.db.read() as session:
            user = session.get(User, actor.id)
        if user is None or not self.passwords.verify(user.password_hash, current):
            raise Invalid("the current password is not right", details={"field": "current"})
        self._set_password(actor.id, new, keep_session)

    def reset_password(self, actor: Actor, username: str, new: str) -> User:
        """An instance admin sets someone's password; all their sessions end."""
        if not actor.is_admin:
            raise Forbidden("only an instance admin can reset someone's password")
        check_new_password(new)
        user = self.by_username(username)
        if user is None:
            raise NotFound(f"no user {username!r} on this Stageline", details={"field": "username"})
        self._set_password(user.id, new, None)
        return user

    def _set_password(self, user_id: int, new: str, keep_session: str | None) -> None:
        password_hash = self.passwords.hash(new)
        kept = digest(keep_session) if keep_session else None
        with self.db.write() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound(f"no user {user_id}")
            user.password_hash = password_hash
            for record in session.scalars(select(SessionRecord).where(SessionRecord.user_id == user_id)):
                if record.id != kept:
                    session.delete(record)

    # -- API tokens --------------------------------------------------------------
    def create_token(self, actor: Actor, name: str) -> NewToken:
        label = name.strip()
        if not label or len(label) > 100:
            raise Invalid("give the token a name of 1–100 characters, e.g. 'CI export'", details={"field": "name"})
        token = new_api_token()
        with self.db.write() as session:
            record = ApiToken(user_id=actor.id, name=label, token_hash=digest(token), prefix=token[:7])
            session.add(record)
            session.flush()
            session.refresh(record)
        return NewToken(token, record)

    def tokens(self, actor: Actor) -> list[ApiToken]:
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(ApiToken)
                    .where(ApiToken.user_id == actor.id, ApiToken.revoked_at.is_(None))
                    .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
                )
            )

    def revoke_token(self, actor: Actor, token_id: int) -> None:
        with self.db.write() as session:
            record = session.get(ApiToken, token_id)
            if record is None or record.user_id != actor.id or record.revoked_at is not None:
                raise NotFound(f"no API token {token_id} of yours")
            record.revoked_at = utcnow()

    def user_for_token(self, token: str) -> User | None:
        if not token.startswith(API_TOKEN_PREFIX):
            return None
        with self.db.read() as session:
            record = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
        if record is None or record.revoked_at is not None:
            return None
        now = utcnow()
        if record.last_used_at is None or now - record.last_used_at > _LAST_USED_GRANULARITY:
            with self.db.write() as session:
                stored = session.get(ApiToken, record.id)
                if stored is not None:
                    stored.last_used_at = now
        return record.user

    # -- people ------------------------------------------------------------------
    def user(self, user_id: int) -> User:
        with self.db.read() as session:
            user = session.get(User, user_id)
        if user is None:
            raise NotFound(f"no user {user_id}")
        return user

    def by_username(self, username: str) -> User | None:
        with self.db.read() as session:
            return session.scalar(select(User).where(User.username == username.strip().lower()))
