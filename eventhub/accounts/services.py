"""Accounts: creating users, checking passwords, issuing and resolving API tokens.

Functions flush, never commit: the caller (view, command) owns the transaction.
"""

import secrets
from datetime import datetime, timedelta
from functools import cache

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import contains_eager
from werkzeug.security import check_password_hash, generate_password_hash

from eventhub.accounts.models import ApiToken, Role, User
from eventhub.audit import log as audit
from eventhub.audit.models import AuditAction
from eventhub.db import utcnow
from eventhub.errors import Conflict, NotFound, ValidationFailed
from eventhub.events.models import Person
from eventhub.events.people import get_or_create_person
from eventhub.extensions import db
from eventhub.pagination import Page, paginate, text_search
from eventhub.texts import lazy_text as _l
from eventhub.tokens import hash_token, new_token
from eventhub.validation import check_characters, normalize_email, validate_language

MIN_PASSWORD_LENGTH = 10
TOKEN_PREFIX = "ehk_"
# Writing last_used_at on every API call would turn each read into a write; once a minute is enough to audit.
LAST_USED_RESOLUTION = timedelta(minutes=1)
USERS_PER_PAGE = 50


def parse_role(value: str) -> Role:
    try:
        return Role(value.strip().lower())
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        raise ValidationFailed(
            f"Unknown role {value!r}; choose one of {choices}.", {"role": f"one of {choices}"}
        ) from None


def hash_password(password: str) -> str:
    """Hash with the configured method (scrypt by default; the test suite uses a cheap one for speed)."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        message = _l("The password must have at least %(num)d characters.", num=MIN_PASSWORD_LENGTH)
        raise ValidationFailed(message, {"password": message})


def create_user(
    email: str,
    role: Role,
    password: str | None = None,
    name: str | None = None,
    organisation: str | None = None,
    language: str | None = None,
    *,
    actor: User | None = None,
    now: datetime | None = None,
) -> User:
    """Create an account for ``email`` (creating the person if new; an existing person keeps what they told us).
    Recorded in the audit log for ``actor`` (None: the command line, or eventhub itself for a member signing in
    with a link). Raises Conflict if it already has one."""
    person = get_or_create_person(email=email, name=name, organisation=organisation or None, language=language)
    if db.session.scalar(sa.select(User.id).where(User.person_id == person.id)) is not None:
        raise Conflict(
            _l("%(email)s already has an account.", email=person.email), {"email": _l("already has an account")}
        )
    if password is not None:
        check_password_strength(password)
    user = User(person=person, role=role, password_hash=hash_password(password) if password else None)
    db.session.add(user)
    db.session.flush()
    _audit(AuditAction.ACCOUNT_CREATED, user, actor, now, role=(None, role))
    return user


def _audit(action: AuditAction, user: User, actor: User | None, now: datetime | None, **fields: tuple) -> None:
    """An entry about the account's person (erasure forgets them)."""
    audit.record(
        action, actor=actor, now=now or utcnow(), person=user.person, subject=audit.person_subject(user.person),
        fields=fields,
    )  # fmt: skip


def end_sessions(user: User) -> None:
    """End every session of ``user`` (every browser, a copied cookie included): their cookies carry the old
    session version, which ``auth.user_for_session_id`` no longer accepts. Raised in SQL, so two changes at
    once both count."""
    user.session_version = User.session_version + 1
    db.session.flush()


def set_password(user: User, password: str) -> None:
    """Set a new password; whoever was logged in with the old one is logged out."""
    check_password_strength(password)
    user.password_hash = hash_password(password)
    end_sessions(user)


def set_own_language(user: User, language: str) -> None:
    """The language ``user`` chose in the switcher, kept on their person: their pages on any browser and the
    emails they get speak it from now on. Raises ValidationFailed for a language eventhub does not speak."""
    user.person.language = validate_language(language)


def set_role(user: User, role: Role, *, actor: User | None = None, now: datetime | None = None) -> None:
    """Change the account's role and end its sessions (a session began with the rights of the old role); the
    audit log records it for ``actor``. Raises Conflict for the last active admin: nobody could manage accounts
    afterwards."""
    if user.role != role:
        if role != Role.ADMIN:
            _refuse_removing_last_admin(user, "role")
        role_before, user.role = user.role, role
        end_sessions(user)
        _audit(AuditAction.ROLE_CHANGED, user, actor, now, role=(role_before, role))


def set_active(user: User, active: bool, *, actor: User | None = None, now: datetime | None = None) -> None:
    """(De)activate the account. A deactivated account cannot log in, its sessions end, and its API tokens and
    calendar feed answer as if they did not exist; the audit log records it for ``actor``. Raises Conflict for
    the last active admin."""
    if user.active != active:
        if not active:
            _refuse_removing_last_admin(user, "active")
        user.active = active
        end_sessions(user)
        action = AuditAction.ACCOUNT_REACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED
        _audit(action, user, actor, now, active=(not active, active))


def _refuse_removing_last_admin(user: User, field: str) -> None:
    """Raise Conflict when ``user`` is the only active admin. The active admins' rows are locked (in id order,
    on PostgreSQL) so two admins demoting each other at once cannot both succeed; SQLite has one writer anyway."""
    if not (user.is_admin and user.active):
        return
    admins = sa.select(User.id).where(User.role == Role.ADMIN, User.active.is_(True)).order_by(User.id)
    if len(db.session.scalars(admins.with_for_update()).all()) <= 1:
        message = _l("The last active administrator cannot be demoted or deactivated.")
        raise Conflict(message, {field: message})


def find_user_by_email(email: str) -> User | None:
    try:
        normalized = normalize_email(email)
    except ValidationFailed:
        return None
    return db.session.scalar(sa.select(User).join(User.person).where(Person.email == normalized))


def authenticate(email: str, password: str, now: datetime | None = None) -> User | None:
    """The active user with this email and password, or None.

    Every answer costs one password check (against a stand-in hash when there is no account or no password),
    and an inactive account's password is checked too: the time taken reveals neither which addresses have
    accounts nor which accounts are inactive.
    """
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        check_password_hash(_stand_in_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = now or utcnow()
    return user


@cache
def _stand_in_hash(method: str) -> str:
    """A hash of a random password, made once per process and method, to check failed logins against."""
    return generate_password_hash(secrets.token_urlsafe(16), method=method)


def create_api_token(user: User, name: str = "", now: datetime | None = None) -> tuple[ApiToken, str]:
    """Issue a new token for ``user``. Returns the row and the plaintext token, which is never stored.

    Raises ValidationFailed for a name with control characters (the CLI passes names unchecked by any form)."""
    check_characters(name, "name")
    plaintext, digest = new_token(TOKEN_PREFIX)
    token = ApiToken(user=user, name=name[:100], token_hash=digest, prefix=plaintext[:12])
    token.created_at = now or utcnow()
    db.session.add(token)
    db.session.flush()
    return token, plaintext


def user_for_token(plaintext: str, now: datetime | None = None) -> User | None:
    """The active user a token belongs to, or None for unknown, revoked or inactive ones."""
    now = now or utcnow()
    token = db.session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_token(plaintext)))
    if token is None or token.revoked_at is not None or not token.user.active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return token.user


def revoke_api_token(token_id: int, owner: User, now: datetime | None = None) -> ApiToken:
    token = db.session.get(ApiToken, token_id)
    if token is None or (token.user_id != owner.id and not owner.is_admin):
        raise NotFound("No such token.")
    token.revoked_at = now or utcnow()
    return token


def list_users() -> list[User]:
    """Every account, by email, for operators (``flask users list``)."""
    return list(db.session.scalars(sa.select(User).join(User.person).order_by(Person.email)))


def search_users(
    query: str = "", role: Role | None = None, page: int = 1, per_page: int = USERS_PER_PAGE
) -> Page[User]:
    """Accounts whose name or email contains ``query`` (any case), of ``role`` if given, by email, one page of
    ``per_page`` (pages past the end are empty). Counted and cut in SQL: the list may hold thousands."""
    conditions = [c for c in (text_search(query, [Person.name, Person.email]),) if c is not None]
    if role is not None:
        conditions.append(User.role == role)
    matching = (
        sa.select(User)
        .join(User.person)
        .where(*conditions)
        .options(contains_eager(User.person).joinedload(Person.organisation))
        .order_by(Person.email)
    )
    return paginate(matching, page, per_page)


def get_user(user_id: int) -> User:
    """The account with this id; raises NotFound."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No account {user_id}.")
    return user


def list_api_tokens(user: User) -> list[ApiToken]:
    """The user's tokens, oldest first, revoked ones included (so an operator sees what was revoked when)."""
    return list(db.session.scalars(sa.select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def get_api_token(token_id: int) -> ApiToken:
    """The token with this id; raises NotFound. For operators, who may act on anyone's token."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"No API token {token_id}.")
    return token
