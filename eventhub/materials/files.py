"""What an uploaded file is, judged from its bytes (never from the name or the type the client sent), and the
name it is served under.

Only PDF and the common image formats are shown in the browser; everything else, HTML and SVG included (they can
carry scripts), is served as a download. Office documents are recognised from their container (ZIP for
Office Open XML and OpenDocument, OLE for the older formats), so their downloads open in the right program.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile

OCTET_STREAM = "application/octet-stream"
PDF = "application/pdf"
INLINE_TYPES = frozenset({PDF, "image/png", "image/jpeg", "image/gif", "image/webp"})
MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OLE_BY_EXTENSION = {
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ppt": "application/vnd.ms-powerpoint",
}
OOXML_BY_FOLDER = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
OPENDOCUMENT = re.compile(rb"^application/vnd\.oasis\.opendocument\.[a-z.-]{1,40}$")
EXTENSION_BY_TYPE = {
    PDF: "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    **{kind: ext for ext, kind in OLE_BY_EXTENSION.items()},
    **{kind: ext for ext, kind in zip(("docx", "xlsx", "pptx"), OOXML_BY_FOLDER.values(), strict=True)},
}
UNSAFE_NAME_CHARACTERS = re.compile(r"[^\w.()\- ]+")
MAX_NAME = 120


def sniff_content_type(data: bytes, file_name: str = "") -> str:
    """The media type of ``data`` from its first bytes; ``application/octet-stream`` when unsure. The name is
    consulted only to tell the old OLE office formats apart, never to make a file inline."""
    for magic, kind in MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(OLE):
        return OLE_BY_EXTENSION.get(_extension(file_name), OCTET_STREAM)
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    return OCTET_STREAM


def _zip_type(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                declared = archive.read("mimetype").strip()
                if OPENDOCUMENT.match(declared):
                    return declared.decode("ascii")
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return OCTET_STREAM
    for folder, kind in OOXML_BY_FOLDER.items():
        if any(name.startswith(folder) for name in names):
            return kind
    return "application/zip"


def is_inline(content_type: str) -> bool:
    """Whether a browser may show the file itself: PDF and images only (never HTML or SVG)."""
    return content_type in INLINE_TYPES


def safe_file_name(name: str | None, content_type: str = OCTET_STREAM) -> str:
    """A name to store and serve: no folders, no control or shell-special characters, no leading dot, at most
    MAX_NAME characters with the extension kept; ``file.<ext>`` when nothing usable is left."""
    base = unicodedata.normalize("NFC", re.split(r"[\\/]", name or "")[-1])
    base = "".join(char for char in base if unicodedata.category(char)[0] != "C")
    base = UNSAFE_NAME_CHARACTERS.sub("_", base).strip(" ._")
    stem, dot, extension = base.rpartition(".")
    if not dot:
        stem, extension = base, ""
    extension = extension[:10]
    stem = stem[: MAX_NAME - len(extension) - 1].rstrip(" .") if extension else base[:MAX_NAME]
    if not stem:
        return f"file.{extension or EXTENSION_BY_TYPE.get(content_type, 'bin')}"
    return f"{stem}.{extension}" if extension else stem


def _extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""
