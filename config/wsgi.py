"""The WSGI entry point. Importing it also warms the application: the URLconf (and with it every view module)
is imported, every template is compiled into the cached loader and the translations are loaded. Otherwise each
gunicorn worker did this on its first requests, and the first pages after a start or a deploy took 2–3 s while
the next ones queued behind them. With `preload_app` (gunicorn.conf.py) it is done once, in the master, and the
workers are forked warm."""

import contextlib
import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()


def _warm() -> None:
    from django.conf import settings
    from django.db import connections
    from django.template import engines
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 — imports the URLconf, and with it the views
    with translation.override(settings.LANGUAGE_CODE):
        translation.gettext("Главная")  # loads the catalogues once
        for engine in engines.all():
            dirs = [*getattr(engine, "dirs", []), *(get_app_template_dirs("templates") if engine.app_dirs else [])]
            for base in dirs:
                for root, _subdirs, files in os.walk(base):
                    for file in files:
                        if not file.endswith((".html", ".txt")):
                            continue
                        name = os.path.relpath(os.path.join(root, file), base)
                        # A template that fails here fails on its page too, where the error is reported.
                        with contextlib.suppress(Exception):
                            engine.get_template(name)
    # Nothing above should touch the database, but a connection opened in a preloading master would be shared by
    # every forked worker.
    connections.close_all()
    # What was loaded stays for the process's life: moved out of the collector's generations, it is not scanned
    # by every full collection, and forked workers do not copy its pages when the collector touches them.
    gc.collect()
    gc.freeze()


_warm()
