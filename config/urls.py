from django.contrib import admin
from django.urls import include, path

from api.api import api

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("directory.urls")),
    path("profminimum/", include("profminimum.urls")),
    path("catalog/", include("catalog.urls")),
    path("guidance/", include("guidance.urls")),
    path("privacy/", include("privacy.urls")),
    path("events/", include("events.urls")),
    path("roadmap/", include("roadmap.urls")),
    path("monitoring/", include("monitoring.urls")),
    path("imports/", include("imports.urls")),
    path("diagnostics/", include("diagnostics.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler500 = "core.views.server_error"
# A body found too large while it is read: the same 413 as one refused by its length (core.security).
handler400 = "core.security.bad_request"
