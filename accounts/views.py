from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.views.generic import FormView

from access.policy import ROLE_LABELS, viewer_for
from accounts import throttle
from accounts.forms import LoginForm, PasswordResetRequestForm
from accounts.models import User
from accounts.services import password_change_complete, password_reset_complete, password_reset_request
from core.client_ip import client_ip


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            demo_users = User.objects.filter(is_demo=True, is_active=True).order_by("pk")
            context["demo_logins"] = [(user.username, ROLE_LABELS.get(viewer_for(user).primary_role, "без роли")) for user in demo_users]
            context["demo_password"] = settings.DEMO_PASSWORD
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("portal:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_change_complete(user=form.user)
        messages.success(self.request, "Пароль изменён.")
        return response


class PasswordResetView(FormView):
    """Ask for a reset letter. The answer is the same page whether the address has an account or not; the letter
    is written and sent by the task worker, so the answer takes the same time too."""

    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"

    def form_valid(self, form):
        ip_address = client_ip(self.request)
        refusal = throttle.password_reset_refusal(ip_address=ip_address)
        if refusal is not None:
            form.add_error(
                None,
                f"С вашего адреса (этого компьютера или сети школы) восстановление пароля запрашивали слишком часто. "
                f"Попробуйте снова через {refusal.wait_text}.",
            )
            return self.form_invalid(form)
        password_reset_request(email=form.cleaned_data["email"], ip_address=ip_address, base_url=self.request.build_absolute_uri("/"))
        return redirect("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        password_reset_complete(user=form.user)
        return response
