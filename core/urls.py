from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("role/", views.switch_role, name="switch_role"),
    path("accessibility/", views.toggle_accessibility, name="accessibility"),
    path("profile/", views.profile, name="profile"),
    path("healthz", views.healthz, name="healthz"),
]
