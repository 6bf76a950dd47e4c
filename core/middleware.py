class AccessibilityMiddleware:
    """The version for the visually impaired: high contrast and large type, remembered in a cookie so that
    it works before sign-in and without JavaScript."""

    COOKIE = "a11y"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.high_contrast = request.COOKIES.get(self.COOKIE) == "contrast"
        return self.get_response(request)
