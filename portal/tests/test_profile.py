import re

from accounts.models import ApiToken


def test_a_token_is_shown_once_works_and_can_be_revoked(client, cast):
    user = cast.user("coordinator_a1")
    client.force_login(user)
    page = client.post("/profile/", {"name": "Школьная система"}).content.decode()
    key = re.search(r'<code id="new-token">(pn_[^<]+)</code>', page).group(1)
    assert "больше он показан не будет" in page
    assert key not in client.get("/profile/").content.decode()  # shown once

    client.logout()
    me = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert me.status_code == 200 and me.json()["username"] == "coordinator_a1"

    client.force_login(user)
    token = ApiToken.objects.get(user=user)
    client.post("/profile/", {"revoke": str(token.pk)})
    client.logout()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_a_token_needs_a_purpose_and_garbage_is_harmless(client, cast):
    client.force_login(cast.user("coordinator_a1"))
    response = client.post("/profile/", {"name": "  "}, follow=True)
    assert "Укажите, для чего нужен токен" in response.content.decode()
    assert client.post("/profile/", {"revoke": "abc"}).status_code == 302
    assert not ApiToken.objects.exists()


def test_one_user_cannot_revoke_anothers_token(client, cast):
    from accounts.services import api_token_create

    token, _ = api_token_create(user=cast.user("coordinator_a2"), name="чужой")
    client.force_login(cast.user("coordinator_a1"))
    client.post("/profile/", {"revoke": str(token.pk)})
    assert ApiToken.objects.filter(pk=token.pk).exists()
