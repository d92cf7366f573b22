"""The background job queue (Huey): Redis when REDIS_URL is set, else a SQLite file.

Workers run `huey_consumer app.jobs.worker.huey`; tasks run inside the Flask
app's context so they read the same configuration as the web processes.
"""
import functools
import os
from pathlib import Path

from huey import RedisHuey, SqliteHuey

_INSTANCE = Path(__file__).resolve().parents[2] / "instance"


def _make_huey():
    if os.environ.get("REDIS_URL"):
        return RedisHuey("switchboard", url=os.environ["REDIS_URL"])
    path = Path(os.environ.get("HUEY_SQLITE_PATH", _INSTANCE / "huey.db"))
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("switchboard", filename=str(path))


huey = _make_huey()
_flask_app = None


def init_app(app) -> None:
    global _flask_app
    _flask_app = app
    # Tests (and HUEY_IMMEDIATE=1) run each task synchronously, in memory.
    huey.immediate = bool(app.config.get("HUEY_IMMEDIATE") or app.testing)


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
