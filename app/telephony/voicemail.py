"""mod_voicemail's profiles: max-record-len is a per-profile setting (mod_voicemail.c,
load_profile()), so each allowed maximum message length (G11) is one profile, all
sharing one mailbox store (app/xml_curl/configuration.py)."""

VOICEMAIL_LENGTHS = (60, 120, 180, 300, 600)  # G11: allowed maximum message lengths, seconds
DEFAULT_VOICEMAIL_LENGTH = 180


def voicemail_profile(max_seconds: int) -> str:
    return "default" if max_seconds == DEFAULT_VOICEMAIL_LENGTH else f"vm{max_seconds}"


VOICEMAIL_PROFILE = voicemail_profile(DEFAULT_VOICEMAIL_LENGTH)
