from app import create_app
from app.xml_curl.endpoint import freeswitch_only

app = create_app()
# For a server that only FreeSWITCH talks to (README, "Production"): /freeswitch/xml alone.
freeswitch = freeswitch_only(app)
