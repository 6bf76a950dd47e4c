from django.urls import path

from people import views

app_name = "people"

urlpatterns = [
    path("classes/<int:pk>/", views.class_detail, name="class_detail"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/transfer/", views.student_transfer_view, name="student_transfer"),
    path("students/search/", views.student_search_view, name="student_search"),
]
