from monitoring.views import enrolments, overview, periods, reports

app_name = "monitoring"

urlpatterns = overview.urlpatterns + reports.urlpatterns + enrolments.urlpatterns + periods.urlpatterns
