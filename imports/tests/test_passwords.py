import re

from django.urls import reverse

from access.models import AccessChange
from accounts.models import User
from people.models import Person


def test_the_class_teacher_prints_one_time_passwords_that_sign_in_and_must_be_changed(cast, client):
    client.force_login(cast.user("class_teacher_a1"))
    url = reverse("imports:passwords", args=[cast.classes["a1_8a"].pk])
    page = client.get(url).content.decode()
    assert "Первые пароли: 8 «А»" in page
    child = cast.students["a1_8a_0"].person
    mother = cast.students["a1_8a_0"].parent_links.get().parent
    response = client.post(url, {"person": [child.pk, mother.pk]})
    html = response.content.decode()
    assert response.status_code == 200
    passwords = re.findall(r"<code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>", html)
    assert len(passwords) == 2
    child = Person.objects.get(pk=child.pk)
    assert child.user is not None and child.user.must_change_password
    assert User.objects.get(pk=child.user_id).check_password(passwords[0])
    assert f"родитель: {child.short_name}" in html
    assert AccessChange.objects.filter(action="password_changed", target_person=child, actor=cast.user("class_teacher_a1")).exists()
    # Nothing of the password is kept but its hash: printing again gives a new one.
    again = re.findall(r"<code>([^<]+)</code>", client.post(url, {"person": [child.pk]}).content.decode())
    assert again and again[0] != passwords[0]


def test_another_class_and_a_person_of_another_class_get_no_password(cast, client):
    client.force_login(cast.user("class_teacher_a1"))
    assert client.get(reverse("imports:passwords", args=[cast.classes["a1_9a"].pk])).status_code == 404
    stranger = cast.students["a1_9a_0"].person
    html = client.post(reverse("imports:passwords", args=[cast.classes["a1_8a"].pk]), {"person": [stranger.pk]}).content.decode()
    assert "<code>" not in html
    assert Person.objects.get(pk=stranger.pk).user is None


def test_choosing_no_one_says_so(cast, client):
    client.force_login(cast.user("coordinator_a1"))
    response = client.post(reverse("imports:passwords", args=[cast.classes["a1_9a"].pk]), {})
    assert response.status_code == 400 and "Отметьте хотя бы одного человека" in response.content.decode()


def test_a_parent_enters_the_code_the_class_teacher_printed_and_is_linked_once(cast, client):
    client.force_login(cast.user("class_teacher_a1"))
    html = client.post(reverse("imports:passwords", args=[cast.classes["a1_8a"].pk]), {"what": "parent_codes"}).content.decode()
    child = cast.students["a1_8a_2"]
    codes = dict(re.findall(r"<td>([^<]+)</td><td><code>(PN-[A-Z2-9-]+)</code>", html))
    code = codes[child.person.full_name]
    father = Person.objects.create(last_name="Отцов", first_name="Олег")
    father.user = User.objects.create_user(username="father", password="Пароль-отца-1")
    father.save()
    client.force_login(father.user)
    url = reverse("imports:parent_code")
    wrong = client.post(url, {"code": "PN-AAAA-BBBB-CCC", "kind": "father"})
    assert wrong.status_code == 400 and "Код не подходит" in wrong.content.decode()
    done = client.post(url, {"code": code.lower().replace("-", " "), "kind": "father"}).content.decode()
    assert f"вы — родитель ученика {child.person.full_name}" in done
    assert father.children_links.get().student == child and father.children_links.get().kind == "father"
    assert "Код не подходит" in client.post(url, {"code": code, "kind": "father"}).content.decode()  # once
