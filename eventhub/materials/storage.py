"""Where the bytes of uploaded files live, behind one small interface.

``FolderStorage`` (the default) keeps each file in a folder (``instance/files`` unless ``EVENTHUB_MATERIALS_FOLDER``
says otherwise), named by the SHA-256 of its content: the same file uploaded twice is stored once, a name can
never point outside the folder (only 64 hex digits are accepted as a key), and a write is a temporary file
renamed into place, so a reader never sees half a file. ``DatabaseStorage`` keeps the bytes in the
``material_blobs`` table of eventhub's own database, for several web hosts without a shared disk and without
another service to run; its writes commit with the rest of the change.

``EVENTHUB_MATERIALS_STORAGE`` (``folder`` or ``database``) chooses; ``storage_for(app)`` builds the one in use.
An S3-compatible storage would be a third class here, written with a maintained client library.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

import sqlalchemy as sa
from flask import Flask, current_app

from eventhub.extensions import db
from eventhub.materials.models import MaterialBlob

KEY = re.compile(r"^[0-9a-f]{64}$")
STORAGES = ("folder", "database")


class Storage(Protocol):
    """Content-addressed bytes: ``save`` returns the key (SHA-256, hex) that ``read`` and ``discard`` take.

    ``discard`` removes the bytes once the caller's transaction commits (never before: a rolled-back removal must
    leave a readable file behind)."""

    def save(self, data: bytes) -> str: ...

    def read(self, key: str) -> bytes | None: ...

    def discard(self, key: str) -> None: ...


def content_key(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checked_key(key: str) -> str:
    """``key`` if it is a SHA-256 in hex; anything else (``../``, a path) is a programming error."""
    if not KEY.match(key or ""):
        raise ValueError(f"not a storage key: {key!r}")
    return key


class FolderStorage:
    """Files under ``root/<first two hex digits>/<key>``; nothing is ever written elsewhere."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root).resolve()

    def path_of(self, key: str) -> Path:
        key = checked_key(key)
        return self.root / key[:2] / key

    def save(self, data: bytes) -> str:
        key = content_key(data)
        path = self.path_of(key)
        if path.exists():
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return key

    def read(self, key: str) -> bytes | None:
        path = self.path_of(key)
        return path.read_bytes() if path.exists() else None

    def discard(self, key: str) -> None:
        """Unlink the file after the session's next commit (a file cannot take part in the transaction)."""
        path = self.path_of(key)
        sa.event.listen(db.session(), "after_commit", lambda _session: path.unlink(missing_ok=True), once=True)


class DatabaseStorage:
    """Rows of ``material_blobs`` in the request's session: saved and deleted in the caller's transaction."""

    def save(self, data: bytes) -> str:
        key = content_key(data)
        if db.session.get(MaterialBlob, key) is None:
            db.session.add(MaterialBlob(key=key, data=data, size=len(data)))
            db.session.flush()
        return key

    def read(self, key: str) -> bytes | None:
        blob = db.session.get(MaterialBlob, checked_key(key))
        return bytes(blob.data) if blob is not None else None

    def discard(self, key: str) -> None:
        blob = db.session.get(MaterialBlob, checked_key(key))
        if blob is not None:
            db.session.delete(blob)
            db.session.flush()


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
