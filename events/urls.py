from events.views import figures, manage, mentors, partners, public, signup

app_name = "events"

urlpatterns = (
    public.urlpatterns + signup.urlpatterns + manage.urlpatterns + partners.urlpatterns + mentors.urlpatterns + figures.urlpatterns
)
