from django.contrib import admin
from django.urls import include, path

from api.api import api

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("", include("orgs.urls")),
    path("", include("people.urls")),
    path("profminimum/", include("profminimum.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
