"""Entry point for the worker: `huey_consumer app.jobs.worker.huey`."""
from app import create_app
from app.jobs import huey  # noqa: F401  (the consumer looks it up here)

app = create_app()
