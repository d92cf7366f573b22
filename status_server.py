"""The extension status board's live side: `python status_server.py` (beside wsgi.py).

A gevent server for the board's Server-Sent Events (each open board is one idle
connection: a greenlet here, where it would hold a whole sync gunicorn worker), with
the event listener (one ESL connection) in the same process when REDIS_URL is unset.
With REDIS_URL, run the listener once per installation (`--listen`, no web server) and
as many stream servers as needed; they follow it through Redis pub/sub. See README
"Extension status board".
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import logging  # noqa: E402
import os  # noqa: E402

import gevent  # noqa: E402
from gevent.pywsgi import WSGIServer  # noqa: E402

from app import create_app  # noqa: E402
from app.telephony import status_hub, status_listener, status_store  # noqa: E402
from app.telephony.esl import EslClient  # noqa: E402

log = logging.getLogger("status_server")


def _redis(url: str):
    import redis

    return redis.Redis.from_url(url)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("STATUS_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("STATUS_PORT", "5001")))
    parser.add_argument("--listen", action="store_true", help="only the event listener (needs REDIS_URL)")
    args = parser.parse_args(argv)

    app = create_app()
    config = app.config
    store = status_store.for_app(app)
    client = EslClient.from_config(config)
    if args.listen:
        if not config["REDIS_URL"]:
            parser.error("--listen publishes through Redis: set REDIS_URL (without it, run the server alone)")
        status_listener.Listener(client, status_hub.RedisPublisher(_redis(config["REDIS_URL"])), store).run()
        return

    hub = app.extensions["status_hub"] = status_hub.Hub()
    if config["REDIS_URL"]:
        gevent.spawn(status_hub.relay_from_redis, hub, _redis(config["REDIS_URL"]), store)
    else:
        listener = status_listener.Listener(client, hub, store)
        gevent.spawn(listener.run)
    server = WSGIServer((args.host, args.port), app, log=None, error_log=logging.getLogger("status_server.wsgi"))
    server.start()
    print(f"status server listening on {args.host}:{server.server_port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
