# gunicorn reads this file from the directory it is started in (see the README's operations section).
# The application is loaded and warmed once in the master (config/wsgi.py), then the workers are forked from it:
# they share its memory and answer their first requests as fast as the next ones.
preload_app = True
