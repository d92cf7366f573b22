"""section=configuration: the module configurations that come from Switchboard.

Only voicemail.conf is served. The others the dial plan relies on need nothing from
the database: mod_valet_parking has no configuration file (lots are created on first
use, mod_valet_parking.c valet_find_lot()), and mod_hash (the `limit hash` counters)
works with its defaults; hash.conf's <remotes>, which would share counters between
FreeSWITCH nodes, is deployment configuration. Any other name is "not found", and
FreeSWITCH reads its static file instead.
"""
from email.utils import parseaddr

from flask import current_app
from lxml import etree

from app.telephony import dial_codes, fs_text
from app.telephony.voicemail import VOICEMAIL_LENGTHS, voicemail_profile
from app.xml_curl import render
from app.xml_curl.request import XmlCurlRequest

# Key layout (F2, F5, G6, G11) on top of mod_voicemail's defaults (mod_voicemail.c
# profile_set_config()); every profile shares it.
VOICEMAIL_KEYS = (
    ("terminator-key", "#"),
    ("play-new-messages-key", "1"),
    ("play-saved-messages-key", "2"),
    # F2.5: "0" opens the mailbox options from the main menu; there "1" records a greeting.
    ("config-menu-key", "0"),
    ("main-menu-key", "0"),
    ("record-greeting-key", "1"),
    ("choose-greeting-key", "2"),
    ("record-name-key", "3"),
    ("change-pass-key", "6"),
    # While the greeting plays (voicemail_leave_main()): "#" skips it, "0" reaches the
    # box's operator destination (vm-operator-extension, a directory param, absent when
    # the box has none) and "*" the box's * destination: vmain-extension is a profile
    # setting, so it is one fixed dial-plan number that reads the box from a channel
    # variable (app/services/calls/voicemail.py star_pressed()). login-keys is checked
    # before both, so it moves to a key the greeting does not otherwise use.
    ("skip-greet-key", "#"),
    ("operator-key", "0"),
    ("vmain-key", "*"),
    ("vmain-extension", dial_codes.VOICEMAIL_STAR),
    ("login-keys", "9"),
    ("record-file-key", "3"),
    ("listen-file-key", "1"),
    ("save-file-key", "2"),
    ("delete-file-key", "7"),
    ("undelete-file-key", "8"),
    ("email-key", "4"),
    ("pause-key", "0"),
    ("restart-key", "1"),
    ("ff-key", "6"),
    ("rew-key", "4"),
    ("previous-message-key", "1"),
    ("next-message-key", "3"),
    ("skip-info-key", "*"),
    ("repeat-message-key", "0"),
)

VOICEMAIL_SETTINGS = (
    ("file-extension", "wav"),                # G11: attachments in WAV
    ("max-login-attempts", "3"),              # G11: 3 PIN tries
    ("digit-timeout", "10000"),
    ("min-record-len", "3"),
    ("max-retries", "3"),
    ("tone-spec", "%(1000, 0, 640)"),
    ("record-silence-threshold", "200"),
    ("record-silence-hits", "2"),
    # The portal's PIN (vm-password) is checked; an empty one lets nobody in.
    ("db-password-override", "false"),
    ("allow-empty-password-auth", "false"),
    # "Return call" from a message goes to the caller's company context, which the
    # directory gives every extension as voicemail_callback_context; a channel without
    # it ends up in a context that exists nowhere.
    ("callback-dialplan", "XML"),
    ("callback-context", "voicemail-callback-unavailable"),
    # One mailbox whatever the profile: without these, each profile keeps its own
    # database (voicemail_<profile>) and folder (<storage>/voicemail/<profile>/...).
    ("dbname", "voicemail_default"),
    ("storage-dir", "$${storage_dir}/voicemail/default"),
)


def answer(req: XmlCurlRequest) -> bytes | None:
    if req.config_name == "voicemail.conf":
        return voicemail_conf()
    return None


def voicemail_conf() -> bytes:
    """One profile per allowed message length (G11): max-record-len is a profile
    setting only. "default" has the default length; the others are vm<seconds>."""
    doc = render.document()
    configuration = etree.SubElement(render.section(doc, "configuration"), "configuration",
                                     name="voicemail.conf", description="Voicemail")
    etree.SubElement(configuration, "settings")
    profiles = etree.SubElement(configuration, "profiles")
    for seconds in VOICEMAIL_LENGTHS:
        profile = etree.SubElement(profiles, "profile", name=voicemail_profile(seconds))
        for name, value in VOICEMAIL_KEYS + VOICEMAIL_SETTINGS + (("max-record-len", str(seconds)),):
            etree.SubElement(profile, "param", name=name, value=value)
        email = etree.SubElement(profile, "email")
        for name, value in _email_params():
            etree.SubElement(email, "param", name=name, value=value)
    return render.serialize(doc)


def _email_params() -> tuple[tuple[str, str], ...]:
    sender = parseaddr(current_app.config.get("MAIL_DEFAULT_SENDER") or "")[1]
    return (
        ("template-file", "voicemail.tpl"),
        ("notify-template-file", "notify-voicemail.tpl"),
        ("date-fmt", "%A, %B %d %Y, %I %M %p"),
        ("email-from", fs_text.email(sender) or "${voicemail_account}@${voicemail_domain}"),
    )
