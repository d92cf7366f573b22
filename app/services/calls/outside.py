"""Legs that leave through the trunk, and the identity they show (F11.17, F11.18)."""
from app.services import outbound
from app.services.calls.plan import Action, CallContext
from app.telephony.fs_text import fs_label, fs_text


def gateway_leg(ctx: CallContext, number: str) -> str:
    return f"sofia/gateway/{ctx.gateway}/{outbound.gateway_number(number, outbound.classify(number))}"


def _identity(ctx: CallContext) -> tuple[str, str] | None:
    return outbound.extension_outside_identity(ctx.caller, ctx.company.name, ctx.main_number)


def outside_identity(ctx: CallContext) -> list[Action]:
    """An internal caller reaching outside shows the company identity, not an extension
    number (F11.17, F11.18). Outside callers keep their own caller ID (F3)."""
    if ctx.caller is None:
        return []
    identity = _identity(ctx)
    actions: list[Action] = []
    if identity is not None:
        actions += [("set", f"effective_caller_id_name={fs_text(identity[0])}"),
                    ("set", f"effective_caller_id_number={fs_text(identity[1])}")]
    if ctx.caller.hide_caller_id:
        actions.append(("privacy", "full"))  # mod_dptools.c privacy_function: hides name and number
    return actions


def leg_identity(ctx: CallContext) -> str:
    """The same identity as per-leg variables, for an outside leg rung beside inside ones."""
    if ctx.caller is None:
        return ""
    identity = _identity(ctx)
    variables = []
    if identity is not None:
        variables += [f"origination_caller_id_name={fs_label(identity[0])}",
                      f"origination_caller_id_number={fs_label(identity[1])}"]
    if ctx.caller.hide_caller_id:
        variables.append("origination_privacy=hide_name+hide_number")
    return "[" + ",".join(variables) + "]" if variables else ""
