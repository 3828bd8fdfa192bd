from pathlib import Path

import pytest

from shared.settings import DEFAULT_SECRET, SettingsError, known_variables, load


def test_defaults_are_embedded(tmp_path):
    s = load({"XIANFENG_DATA_DIR": str(tmp_path)})
    assert s.env == "development"
    assert s.service("pledge").port == 5001 and s.service("survey").port == 5002 and s.service("notify").port == 5003
    assert s.service("survey").database_url == f"sqlite:///{tmp_path / 'survey.sqlite3'}"
    assert s.broker_url == f"redis+socket://{tmp_path / 'redis.sock'}"
    assert s.broker_is_embedded and s.result_backend == s.broker_url
    assert s.service("notify").url == "http://127.0.0.1:5003"


def test_environment_overrides_each_setting():
    s = load({
        "XIANFENG_ENV": "production", "XIANFENG_SECRET_KEY": "x" * 40,
        "XIANFENG_BROKER_URL": "redis://redis:6379/0", "XIANFENG_PLEDGE_PORT": "7001",
        "XIANFENG_SURVEY_DATABASE_URL": "postgresql://u@db/survey", "XIANFENG_NOTIFY_URL": "https://n.example/",
        "XIANFENG_BOARD_PUBLIC": "false",
    })
    s.check()
    assert s.production and not s.broker_is_embedded
    assert s.result_backend == "redis://redis:6379/0"
    assert s.service("pledge").port == 7001
    assert s.service("survey").database_url == "postgresql://u@db/survey"
    assert s.service("notify").url == "https://n.example"
    assert s.board_public is False


def test_production_with_default_secret_refuses():
    with pytest.raises(SettingsError, match="default secret"):
        load({"XIANFENG_ENV": "production"}).check()
    with pytest.raises(SettingsError, match="default secret"):
        load({"XIANFENG_ENV": "production", "XIANFENG_SECRET_KEY": DEFAULT_SECRET}).check()


def test_bad_number_names_the_variable():
    with pytest.raises(SettingsError, match="XIANFENG_WEB_WORKERS"):
        load({"XIANFENG_WEB_WORKERS": "many"})


def test_every_variable_is_documented_in_readme():
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [name for name in known_variables() if name not in readme]
    assert not missing, f"README does not document {missing}"
