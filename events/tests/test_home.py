"""Each role's home shows what needs its attention in the events: a host's list left unmarked, a place offered from
the waiting list to confirm, a teacher's students with no trial or event yet, the student's places ahead."""

from events.services import registration_cancel, registration_create


def home(client, user) -> str:
    client.force_login(user)
    return client.get("/").content.decode()


def test_the_host_sees_an_offer_whose_list_is_not_marked_yet(client, ev):
    offer = ev.offer(title="Мастер-класс агронома")
    registration_create(offer=offer, student=ev.cast.students["a1_8a_0"], by=None)
    ev.begin(offer)
    assert "Мастер-класс агронома: не отмечено 1 место" in home(client, ev.cast.user("partner_a"))
    assert "не отмечено" not in home(client, ev.cast.user("partner_b"))


def test_a_student_sees_a_place_offered_from_the_waiting_list_and_their_places_ahead(client, ev):
    cast = ev.cast
    offer = ev.offer(title="Проба на одно место", capacity=1)
    first = registration_create(offer=offer, student=cast.students["a1_8a_0"], by=None).registration
    registration_create(offer=offer, student=cast.students["a1_8a_1"], by=None)  # student_a1 waits
    registration_cancel(registration=first, by=None)
    page = home(client, cast.user("student_a1"))
    assert "Освободилось место: Проба на одно место" in page


def test_a_teacher_sees_the_students_of_their_class_with_no_trial_or_event_yet(client, ev):
    cast = ev.cast
    registration_create(offer=ev.offer(grades=(9, 9)), student=cast.students["a1_9a_0"], by=None)
    assert "9 «А»: 2 обучающихся ещё без пробы и мероприятия в этом году" in home(client, cast.user("navigator_a1"))
