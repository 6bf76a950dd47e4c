from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("role/", views.switch_role, name="switch_role"),
    path("profile/", views.profile, name="profile"),
    path("healthz", views.healthz, name="healthz"),
]
