"""Photo rules on plain data: the type from the bytes, the 2 MB limit, the size kept."""

from __future__ import annotations

from services.pledge.daily_work.domain.photos import MAX_BYTES, fitted, sniff, too_large


def test_the_type_comes_from_the_bytes():
    assert sniff(b"\xff\xd8\xff\xe0rest") == "JPEG" and sniff(b"\x89PNG\r\n\x1a\nrest") == "PNG"
    assert sniff(b"GIF89a") is None and sniff(b"<svg") is None and sniff(b"") is None


def test_two_megabytes_at_most_and_scaled_down_never_up():
    assert not too_large(MAX_BYTES) and too_large(MAX_BYTES + 1)
    assert fitted(1600, 1200) == (800, 600) and fitted(300, 200) == (300, 200) and fitted(1000, 4000) == (200, 800)
