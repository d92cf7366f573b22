"""A file recorded by phone: the exception message (F6.7) and a box's temporary greeting (F2.5).

mod_dptools.c record_function takes `<path> <time limit s> <silence threshold> <silence
seconds>`; the recording stops after that much silence (switch_ivr_play_say.c
switch_ivr_record_file() sets silence_hits_exhausted=true then) and leaves its length in
record_ms. A recording with under 1 s of sound (its length less the closing silence)
is not kept. mod_dptools.c rename_function moves files (a failed rename is only
logged), so the new recording replaces the old file only once it is known to hold sound.
"""
from app.services.calls.plan import Action
from app.telephony.sounds import PROMPTS

SILENCE_THRESHOLD = 200
SILENCE_SECONDS = 3
MIN_SOUND_MS = 1000
MIN_MS_VARIABLE = "switchboard_min_sound_ms"


def record_replacing(path: str, seconds: int, *, short_turns_off: bool) -> list[Action]:
    """Record into `path.new.wav`, then make it `path` if it holds 1 s of sound. A short
    recording switches the file off (`short_turns_off`: the old one is moved away first)
    or leaves the old one in place."""
    base = path.removesuffix(".wav")
    new, old, discarded = f"{base}.new.wav", f"{base}.old.wav", f"{base}.discarded.wav"
    closing_silence = SILENCE_SECONDS * 1000 + MIN_SOUND_MS
    long_enough = "${record_ms} >= ${" + MIN_MS_VARIABLE + "}"
    actions: list[Action] = [
        ("playback", PROMPTS["begin_recording"]),
        ("record", f"{new} {seconds} {SILENCE_THRESHOLD} {SILENCE_SECONDS}"),
        ("set", f"{MIN_MS_VARIABLE}=${{cond(${{silence_hits_exhausted}} == true ? "
                f"{closing_silence} : {MIN_SOUND_MS})}}")]
    if short_turns_off:
        actions.append(("rename", f"{path} {old}"))
    actions.append(("rename", f"{new} ${{cond({long_enough} ? {path} : {discarded})}}"))
    if short_turns_off:
        return actions + [("playback", PROMPTS["recording_saved"])]
    return actions + [("playback", f"${{cond({long_enough} ? {PROMPTS['recording_saved']} : "
                                   f"{PROMPTS['too_short']})}}")]
