"""Use cases of member photos: upload (checked from the bytes, re-encoded by Pillow, metadata gone), read,
remove; and which photos the board may show (people it shows: zone holders and posts on duty)."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from services.pledge.daily_work.domain import photos as rules
from services.pledge.daily_work.models import PersonPhoto
from services.pledge.directory.lookups import fetch
from services.pledge.directory.models import Person
from services.pledge.supervision.access import readable_org
from shared.context import Context
from shared.directory import path_ids
from shared.errors import ApiError, Forbidden, NotFound, ValidationFailed, field_errors
from shared.i18n import bilingual
from shared.principal import Principal, require_self_or

UNSUPPORTED = bilingual("只接受 JPEG 或 PNG 照片", "only JPEG or PNG photos")


def _person(session: Session, person_id: int) -> Person:
    person = fetch(session, Person, person_id)
    if person is None:
        raise NotFound()
    return person


def _writable(session: Session, principal: Principal, person_id: int) -> Person:
    person = _person(session, person_id)
    try:
        require_self_or(principal, person.id, path_ids(person.org_path))
    except Forbidden:
        raise Forbidden("org_forbidden") from None
    return person


def reencode(data: bytes) -> tuple[bytes, int, int]:
    """The photo as a fresh JPEG without metadata: 413 over 2 MB, 415 unless the bytes are JPEG or PNG."""
    if rules.too_large(len(data)):
        raise ApiError("payload_too_large", status=413, errors={"file": [bilingual("照片不能超过 2 MB",
                                                                                 "a photo is at most 2 MB")]})
    kind = rules.sniff(data)
    if kind is None:
        raise ApiError("unsupported_media_type", status=415, errors={"file": [UNSUPPORTED]})
    try:
        with Image.open(io.BytesIO(data), formats=[kind]) as image:
            if image.width * image.height > rules.MAX_PIXELS:
                raise ApiError("unsupported_media_type", status=415, errors={"file": [UNSUPPORTED]})
            image.load()
            rgb = image.convert("RGB")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ApiError("unsupported_media_type", status=415, errors={"file": [UNSUPPORTED]}) from exc
    rgb = rgb.resize(rules.fitted(rgb.width, rgb.height), Image.LANCZOS) if max(rgb.size) > rules.MAX_SIDE else rgb
    out = io.BytesIO()
    rgb.save(out, format="JPEG", quality=85, optimize=True)  # no exif=, no icc_profile=: nothing carried over
    return out.getvalue(), rgb.width, rgb.height


def put_photo(ctx: Context, principal: Principal, person_id: int, upload: Any) -> dict[str, Any]:
    """The person themself or an admin over their org; the file is checked only once the caller may."""
    person = _writable(ctx.session, principal, person_id)
    if upload is None:
        raise ValidationFailed(errors=field_errors(file=bilingual("请上传照片", "a photo file is required")))
    data, width, height = reencode(upload.read(rules.MAX_BYTES + 1))
    photo = ctx.session.get(PersonPhoto, person.id) or PersonPhoto(person_id=person.id)
    photo.data, photo.width, photo.height, photo.updated_at = data, width, height, ctx.now()
    ctx.session.add(photo)
    ctx.session.flush()
    return view(photo)


def view(photo: PersonPhoto) -> dict[str, Any]:
    return {"person_id": photo.person_id, "width": photo.width, "height": photo.height, "bytes": len(photo.data),
            "content_type": "image/jpeg", "updated_at": photo.updated_at}


def read_photo(session: Session, principal: Principal, person_id: int) -> bytes:
    person = _person(session, person_id)
    if principal.person_id != person.id:
        readable_org(session, principal, person.org_id)
    photo = session.get(PersonPhoto, person.id)
    if photo is None:
        raise NotFound()
    return photo.data


def remove_photo(ctx: Context, principal: Principal, person_id: int) -> None:
    person = _writable(ctx.session, principal, person_id)
    photo = ctx.session.get(PersonPhoto, person.id)
    if photo is None:
        raise NotFound()
    ctx.session.delete(photo)


def with_photos(session: Session, person_ids: set[int]) -> set[int]:
    """Which of these people have a photo."""
    if not person_ids:
        return set()
    return set(session.scalars(select(PersonPhoto.person_id).where(PersonPhoto.person_id.in_(person_ids))))


def board_photo(session: Session, person_ids_shown: set[int], person_id: int) -> bytes:
    """A photo the board shows (404 for anyone the board does not show, or without a photo)."""
    photo = session.get(PersonPhoto, person_id) if person_id in person_ids_shown else None
    if photo is None:
        raise NotFound()
    return photo.data
