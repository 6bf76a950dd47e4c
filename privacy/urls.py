from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.home, name="home"),
    path("students/<int:pk>/", views.student_page, name="student"),
    path("students/<int:pk>/consents/<slug:code>/", views.consent, name="consent"),
    path("students/<int:pk>/requests/<slug:kind>/", views.request_new, name="request_new"),
    path("students/<int:pk>/record.<slug:fmt>", views.record, name="record"),
    path("school/<int:pk>/", views.school, name="school"),
    path("school/students/<int:pk>/", views.staff_student, name="staff_student"),
    path("requests/", views.queue, name="queue"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/download/", views.download, name="download"),
    path("acts/<int:pk>/", views.act, name="act"),
    path("breaches/", views.breaches, name="breaches"),
    path("breaches/<int:pk>/", views.breach, name="breach"),
    path("retention/", views.retention, name="retention"),
]
