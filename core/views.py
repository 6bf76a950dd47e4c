"""The kernel's one page: the switch of the version for the visually impaired, which works before sign-in."""

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from core.middleware import AccessibilityMiddleware


@require_POST
def toggle_accessibility(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next") or "/"
    # Only a path of this site: redirect() would read any other word as a URL pattern's name (a 500 on «x»).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.COOKIES.get(AccessibilityMiddleware.COOKIE) == "contrast":
        response.delete_cookie(AccessibilityMiddleware.COOKIE)
    else:
        response.set_cookie(AccessibilityMiddleware.COOKIE, "contrast", max_age=365 * 24 * 3600, samesite="Lax")
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page with the request's id, so that the person who saw it can tell us which line to find.
    Rendered without context processors or the database: whatever broke may be among them."""
    from django.template import loader

    template = loader.get_template("500.html")
    return HttpResponse(template.render({"request_id": getattr(request, "request_id", "")}), status=500)
