import pytest


@pytest.mark.django_db
def test_an_english_browser_still_gets_vietnamese(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


@pytest.mark.django_db
def test_the_language_switch_chooses_english_and_back(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert response["Content-Language"] == "en"
    assert "Log in" in response.content.decode()
    client.post("/i18n/setlang/", {"language": "vi", "next": "/accounts/login/"})
    assert client.get("/accounts/login/")["Content-Language"] == "vi"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/accounts/login/")["Content-Language"] == "vi"
