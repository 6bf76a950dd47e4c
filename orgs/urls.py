from django.urls import path

from orgs import views

app_name = "orgs"

urlpatterns = [
    path("municipalities/<int:pk>/", views.municipality_detail, name="municipality_detail"),
    path("orgs/", views.organization_list, name="organization_list"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization_detail"),
]
