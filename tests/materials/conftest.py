"""Materials tests run once per storage (a folder, and the database itself) on each database backend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<!doctype html><script>alert(document.cookie)</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(params=("folder", "database"))
def storage_kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(autouse=True)
def materials_storage(app, storage_kind: str, tmp_path: Path) -> Path:
    """Point the app at this run's storage; returns the folder (empty for the database storage)."""
    folder = tmp_path / "files"
    app.config.update(MATERIALS_STORAGE=storage_kind, MATERIALS_FOLDER=str(folder))
    return folder


@pytest.fixture
def stored_files(materials_storage: Path, storage_kind: str) -> Callable[[], int]:
    """How many files the storage holds now."""
    import sqlalchemy as sa

    from eventhub.extensions import db
    from eventhub.materials.models import MaterialBlob

    def count() -> int:
        if storage_kind == "database":
            return db.session.scalar(sa.select(sa.func.count()).select_from(MaterialBlob))
        return sum(1 for path in materials_storage.rglob("*") if path.is_file()) if materials_storage.exists() else 0

    return count


@pytest.fixture
def swept(now) -> Callable[..., list[str]]:
    """``swept(later=GRACE + 1 s)``: run the sweep ``later`` after ``now`` and commit; the keys it removed."""
    from datetime import timedelta

    from eventhub.extensions import db
    from eventhub.materials.sweep import GRACE, sweep_files

    def sweep(later: timedelta = GRACE + timedelta(seconds=1)) -> list[str]:
        removed = [stored.key for stored in sweep_files(now + later)]
        db.session.commit()
        return removed

    return sweep


@pytest.fixture
def attach(now) -> Callable[..., Any]:
    """``attach(event, actor, data=PDF, name="slides.pdf", **fields)``: a file material, committed."""
    from eventhub.extensions import db
    from eventhub.materials.services import Upload, attach_file

    def factory(event: Any, actor: Any, data: bytes = PDF, name: str = "slides.pdf", **fields: Any):
        material = attach_file(event, Upload(data, name), {"title": "Slides", **fields}, actor, now)
        db.session.commit()
        return material

    return factory
