"""Pure rules about files: the name kept, the type sent, sizes in human units."""

import re
import unicodedata

# Types a browser would render or run if it ever opened the file: always sent as plain bytes.
ACTIVE_TYPES = frozenset(
    {
        "text/html",
        "application/xhtml+xml",
        "image/svg+xml",
        "text/xml",
        "application/xml",
        "text/javascript",
        "application/javascript",
        "application/x-javascript",
        "text/x-javascript",
        "application/ecmascript",
        "text/ecmascript",
        "application/x-shockwave-flash",
        "application/pdf+html",
    }
)
OPAQUE_TYPE = "application/octet-stream"
MAX_NAME_LENGTH = 255
FALLBACK_NAME = "file"
_UNITS = ("bytes", "kB", "MB", "GB", "TB")


def served_type(detected: str) -> str:
    """The Content-Type a download goes out with: the detected type, except that anything a
    browser might render as a page or run (HTML, SVG, XML, scripts) is opaque bytes."""
    base = (detected or "").split(";", 1)[0].strip().lower()
    if not base or "/" not in base:
        return OPAQUE_TYPE
    if base in ACTIVE_TYPES or base.endswith("+xml") or "html" in base or "script" in base:
        return OPAQUE_TYPE
    return base


def clean_file_name(name: str | None) -> str:
    """The file name as kept: the last path part, no control or format characters, no quotes,
    no leading dots, at most 255 characters (the extension kept); "file" when nothing is left."""
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[\\/]", text)[-1]
    text = "".join(
        " " if unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} else c
        for c in text
        if c not in '"'
    )
    text = re.sub(r"\s+", " ", text).strip().lstrip(".").strip()
    if len(text) > MAX_NAME_LENGTH:
        stem, dot, ext = text.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            text = stem[: MAX_NAME_LENGTH - len(ext) - 1].rstrip() + "." + ext
        else:
            text = text[:MAX_NAME_LENGTH].rstrip()
    return text or FALLBACK_NAME


def human_size(size: int) -> str:
    """Bytes in human units, powers of 1000 as file managers show them: 0 bytes, 1 byte,
    999 bytes, 1.0 kB, 1.2 MB (one decimal from kB up)."""
    if size < 1000:
        return f"{size} byte" if size == 1 else f"{size} bytes"
    value = float(size)
    unit = 0
    while value >= 999.95 and unit < len(_UNITS) - 1:
        value /= 1000
        unit += 1
    return f"{value:.1f} {_UNITS[unit]}"


def short_checksum(sha256: str) -> str:
    """The first 12 hex digits of a SHA-256, as pages show it (the full one on hover)."""
    return sha256[:12]
