from profminimum.views import attendance, dashboards, levels, normative

app_name = "profminimum"

urlpatterns = dashboards.urlpatterns + attendance.urlpatterns + levels.urlpatterns + normative.urlpatterns
