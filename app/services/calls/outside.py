"""Legs that leave through the trunk, and the identity they show (F11.17, F11.18).

A hidden caller ID (F11.18) is said on the gateway leg itself, in its `[...]`
variables; mod_sofia v1.10 decides every identity header of the INVITE from them
(sofia_glue.c sofia_glue_do_invite()):
- From: `"<sip_from_display or caller-ID name>" <sip_invite_from_uri or
  sip:<caller-ID number>@<host>>`. Privacy flags never change it: only these two
  variables make it the anonymous From of RFC 3323 section 4.1.1.3.
- `origination_privacy` sets the new leg's caller-profile flags, replacing those the
  `privacy` application set on the caller's leg (switch_ivr_originate.c:
  "screen" -> SWITCH_CPF_SCREEN, "hide_name", "hide_number").
- `sip_cid_type=pid` (else the profile's caller-id-type, "rpid" by default, which
  sends only Remote-Party-ID;privacy=full and no Privacy header): with
  SWITCH_CPF_HIDE_NUMBER the INVITE says `Privacy: id`, and with SWITCH_CPF_SCREEN it
  carries `P-Asserted-Identity: "<name>" <sip:<number>@<host>>`, the true identity
  the carrier needs for emergency calls and billing and must not pass on (RFC 3325).
"""
from app.models.extension import Extension
from app.services import outbound
from app.services.calls.plan import Action, CallContext
from app.telephony import fs_text

ANONYMOUS_LEG = ("origination_privacy=screen+hide_name+hide_number", "sip_cid_type=pid",
                 "sip_from_display=Anonymous", "sip_invite_from_uri=sip:anonymous@anonymous.invalid")
# An emergency call is never anonymous, even when the phone itself asked for privacy
# (sofia.c copies an INVITE's Privacy header into the caller's flags, and the new leg
# inherits them): any origination_privacy value first clears the flags.
EMERGENCY_LEG = ("origination_privacy=none",)


def _clean(identity: tuple[str, str] | None) -> tuple[str, str] | None:
    if identity is None:
        return None
    number = fs_text.e164(identity[1])
    if not number:
        return None
    return fs_text.display_name(identity[0], fallback=number), number


def presented_identity(extension: Extension, company_name: str, main_number: str | None) -> tuple[str, str] | None:
    """The (name, number) outside callers see from this extension, as FreeSWITCH may read it."""
    return _clean(outbound.extension_outside_identity(extension, company_name, main_number))


def company_identity(ctx: CallContext) -> tuple[str, str] | None:
    return _clean(outbound.outside_identity("", None, ctx.company.name, ctx.main_number))


def gateway_leg(ctx: CallContext, number: str, variables: list[str] | tuple[str, ...] = ()) -> str:
    """The trunk leg to `number`, anonymous when the caller hides its caller ID; an
    emergency call never is."""
    call_class = outbound.classify(number)
    leg_variables = list(variables)
    if call_class is outbound.CallClass.EMERGENCY:
        leg_variables += EMERGENCY_LEG
    elif ctx.caller is not None and ctx.caller.hide_caller_id:
        leg_variables += ANONYMOUS_LEG
    prefix = "[" + ",".join(leg_variables) + "]" if leg_variables else ""
    return f"{prefix}sofia/gateway/{ctx.gateway}/{outbound.gateway_number(number, call_class)}"


def identity_actions(identity: tuple[str, str] | None) -> list[Action]:
    if identity is None:
        return []
    return [("set", f"effective_caller_id_name={identity[0]}"), ("set", f"effective_caller_id_number={identity[1]}")]


def outside_identity(ctx: CallContext) -> list[Action]:
    """An internal caller reaching outside shows the company identity, not an extension
    number (F11.17). Outside callers keep their own caller ID (F3)."""
    if ctx.caller is None:
        return []
    return identity_actions(presented_identity(ctx.caller, ctx.company.name, ctx.main_number))


def outside_leg(ctx: CallContext, number: str) -> str:
    """The trunk leg with the identity as its own variables, for an outside leg rung
    beside inside ones (which must keep the caller's own caller ID)."""
    identity = presented_identity(ctx.caller, ctx.company.name, ctx.main_number) if ctx.caller else None
    variables = []
    if identity is not None:
        variables = [f"origination_caller_id_name={identity[0]}", f"origination_caller_id_number={identity[1]}"]
    return gateway_leg(ctx, number, variables)
