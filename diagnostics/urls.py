from django.urls import path

from diagnostics import views

app_name = "diagnostics"

urlpatterns = [
    path("", views.home, name="home"),
    path("students/<int:pk>/", views.student_results, name="student"),
    path("start/", views.start, name="start"),
    path("attempts/<int:pk>/", views.take, name="take"),
    path("attempts/<int:pk>/finish/", views.finish, name="finish"),
    path("attempts/<int:pk>/result/", views.result, name="result"),
    path("attempts/<int:pk>/retake/", views.retake, name="retake"),
    path("attempts/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("assignments/", views.assignments, name="assignments"),
    path("assignments/new/", views.assignment_new, name="assignment_new"),
    path("assignments/<int:pk>/", views.assignment, name="assignment"),
    path("classes/<int:pk>/", views.class_summary, name="class"),
    path("summary/", views.summary, name="summary"),
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/upload/", views.instrument_upload, name="instrument_upload"),
    path("instruments/<int:pk>/", views.instrument, name="instrument"),
    path("instruments/<int:pk>/active/", views.instrument_active, name="instrument_active"),
]
