from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("municipalities/<int:pk>/", views.municipality_detail, name="municipality_detail"),
    path("orgs/", views.organization_list, name="organization_list"),
    path("orgs/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/transfer/", views.student_transfer_view, name="student_transfer"),
    path("students/search/", views.student_search_view, name="student_search"),
]
