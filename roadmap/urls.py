from django.urls import path

from roadmap import views

app_name = "roadmap"

urlpatterns = [
    path("", views.home, name="home"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("plans/<int:pk>/executors/", views.executors, name="executors"),
    path("plans/<int:pk>/pdf/", views.plan_pdf, name="plan_pdf"),
    path("plans/<int:pk>/items/new/", views.item_new, name="item_new"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item_edit"),
    path("periods/<int:pk>/", views.period, name="period"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/evidence/<int:evidence_pk>/", views.evidence_download, name="evidence"),
]
