"""Upload storage: generated names under UPLOAD_ROOT, never a path built from user input.

Stored names are ``<2 hex>/<random token>.<sniffed format>``; every read, write and delete checks
that the resolved path stays inside the root (Zulip ``zerver/lib/upload/local.py``). The user's
file name is kept only for display, after ``display_name`` cleans it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import unicodedata
from pathlib import Path

from django.conf import settings

__all__ = [
    "DISPLAY_NAME_MAX_BYTES",
    "display_name",
    "stored_path",
    "upload_remove",
    "upload_store",
]

#: Longest display name kept [bytes of UTF-8].
DISPLAY_NAME_MAX_BYTES = 255
_FALLBACK_NAME = "uploaded-file"


def display_name(name: str) -> str:
    """A file name fit for display: NFKC, no control or bidi characters, at most 255 bytes.

    The extension is kept when the name has to be shortened; ``""``, ``.`` and ``..`` become
    ``uploaded-file``. Only the last path component counts.

    Examples
    --------
    >>> display_name("../../etc/passwd.mp3")
    'passwd.mp3'
    """
    base = unicodedata.normalize("NFKC", name).replace("\\", "/").rsplit("/", 1)[-1]
    # Drop control (Cc), format (Cf: bidi overrides, zero-width) and unassigned characters.
    clean = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf", "Cn")).strip()
    if clean in ("", ".", ".."):
        return _FALLBACK_NAME
    stem, dot, ext = clean.rpartition(".")
    if not dot or len(ext.encode()) > 16:
        stem, ext = clean, ""
    suffix = f".{ext}" if ext else ""
    budget = DISPLAY_NAME_MAX_BYTES - len(suffix.encode())
    stem = stem.encode()[:budget].decode("utf-8", errors="ignore")
    return f"{stem}{suffix}" if stem else _FALLBACK_NAME


def stored_path(name: str) -> Path:
    """Absolute path of the stored upload ``name``; refuses any name that leaves the root.

    Raises
    ------
    ValueError
        ``name`` resolves outside ``UPLOAD_ROOT``.
    """
    root = Path(settings.UPLOAD_ROOT).resolve()
    path = (root / name).resolve()
    if os.path.commonpath([root, path]) != str(root):
        raise ValueError(f"stored name {name!r} leaves the upload root")
    return path


def upload_store(source: Path, *, extension: str) -> str:
    """Place ``source`` under a new random name and return that name (relative to the root).

    A hard link is used when ``source`` is on the same file system (the upload temp folder is),
    else the bytes are copied. The extension is the sniffed format, never the user's.
    """
    if not extension.isalnum():
        raise ValueError(f"extension must be alphanumeric, got {extension!r}")
    name = f"{secrets.token_hex(1)}/{secrets.token_urlsafe(18)}.{extension.lower()}"
    target = stored_path(name)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)
    target.chmod(0o600)
    return name


def upload_remove(name: str) -> None:
    """Delete the stored upload ``name``; a missing file is not an error."""
    stored_path(name).unlink(missing_ok=True)
