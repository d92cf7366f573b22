"""Production settings of the web processes: `gunicorn` started in this folder reads them
(`gunicorn` alone serves wsgi:app; `-w`, `-b`... on its command line still win).

Sync workers, about one per core and a half: FreeSWITCH's xml_curl opens a new connection
per request, so keep-alive buys nothing (bench/xml_curl.py), and the xml_curl deadline
(app/readonly_db.py) interrupts a request in its worker's main thread, which is where a
sync worker runs it.
"""
import os

wsgi_app = "wsgi:app"
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# A worker silent for this long is killed and replaced (gunicorn's arbiter). xml_curl
# requests end far sooner (FREESWITCH_XML_TIMEOUT), so this only bounds portal pages.
timeout = 30
