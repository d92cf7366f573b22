"""What FreeSWITCH 1.10 does with an answer before and after parsing it, emulated for tests.

- `preprocessor_events()` follows switch_xml.c preprocess(), which mod_xml_curl runs on
  the saved answer (switch_xml_parse_file()): lines end at CR or LF
  (switch_fp_read_dline()); `$${name}` is replaced anywhere (expand_vars()); a line
  holding `<include>`, `</include>` or `<?` is dropped; a line holding "X-pre-process"
  in any case (switch_stristr()) is a command after "<" and dropped otherwise; `<!--#`
  starts a command, and one without "-->" swallows the lines up to it.
- `variables_set()` runs the `set` actions of a plan as switch_core_session_exec() and
  mod_dptools.c base_set() do, for the two channel functions whose answer depends on the
  files FreeSWITCH has: `${file_exists(path)}` (mod_commands.c file_exists_function():
  "true" or "false") and `${cond(a == b ? x)}` with no ":" part (cond_function(): ""
  when false). An empty value unsets the variable (switch_channel_add_variable_var_check()).
- `unsafe_values()` lists the attribute values that the channel expander
  (switch_channel_expand_variables_check(): `${...}`, `$${...}`, backslash escapes)
  or a SIP header would read as more than text, apart from the expansions Switchboard
  writes on purpose.
"""
import re

from lxml import etree

# Globals our own constants name (app/telephony/sounds.py, app/xml_curl/configuration.py).
OUR_GLOBALS = {"sounds_dir", "storage_dir"}
# Channel variables and API calls our dial plan and directory use on purpose.
OUR_EXPANSIONS = re.compile(
    r"\$\$\{(?:sounds_dir|storage_dir)\}"
    r"|\$\{(?:recordings_dir|uuid|temp_dir|voicemail_account|voicemail_domain|strftime\(%Y-%m-%d\)"
    r"|switchboard_vm_box|storage_dir)\}"
    r"|\$\{(?:greeting_choice|record_ms|switchboard_min_sound_ms|silence_hits_exhausted|switchboard_vm_key)\}"
    r"|\$\{(?:sofia_contact|limit_usage|valet_info|file_exists|cond|expr|vm_boxcount)\(")
_LINES = re.compile(r"[^\r\n]*(?:\r|\n|$)")
_GLOBAL = re.compile(r"\$\$\{([^}]*)\}?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def preprocessor_events(text: str) -> list[tuple[int, str, str]]:
    """(line number, what the preprocessor did, detail) for every line it does not copy
    through unchanged, except the replacement of our own globals."""
    events = []
    in_comment = False
    lines = [line for line in _LINES.findall(text) if line]
    for number, line in enumerate(lines, start=1):
        for name in _GLOBAL.findall(line):
            if name not in OUR_GLOBALS:
                events.append((number, "expanded", name))
        if "<include>" in line or "</include>" in line or "<?" in line:
            events.append((number, "dropped", line))
            continue
        if in_comment:
            if "-->" not in line:
                events.append((number, "swallowed", line))
                continue
            in_comment = False
            line = line.split("-->", 1)[1]
        found = line.lower().find("x-pre-process")
        if found >= 0:
            events.append((number, "command" if found > 0 and line[found - 1] == "<" else "dropped", line))
            continue
        if "<!--#" in line:
            events.append((number, "comment command", line))
            in_comment = "-->" not in line.split("<!--#", 1)[1]
    return events


def acted_on(text: str) -> list[tuple[int, str, str]]:
    """The preprocessor's events, less the XML declaration it drops from line 1."""
    return [event for event in preprocessor_events(text) if not (event[0] == 1 and event[2].startswith("<?xml"))]


def attribute_values(doc) -> list[tuple[str, str, str]]:
    """(element path, attribute, value) for every attribute of the parsed answer."""
    tree = doc.getroottree()
    return [(tree.getpath(element), name, value) for element in doc.iter() for name, value in element.attrib.items()]


def unsafe_values(doc) -> list[tuple[str, str, str]]:
    """Attribute values holding a control character, a backslash, a double quote, or a `${`
    that is not one of our own expansions (a "$" before anything but "{" is itself)."""
    unsafe = []
    for path, name, value in attribute_values(doc):
        rest = OUR_EXPANSIONS.sub("", value)
        if _CONTROL.search(value) or "\\" in value or '"' in value or "${" in rest:
            unsafe.append((path, name, value))
    return unsafe


def check_answer(response) -> etree._Element:
    """The answer is what FreeSWITCH accepts and reads only as we mean it; returns it parsed."""
    assert response.status_code == 200, response.status_code
    text = response.data.decode("utf-8")
    doc = etree.fromstring(response.data)
    assert doc.tag == "document"
    assert acted_on(text) == [], acted_on(text)
    assert unsafe_values(doc) == [], unsafe_values(doc)
    return doc


_FILE_EXISTS = re.compile(r"\$\{file_exists\(([^()]*)\)\}")
_COND = re.compile(r"\$\{cond\((\S+) == (\S+) \? ([^:()]*)\)\}")


def variables_set(actions, files: set[str]) -> dict[str, str]:
    """The channel variables the `set` actions leave, with `files` the paths that exist."""
    variables: dict[str, str] = {}
    for application, data in actions:
        if application != "set":
            continue
        name, _, value = data.partition("=")
        value = _FILE_EXISTS.sub(lambda found: "true" if found[1] in files else "false", value)
        value = _COND.sub(lambda found: found[3] if found[1] == found[2] else "", value)
        if value:
            variables[name] = value
        else:
            variables.pop(name, None)
    return variables
