from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self):
        # A control character refused by the kernel's guard is answered in the API's own error shape.
        from api.errors import input_refused
        from core.input_guard import input_refusal_responder_register

        input_refusal_responder_register(prefix="/api/", responder=input_refused)
