"""Member photos (照片上墙) on plain data: which uploads are photos, how big they may be and become.

The type comes from the bytes (the magic numbers of JPEG and PNG), never from the name or the header the
client sent; anything else is 415, anything over 2 MB is 413.  What is kept is re-encoded (JPEG, at most
``MAX_SIDE`` pixels a side), so no metadata of the original (EXIF, GPS, comments) survives.
"""

from __future__ import annotations

MAX_BYTES = 2 * 1024 * 1024
MAX_SIDE = 800
MAX_PIXELS = 40_000_000  # a larger image is refused before it is decoded (a decompression bomb)
SIGNATURES = {b"\xff\xd8\xff": "JPEG", b"\x89PNG\r\n\x1a\n": "PNG"}


def sniff(data: bytes) -> str | None:
    """``"JPEG"`` or ``"PNG"`` from the first bytes, else ``None``."""
    for magic, kind in SIGNATURES.items():
        if data.startswith(magic):
            return kind
    return None


def too_large(size: int) -> bool:
    return size > MAX_BYTES


def fitted(width: int, height: int, side: int = MAX_SIDE) -> tuple[int, int]:
    """The size kept: scaled down (never up) so neither side exceeds ``side``, proportions kept."""
    scale = min(1.0, side / max(width, height, 1))
    return max(1, round(width * scale)), max(1, round(height * scale))
