"""The background job queue (Huey): Redis when REDIS_URL is set, else a SQLite file.

The queue object exists at import, so tasks can be declared on it; its storage is
chosen by init_app() from the application's configuration (app/config.py), in the
web processes and in the worker alike (`huey_consumer worker.huey`, see worker.py).
Tasks run inside the Flask app's context.
"""
import functools
from pathlib import Path

from huey import Huey
from huey.storage import RedisStorage, SqliteStorage

# Until init_app() chooses, tasks run at once, in memory.
huey = Huey("switchboard", immediate=True)
_flask_app = None


def init_app(app) -> None:
    global _flask_app
    _flask_app = app
    # Tests (and HUEY_IMMEDIATE=1) run each task synchronously, in memory.
    if app.testing or app.config["HUEY_IMMEDIATE"]:
        huey.immediate = True
        return
    if app.config["REDIS_URL"]:
        huey.storage_class, huey.storage_kwargs = RedisStorage, {"url": app.config["REDIS_URL"]}
    else:
        path = Path(app.config["HUEY_SQLITE_PATH"])
        path.parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class, huey.storage_kwargs = SqliteStorage, {"filename": str(path)}
    huey.immediate = False
    huey.storage = huey.create_storage()  # also when it was off already (another app in this process)


def app_task(**task_options):
    """A Huey task that runs inside the Flask application context."""

    def decorate(fn):
        @huey.task(**task_options)
        @functools.wraps(fn)
        def run_in_app(*args, **kwargs):
            if _flask_app is None:
                raise RuntimeError("the job queue was used before create_app()")
            with _flask_app.app_context():
                return fn(*args, **kwargs)

        return run_in_app

    return decorate


# Register the tasks with the queue.
from app.jobs import mail  # noqa: E402,F401
from app.telephony import notify  # noqa: E402,F401
