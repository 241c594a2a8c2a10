"""Where the bytes of uploaded files live, behind one small interface.

``FolderStorage`` (the default) keeps each file in a folder (``instance/files`` unless ``EVENTHUB_MATERIALS_FOLDER``
says otherwise), named by the SHA-256 of its content: the same file uploaded twice is stored once, a name can
never point outside the folder (only 64 hex digits are accepted as a key), and a write is a temporary file
renamed into place, so a reader never sees half a file. ``DatabaseStorage`` keeps the bytes in the
``material_blobs`` table of eventhub's own database, for several web hosts without a shared disk and without
another service to run; its writes commit with the rest of the change.

``EVENTHUB_MATERIALS_STORAGE`` (``folder`` or ``database``) chooses; ``storage_for(app)`` builds the one in use.
An S3-compatible storage would be a third class here, written with a maintained client library.

Bytes are never removed where a material goes (a removed or replaced material, a deleted event, a save rolled
back): ``materials.sweep`` removes whatever no material references once it was last saved longer ago than a
grace period. Each save records when (a file's mtime, a blob's ``created_at``), also when the same content was
already stored, so bytes a new upload is about to use are never swept from under it.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from flask import Flask, current_app

from eventhub.extensions import db
from eventhub.materials.models import Material, MaterialBlob

KEY = re.compile(r"^[0-9a-f]{64}$")
STORAGES = ("folder", "database")


@dataclass(frozen=True)
class StoredFile:
    """One stored file as the sweep sees it: its key and its size in bytes."""

    key: str
    size: int


class Storage(Protocol):
    """Content-addressed bytes: ``save`` returns the key (SHA-256, hex) that ``read`` takes.

    ``save`` records ``now`` as the moment the bytes were last saved, also when they were already stored;
    ``saved_before`` lists the files last saved before a moment, and ``remove_unless_saved_since`` removes one
    unless it was saved again since (by an upload still to commit) or a material references it by then."""

    def save(self, data: bytes, now: datetime) -> str: ...

    def read(self, key: str) -> bytes | None: ...

    def saved_before(self, cutoff: datetime) -> list[StoredFile]: ...

    def remove_unless_saved_since(self, key: str, cutoff: datetime) -> bool: ...


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checked_key(key: str) -> str:
    """``key`` if it is a SHA-256 in hex; anything else (``../``, a path) is a programming error."""
    if not KEY.match(key or ""):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class FolderStorage:
    """Files under ``root/<first two hex digits>/<key>``; nothing is ever written elsewhere.

    A file's mtime is when it was last saved, taken from the caller's ``now`` (not the OS clock), so the sweep's
    grace period and the rest of eventhub agree on time."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def path_of(self, key: str) -> Path:
        key = checked_key(key)
        return self.root / key[:2] / key

    def save(self, data: bytes, now: datetime) -> str:
        key = content_key(data)
        path = self.path_of(key)
        try:
            _set_mtime(path, now)  # already stored: saved again now, so the sweep keeps it
            return key
        except FileNotFoundError:
            pass  # not stored yet, or a sweep has just taken it away: write it (again)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            _set_mtime(Path(temporary), now)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def read(self, key: str) -> bytes | None:
        path = self.path_of(key)
        return path.read_bytes() if path.exists() else None

    def saved_before(self, cutoff: datetime) -> list[StoredFile]:
        return [StoredFile(path.name, size) for path, mtime, size in self._files() if mtime < cutoff]

    def remove_unless_saved_since(self, key: str, cutoff: datetime) -> bool:
        """Move the file aside (atomic), then look at its mtime: an upload that saved it again before the move
        gets it put back; one that comes after the move finds no file and writes its own."""
        path = self.path_of(key)
        aside = path.with_name(f".sweep-{key}-{os.getpid()}")
        try:
            os.replace(path, aside)
        except FileNotFoundError:
            return False  # another sweep took it
        if _mtime(aside) >= cutoff:
            os.replace(aside, path)  # same content as any file written there meanwhile: either may stay
            return False
        aside.unlink()
        return True

    def _files(self) -> Iterator[tuple[Path, datetime, int]]:
        if not self.root.is_dir():
            return
        for folder in self.root.iterdir():
            for path in folder.iterdir() if folder.is_dir() else ():
                if KEY.match(path.name):
                    try:
                        status = path.stat()
                    except FileNotFoundError:
                        continue  # swept meanwhile
                    yield path, datetime.fromtimestamp(status.st_mtime, UTC), status.st_size


def _set_mtime(path: Path, moment: datetime) -> None:
    stamp = moment.timestamp()
    os.utime(path, (stamp, stamp))


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC)


class DatabaseStorage:
    """Rows of ``material_blobs`` in the request's session: saved and removed in the caller's transaction.

    A blob's ``created_at`` is when it was last saved: saving content already stored moves it, and that UPDATE
    holds the row's lock until the upload commits, so a concurrent sweep's DELETE waits and then sees it moved."""

    def save(self, data: bytes, now: datetime) -> str:
        key = content_key(data)
        if self._touch(key, now):
            return key
        try:
            with db.session.begin_nested():
                db.session.add(MaterialBlob(key=key, data=data, size=len(data), created_at=now))
        except sa.exc.IntegrityError:
            self._touch(key, now)  # a concurrent upload of the same file inserted it first
        return key

    def read(self, key: str) -> bytes | None:
        blob = db.session.get(MaterialBlob, checked_key(key))
        return bytes(blob.data) if blob is not None else None

    def saved_before(self, cutoff: datetime) -> list[StoredFile]:
        query = sa.select(MaterialBlob.key, MaterialBlob.size).where(MaterialBlob.created_at < cutoff)
        return [StoredFile(key, size) for key, size in db.session.execute(query.order_by(MaterialBlob.key))]

    def remove_unless_saved_since(self, key: str, cutoff: datetime) -> bool:
        stale = sa.and_(MaterialBlob.key == checked_key(key), MaterialBlob.created_at < cutoff)
        unused = ~sa.exists().where(Material.file_key == MaterialBlob.key)
        removed = db.session.execute(
            sa.delete(MaterialBlob).where(stale, unused), execution_options={"synchronize_session": False}
        )
        return bool(removed.rowcount)

    def _touch(self, key: str, now: datetime) -> bool:
        touched = db.session.execute(
            sa.update(MaterialBlob).where(MaterialBlob.key == key).values(created_at=now),
            execution_options={"synchronize_session": False},
        )
        return bool(touched.rowcount)


def storage_for(app: Flask) -> Storage:
    """The storage ``app`` is configured for (``MATERIALS_STORAGE``, ``MATERIALS_FOLDER``)."""
    kind = str(app.config.get("MATERIALS_STORAGE") or "folder").lower()
    if kind == "database":
        return DatabaseStorage()
    if kind != "folder":
        raise RuntimeError(f"EVENTHUB_MATERIALS_STORAGE must be one of {', '.join(STORAGES)}, not {kind!r}")
    return FolderStorage(app.config.get("MATERIALS_FOLDER") or Path(app.instance_path) / "files")


def current_storage() -> Storage:
    return storage_for(current_app._get_current_object())  # type: ignore[attr-defined]
