"""File uploads: streamed to disk with a size limit, hashed, stored by id (never by the uploaded name)."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import unicodedata
import uuid
from pathlib import Path
from typing import IO, TYPE_CHECKING

from kayako_desktop.protocol.errors import ErrorCode
from kayako_desktop.server.errors import ApiError

if TYPE_CHECKING:
    from kayako_desktop.server.services import Services

# Served inline only when the declared type is one of these AND the bytes agree (DESIGN §7).
IMAGE_MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
}
_EXTENSIONS = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".webp": "image/webp"}
CHUNK = 64 * 1024


def safe_name(raw: str | None) -> str:
    """Drop path parts and control characters; keep something readable."""
    name = unicodedata.normalize("NFC", raw or "")
    # Browsers percent-encode these three in multipart filenames (HTML5); decode so they are judged too.
    name = name.replace("%0D", "\r").replace("%0A", "\n").replace("%22", '"')
    name = re.split(r"[\\/]", name)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = name.strip().strip(".").strip()
    if len(name) > 200:
        stem, ext = os.path.splitext(name)
        name = stem[: 200 - len(ext[:20])] + ext[:20]
    return name or "file"


def _image_type(head: bytes, declared: str, name: str) -> str | None:
    candidate = declared if declared in IMAGE_MAGIC else _EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if candidate is None:
        return None
    if not any(head.startswith(m) for m in IMAGE_MAGIC[candidate]):
        return None
    if candidate == "image/webp" and head[8:12] != b"WEBP":
        return None
    return candidate


def file_path(svc: Services, file_id: str) -> Path:
    return Path(svc.files_dir) / file_id[:2] / file_id


def store_upload(svc: Services, stream: IO[bytes], filename: str | None, declared_type: str | None,
                 uploader_kind: str, uploader_id: int) -> str:
    limit = int(svc.config["CHAT_MAX_UPLOAD_BYTES"])
    file_id = uuid.uuid4().hex
    final = file_path(svc, file_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = final.with_suffix(".part")
    digest, size, head = hashlib.sha256(), 0, b""
    try:
        with open(tmp, "wb") as out:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ApiError(ErrorCode.FILE_TOO_LARGE,
                                   f"Files are limited to {limit // (1024 * 1024)} MB", parameter="file")
                if len(head) < 16:
                    head += chunk[: 16 - len(head)]
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ApiError(ErrorCode.FIELD_INVALID, "The file is empty", parameter="file")
        os.replace(tmp, final)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise svc.db.storage_full() from exc
        raise
    finally:
        tmp.unlink(missing_ok=True)
    name = safe_name(filename)
    declared = (declared_type or "").split(";")[0].strip().lower()
    image = _image_type(head, declared, name)
    content_type = image or (declared if re.fullmatch(r"[\w.+-]+/[\w.+-]+", declared) else "application/octet-stream")
    try:
        with svc.db.write() as tx:
            tx.execute(
                "INSERT INTO files (id, name, size, content_type, is_image, sha256, uploader_kind, uploader_id, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (file_id, name, size, content_type, int(image is not None), digest.hexdigest(), uploader_kind,
                 uploader_id, tx.now),
            )
    except BaseException:
        final.unlink(missing_ok=True)
        raise
    return file_id
