"""Member photos over HTTP: JPEG/PNG up to 2 MB, checked from the bytes, re-encoded without metadata (Pillow);
anything else 415/413 in the contract's shape; shown on the board for the people it shows."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

URL = "/api/v1/people/{}/photo"


def _image(fmt: str = "JPEG", size=(1200, 900), exif: bool = True) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    if exif and fmt == "JPEG":
        meta = Image.Exif()
        meta[0x010F] = "Secret Camera"  # Make
        meta[0x9286] = "GPS 30.27N 120.15E"  # UserComment
        image.save(out, format=fmt, exif=meta)
    else:
        image.save(out, format=fmt)
    return out.getvalue()


def _put(api, person_id, data: bytes, as_="admin", name="me.jpg", lang=None):
    headers = api.headers(as_, lang)
    return api.client.put(URL.format(person_id), data={"file": (io.BytesIO(data), name)}, headers=headers,
                          content_type="multipart/form-data")


def test_a_photo_is_reencoded_without_its_metadata_and_read_back(api, tree):
    original = _image()
    assert b"Secret Camera" in original
    response = _put(api, tree.m1, original, as_=("member", tree.m1))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["width"], body["height"]) == (800, 600) and body["content_type"] == "image/jpeg"
    stored = api.get(URL.format(tree.m1), as_=("member", tree.m1), status=200)
    assert stored.mimetype == "image/jpeg" and b"Secret Camera" not in stored.data and b"GPS" not in stored.data
    with Image.open(io.BytesIO(stored.data)) as image:
        assert image.format == "JPEG" and not image.getexif() and image.size == (800, 600)
    png = _put(api, tree.m1, _image("PNG", (300, 200)), name="photo.png")
    assert png.status_code == 200 and (png.get_json()["width"], png.get_json()["height"]) == (300, 200)
    assert api.client.delete(URL.format(tree.m1), headers=api.headers("admin")).status_code == 204
    api.get(URL.format(tree.m1), status=404)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_anything_but_a_small_jpeg_or_png_is_refused_in_the_contract_shape(api, tree, lang):
    cases = [(b"GIF89a" + b"\0" * 100, 415), (b"<svg xmlns='http://www.w3.org/2000/svg'/>", 415),
             (b"\xff\xd8\xff" + b"not really a jpeg" * 10, 415), (b"\xff\xd8\xff" + b"\0" * (2 * 1024 * 1024), 413)]
    for data, status in cases:
        response = _put(api, tree.m1, data, lang=lang, name="photo.jpg")
        body = response.get_json()
        assert response.status_code == status, body
        assert set(body) == {"code", "error", "message", "errors"} and body["code"] == status
        assert list(body["errors"]) == ["file"] and body["message"].isascii() == (lang == "en")
    missing = api.client.put(URL.format(tree.m1), headers=api.headers("admin"), content_type="multipart/form-data",
                             data={})
    assert missing.status_code == 422 and list(missing.get_json()["errors"]) == ["file"]


def test_only_the_person_or_an_admin_over_them_sets_a_photo(api, tree):
    data = _image(size=(100, 100))
    assert _put(api, tree.m1, data, as_=("member", tree.m2)).status_code == 403
    assert _put(api, tree.m1, data, as_=("org_admin", tree.c2)).status_code == 403
    assert _put(api, tree.m1, data, as_=("org_admin", tree.c1)).status_code == 200
    assert _put(api, 99999, data).status_code == 404
    api.get(URL.format(tree.m1), as_=("member", tree.m3), status=403)
    api.get(URL.format(tree.m1), as_=("org_admin", tree.c2), status=403)
    assert api.client.delete(URL.format(tree.m1), headers=api.headers(("member", tree.m3))).status_code == 403


def test_the_board_shows_the_photos_of_the_people_it_shows(api, tree, pledge_client):
    api.post("/api/v1/posts", {"org_id": tree.b1, "title": "先锋岗", "kind": "vanguard_post", "holder_id": tree.m1,
                               "since": date.today().replace(day=1).isoformat()}, status=201)
    for person in (tree.m1, tree.m2):
        assert _put(api, person, _image(size=(200, 200))).status_code == 200
    html = pledge_client.get(f"/board/{tree.c1}").get_data(as_text=True)
    assert f'src="/board/{tree.c1}/photos/{tree.m1}"' in html and f"/photos/{tree.m2}" not in html
    shown = pledge_client.get(f"/board/{tree.c1}/photos/{tree.m1}")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert pledge_client.get(f"/board/{tree.c1}/photos/{tree.m2}").status_code == 404  # on no post, in no zone
    assert pledge_client.get(f"/board/{tree.c2}/photos/{tree.m1}").status_code == 404  # another subtree's board
