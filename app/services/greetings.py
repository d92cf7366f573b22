"""Greetings the admin or operator uploads (F6, G3): checked by content, converted to what
FreeSWITCH plays, stored under the storage folder with a generated name.

FreeSWITCH's mod_sndfile plays WAV at any rate and resamples, but every resampled call
costs CPU: greetings are stored as 8 kHz mono 16-bit PCM, the rate of a G.711 carrier
call. The conversion is sox's (Debian's sox, with libsox-fmt-mp3 for MP3), run on a
temporary copy; the upload's own name and path are never used.
"""
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from flask_babel import lazy_gettext as _l

from app.models.company import PhoneNumber

MAX_BYTES = 5 * 1024 * 1024
MAX_SECONDS = 300
RATE = 8000
FOLDER = "greetings"
CONVERT_TIMEOUT = 30
PROBLEMS = {
    "missing": _l("Choose an audio file."),
    "too_large": _l("The file is larger than 5 MB."),
    "not_audio": _l("This file is not WAV or MP3 audio."),
    "too_long": _l("The greeting is longer than 5 minutes."),
    "unavailable": _l("Audio files cannot be converted on this server for now: try again later."),
}


def audio_type(head: bytes) -> str | None:
    """"wav" or "mp3" by the file's first bytes, whatever its name says."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head[:3] == b"ID3" or (len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def _convert(source: Path, kind: str, target: Path) -> str | None:
    sox = shutil.which("sox")
    if sox is None:
        return "unavailable"
    try:
        done = subprocess.run([sox, "-V1", "-t", kind, str(source), "-t", "wav", "-r", str(RATE), "-c", "1", "-b", "16",
                               "-e", "signed-integer", str(target), "trim", "0", str(MAX_SECONDS + 1)],
                              capture_output=True, timeout=CONVERT_TIMEOUT)
    except subprocess.TimeoutExpired:
        return "not_audio"
    if done.returncode != 0 or not target.exists() or target.stat().st_size <= 44:
        return "not_audio"
    frames = (target.stat().st_size - 44) // 2
    return "too_long" if frames > MAX_SECONDS * RATE else None


def save(number: PhoneNumber, which: str, stream, storage_dir: str) -> str | None:
    """Store the upload as the number's open ("open") or closed greeting; a key of PROBLEMS
    when it cannot be, and nothing is changed then."""
    if stream is None:
        return "missing"
    data = stream.read(MAX_BYTES + 1)
    if not data:
        return "missing"
    if len(data) > MAX_BYTES:
        return "too_large"
    kind = audio_type(data[:16])
    if kind is None:
        return "not_audio"
    folder = Path(storage_dir) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{'closed' if which == 'closed' else 'greeting'}-{number.id}-{secrets.token_hex(8)}.wav"
    with tempfile.TemporaryDirectory() as work:
        source, converted = Path(work) / f"upload.{kind}", Path(work) / "converted.wav"
        source.write_bytes(data)
        problem = _convert(source, kind, converted)
        if problem:
            return problem
        shutil.move(str(converted), folder / name)
    if which == "closed":
        number.closed_greeting_file = name
    else:
        number.greeting_file = name
    return None


def reset(number: PhoneNumber, which: str) -> None:
    """Back to the system greeting (the file is left for calls already playing it)."""
    if which == "closed":
        number.closed_greeting_file = None
    else:
        number.greeting_file = None
