from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("", views.home, name="home"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/commit/", views.commit, name="commit"),
    path("classes/<int:pk>/passwords/", views.passwords, name="passwords"),
    path("changeover/", views.changeover, name="changeover"),
    path("parent-code/", views.parent_code, name="parent_code"),
    path("students/export/", views.students_export, name="students_export"),
    path("<slug:kind>/", views.upload, name="upload"),
    path("<slug:kind>/template/", views.template, name="template"),
]
