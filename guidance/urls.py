from django.urls import path

from guidance import views

app_name = "guidance"

urlpatterns = [
    path("", views.student, name="mine"),
    path("students/<int:pk>/", views.student, name="student"),
    path("preferences/", views.preferences, name="preferences"),
    path("professions/<int:profession>/dismiss/", views.dismiss, name="dismiss"),
    path("trajectory/", views.trajectory, name="trajectory"),
    path("students/<int:pk>/review/", views.review, name="review"),
]
