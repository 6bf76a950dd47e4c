# gunicorn reads this file from the directory it is started in (see the README's operations section).
# The application is loaded and warmed once in the master (config/wsgi.py), then the workers are forked from it:
# they share its memory and answer their first requests as fast as the next ones.
preload_app = True

# The longest request line gunicorn accepts (its maximum; the default is 4 KB). A longer one gets gunicorn's own
# 414 before the application sees it; the API's document lists that answer.
limit_request_line = 8190
