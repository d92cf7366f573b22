"""Entry point of the job worker: `huey_consumer worker.huey` (beside wsgi.py)."""
import logging

from app import create_app
from app.jobs import huey  # noqa: F401  (the consumer looks it up here)

app = create_app()
# The consumer gives huey's logger a handler of its own: don't print its lines twice.
logging.getLogger("huey").propagate = False
