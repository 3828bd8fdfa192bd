"""Signed links: absolute, bound to a purpose, expiring, verifiable across a key rotation, never logged."""

import dataclasses
import time

import pytest

from shared import links
from shared.errors import Forbidden, Unauthorized
from shared.logs import redact
from shared.settings import load


@pytest.fixture
def settings(tmp_path):
    return load({"XIANFENG_DATA_DIR": str(tmp_path), "XIANFENG_SURVEY_URL": "https://xf.example/survey/"})


def test_absolute_links_use_the_public_url(settings):
    assert links.absolute(settings, "survey", "/b/abc") == "https://xf.example/survey/b/abc"
    assert links.absolute(settings, "survey", "results/3", org=7) == "https://xf.example/survey/results/3?org=7"


def test_a_grant_verifies_for_its_purpose_only(settings):
    url = links.signed_url(settings, "survey", "/results/3", "results", {"org": 7, "round": 3})
    grant = url.split(f"{links.GRANT}=", 1)[1]
    assert links.verify(settings, "results", grant) == {"org": 7, "round": 3}
    with pytest.raises(Unauthorized):
        links.verify(settings, "pledge_review", grant)
    with pytest.raises(Unauthorized):
        links.verify(settings, "results", grant[:-2] + ("A" if grant[-2] != "A" else "B") + grant[-1])
    with pytest.raises(Unauthorized):
        links.verify(settings, "results", None)
    links.require_claim({"round": 3}, "round", 3)
    with pytest.raises(Forbidden):
        links.require_claim({"round": 3}, "round", 4)


def test_a_grant_expires(settings):
    grant = links.sign(settings, "results", {"org": 1}, ttl=60)
    assert links.verify(settings, "results", grant, now=time.time() + 59) == {"org": 1}
    with pytest.raises(Unauthorized) as err:
        links.verify(settings, "results", grant, now=time.time() + 61)
    assert err.value.key == "token_expired"


def test_a_grant_survives_a_key_rotation_but_not_another_key(settings):
    grant = links.sign(settings, "results", {"org": 1})
    rotated = dataclasses.replace(settings, secret_key="a-new-key-of-at-least-32-characters!!",
                                  secret_key_previous=settings.secret_key)
    assert links.verify(rotated, "results", grant) == {"org": 1}
    other = dataclasses.replace(settings, secret_key="another-key-of-at-least-32-characters")
    with pytest.raises(Unauthorized):
        links.verify(other, "results", grant)


def test_grants_are_masked_in_logs(settings):
    url = links.signed_url(settings, "survey", "/results/3", "results", {"org": 7})
    grant = url.split("grant=", 1)[1]
    line = redact(None, "info", {"event": "request", "path": url, "grant": grant})
    assert grant not in str(line)
