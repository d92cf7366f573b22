"""mod_voicemail: its profiles, the api commands the portal sends it, and the shared
storage folder where it keeps messages and greetings.

Profiles: max-record-len is a per-profile setting (mod_voicemail.c, load_profile()),
so each allowed maximum message length (G11) is one profile, all sharing one mailbox
store (app/xml_curl/configuration.py: one dbname and storage-dir). Any profile can
therefore count, list or delete any box's messages; the commands name "default".

Commands (mod_voicemail.c, v1.10.12):
- `vm_boxcount <profile>/<box>@<domain>|all` (boxcount_api_function) answers
  "new:saved:new-urgent:saved-urgent"; new and saved already include the urgent ones
  (message_count()).
- `vm_list <box>@<domain>/<profile>` (voicemail_list_api_function) answers one line
  per message: created_epoch:read_epoch:user:domain:folder:path:uuid:cid_name:cid_number:len.
- `vm_delete <box>@<domain>/<profile> [<uuid>]` (voicemail_delete_api_function)
  unlinks the files, deletes the rows and updates the message light (update_mwi());
  with a uuid it deletes that message *whoever's it is*: the uuid is checked against
  the box's own list first (message_in()).
- `vm_read <box>@<domain>/<profile> read <uuid>` (voicemail_read_api_function) marks
  one message heard and updates the light. Without a uuid it would mark the whole
  domain: a uuid is always given.
"""
import glob
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone

VOICEMAIL_LENGTHS = (60, 120, 180, 300, 600)  # G11: allowed maximum message lengths, seconds
DEFAULT_VOICEMAIL_LENGTH = 180


def voicemail_profile(max_seconds: int) -> str:
    return "default" if max_seconds == DEFAULT_VOICEMAIL_LENGTH else f"vm{max_seconds}"


VOICEMAIL_PROFILE = voicemail_profile(DEFAULT_VOICEMAIL_LENGTH)

# voicemail.conf's storage-dir, as FreeSWITCH sees it: ${storage_dir} is a core
# variable (switch_core.c), which channel variables fall back to.
FREESWITCH_STORE = "${storage_dir}/voicemail/default"
TEMPORARY_GREETING = "temporary_greeting.wav"  # ours: mod_voicemail's greetings are greeting_<1-9>.wav
_UUID = re.compile(r"^[0-9a-fA-F-]{8,64}$")
_MESSAGE_FILE = re.compile(r"^msg_[A-Za-z0-9_.-]{8,200}\.(wav|mp3)$")


@dataclass(frozen=True)
class Message:
    uuid: str
    created: datetime
    heard: bool
    caller_name: str
    caller_number: str
    seconds: int
    file_name: str  # msg_<uuid>.wav, in the box's folder


def box_folder(store: str, domain: str, box: str) -> str:
    """Where a box's files are: <storage-dir>/<domain>/<box> (mod_voicemail.c
    voicemail_leave_main(), with a profile storage-dir that is not shared)."""
    return os.path.join(store, domain, box)


def temporary_greeting_path(domain: str, box: str) -> str:
    """Where FreeSWITCH records a box's temporary greeting (F2.5)."""
    return f"{FREESWITCH_STORE}/{domain}/{box}/{TEMPORARY_GREETING}"


def erase_greetings(store: str, domain: str, box: str) -> None:
    """The box's custom greetings (greeting_<n>.wav), recorded name (recorded_name.wav)
    and temporary greeting leave the folder. mod_voicemail checks that a greeting file
    exists before playing it (voicemail_leave_main(): switch_file_exists()), so its
    stale preference row then falls back to the standard greeting; it has no api
    command that erases them."""
    if not store:
        return
    folder = box_folder(store, domain, box)
    # The temporary greeting with what its recordings leave beside it (.new, .old, .erased).
    for pattern in ("greeting_*.*", "recorded_name.*", TEMPORARY_GREETING.replace(".wav", "*.wav")):
        for path in glob.glob(os.path.join(glob.escape(folder), pattern)):
            os.remove(path)


def count_command(domain: str, box: str) -> str:
    return f"vm_boxcount {VOICEMAIL_PROFILE}/{box}@{domain}|all"


def empty_command(domain: str, box: str) -> str:
    return f"vm_delete {box}@{domain}/{VOICEMAIL_PROFILE}"


def list_command(domain: str, box: str) -> str:
    return f"vm_list {box}@{domain}/{VOICEMAIL_PROFILE}"


def delete_message_command(domain: str, box: str, uuid: str) -> str:
    return f"vm_delete {box}@{domain}/{VOICEMAIL_PROFILE} {_checked_uuid(uuid)}"


def heard_command(domain: str, box: str, uuid: str) -> str:
    return f"vm_read {box}@{domain}/{VOICEMAIL_PROFILE} read {_checked_uuid(uuid)}"


def _checked_uuid(uuid: str) -> str:
    if not _UUID.match(uuid or ""):
        raise ValueError(f"not a message uuid: {uuid!r}")
    return uuid


def parse_count(answer: str) -> int | None:
    """Messages kept in the box (new + saved), from vm_boxcount's "all" answer."""
    parts = answer.strip().split(":")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        return None
    return int(parts[0]) + int(parts[1])


def parse_list(answer: str) -> list[Message]:
    """vm_list's lines, newest first. The caller's name may hold ':' (it is the caller
    ID the caller sent): the fixed fields are taken from both ends."""
    messages = []
    for line in answer.splitlines():
        head = line.split(":", 7)
        if len(head) < 8 or not head[0].isdigit() or not head[1].isdigit():
            continue
        name, _, rest = head[7].rpartition(":")
        caller_name, _, caller_number = name.rpartition(":")
        uuid, path = head[6], head[5]
        file_name = os.path.basename(path)
        if not rest.isdigit() or not _UUID.match(uuid) or not _MESSAGE_FILE.match(file_name):
            continue
        messages.append(Message(uuid=uuid, created=datetime.fromtimestamp(int(head[0]), timezone.utc),
                                heard=int(head[1]) != 0, caller_name=caller_name, caller_number=caller_number,
                                seconds=int(rest), file_name=file_name))
    return sorted(messages, key=lambda m: m.created, reverse=True)


def message_in(messages: list[Message], uuid: str) -> Message | None:
    return next((m for m in messages if m.uuid == uuid), None)


def counts(client, domain: str, boxes: list[str], timeout: float | None = None) -> dict[str, int | None]:
    """{box: messages kept} for a company's boxes, over one connection (EslClient.api_many).
    Raises FreeSwitchUnavailable like the client."""
    if not boxes:
        return {}
    answers = client.api_many([count_command(domain, box) for box in boxes], timeout)
    return {box: parse_count(answer) for box, answer in zip(boxes, answers)}


def messages(client, domain: str, box: str, timeout: float | None = None) -> list[Message]:
    return parse_list(client.api(list_command(domain, box), timeout))
