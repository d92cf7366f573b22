"""How each call is handled, decided in Python and returned as a short list of
FreeSWITCH applications (F2, F3, F4, F11, G7, G8, G10, G13, G14).

Nothing here reads a request or the database: the xml_curl dial plan loads the
company, the calling extension and the dialled one, and calls these functions.
- plan.py: the CallPlan / CallContext types and shared pieces;
- handling.py: the one rule for what a call to an extension does (also used by the
  portal); extension.py says it in FreeSWITCH applications;
- voicemail.py, features.py (park, pickup), outgoing.py (the trunk), outside.py
  (outside legs and the identity they show).
"""
