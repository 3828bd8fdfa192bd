"""What every reader but the recipient sees of a private notification: plain functions."""

from shared.privacy import MASK, redact_message, redact_payload, redact_text, secrets_of

LINK = "https://survey.example/b/Zq8vR2mK9xT4pL7nW3sY6bH1"


def test_the_link_and_its_token_are_masked_wherever_they_appear():
    assert secrets_of([LINK, None]) == {LINK, "Zq8vR2mK9xT4pL7nW3sY6bH1"}
    text = f"打开 {LINK} 或输入 Zq8vR2mK9xT4pL7nW3sY6bH1"
    assert redact_text(text, secrets_of([LINK])) == f"打开 {MASK} 或输入 {MASK}"
    assert redact_text("see http://other/b/AbCdEfGhIjKl") == "see http://other/b/***"  # any ballot link
    assert redact_text("") == "" and redact_text(None) is None


def test_a_message_loses_its_link_and_keeps_the_rest():
    shown = redact_message({"id": 3, "subject": "请参加", "body": f"链接 {LINK}", "link": LINK})
    assert shown == {"id": 3, "subject": "请参加", "body": f"链接 {MASK}", "link": None}


def test_task_arguments_of_a_private_send_are_redacted_and_others_only_of_ballot_links():
    payload = {"message": {"key": "k", "private": True, "link": None, "body": "x",
                           "items": [{"person_id": 1, "link": LINK, "body": "token Zq8vR2mK9xT4pL7nW3sY6bH1"}]}}
    shown = redact_payload([payload])[0]["message"]
    assert shown["items"] == [{"person_id": 1, "link": None, "body": f"token {MASK}"}]
    public = {"message": {"private": False, "link": "https://x/news/1", "items": [{"link": LINK}]}}
    assert redact_payload(public)["message"]["items"][0]["link"] == "https://survey.example/b/***"
    assert redact_payload(public)["message"]["link"] == "https://x/news/1"
