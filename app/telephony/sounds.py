"""What callers hear: stock FreeSWITCH prompts, tones, and where each language's sounds live."""

# Prompts, relative to the language's sound prefix (stock FreeSWITCH sound files).
PROMPTS = {
    "not_allowed": "ivr/ivr-call_cannot_be_completed_as_dialed.wav",
    "on_the_phone": "ivr/ivr-user_busy.wav",
    "enter_code": "ivr/ivr-please_enter_pin_followed_by_pound.wav",
    "bad_code": "ivr/ivr-that_was_an_invalid_entry.wav",
    "press_1": "ivr/ivr-to_accept_press_one.wav",
    "say_your_name": "voicemail/vm-record_name1.wav",
    "accept_call": "ivr/ivr-to_accept_press_one.wav",
    # The system greetings when the company uploaded none (F6, G3).
    "greeting": "ivr/ivr-please_enter_extension_followed_by_pound.wav",
    "closed": "ivr/ivr-thank_you_for_calling.wav",
    "begin_recording": "ivr/ivr-begin_recording.wav",
    "recording_saved": "ivr/ivr-recording_saved.wav",
    "too_short": "voicemail/vm-too-small.wav",
    # mod_voicemail's own prompts (its phrases voicemail_enter_id, voicemail_disk_quota_exceeded).
    "enter_box": "voicemail/vm-enter_id.wav",
    "mailbox_full": "voicemail/vm-mailbox_full.wav",
}

# Where each portal language's prompts live ($${sounds_dir} is expanded by FreeSWITCH's
# preprocessor when it reads the answer, switch_xml.c preprocess()).
SOUND_PREFIXES = {
    "fr": "$${sounds_dir}/fr/ca/june",
    "en": "$${sounds_dir}/en/us/callie",
}

# tone_stream:// syntax: mod_tone_stream / libteletone (%(on,off,freq1,freq2)).
RINGBACK_TONE = "%(2000,4000,440,480)"                     # North American ringback
REORDER_TONE = "tone_stream://%(250,250,480,620);loops=8"  # "line unavailable" (G7)


def sound_prefix(language: str) -> str:
    return SOUND_PREFIXES.get(language, SOUND_PREFIXES["fr"])
