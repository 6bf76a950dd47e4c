from django.urls import path

from catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.professions, name="professions"),
    path("professions/<int:pk>/", views.profession, name="profession"),
]
