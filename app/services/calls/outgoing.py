"""Calls through the trunk (G14): permissions, access codes, emergency."""
from app.models.extension import TollMode
from app.services import outbound
from app.services.calls.outside import (company_identity, gateway_leg, identity_actions, outside_identity,
                                        presented_identity)
from app.services.calls.plan import CallContext, CallPlan, caller_counts, recording, refuse, unallocated
from app.telephony import dial_codes
from app.telephony.sounds import PROMPTS, RINGBACK_TONE

CODE_TRIES = 3  # G14: 3 tries for an access code


def outbound_call(ctx: CallContext, number: str) -> CallPlan:
    """A call through the trunk. 911 always goes out, with a callback number and never
    hidden; other classes follow the caller's permission: Disabled refuses, With code
    asks for the code (3 tries, then dial_codes.TOLL_REFUSED), Unlimited goes out."""
    call_class = outbound.classify(number)
    caller = ctx.caller
    if call_class is None:
        return unallocated()
    if not ctx.gateway:
        return CallPlan("outbound-refused", tuple(refuse("OUTGOING_CALL_BARRED")))
    if call_class is outbound.CallClass.EMERGENCY:
        return _emergency(ctx, number)
    if caller is None:
        return CallPlan("outbound-refused", tuple(refuse("OUTGOING_CALL_BARRED")))
    mode = outbound.permission(caller, call_class)
    code = outbound.access_code(caller, call_class) if mode is TollMode.WITH_CODE else None
    if mode is TollMode.DISABLED or (mode is TollMode.WITH_CODE and code is None):
        return CallPlan("outbound-refused", tuple(caller_counts(ctx) + refuse("OUTGOING_CALL_BARRED")))
    actions = caller_counts(ctx)
    if code is not None:
        # mod_dptools.c play_and_get_digits: min max tries timeout terminators file
        # invalid_file var regexp digit_timeout transfer_on_failure
        ask = (f"{len(code)} {len(code)} {CODE_TRIES} 5000 # {PROMPTS['enter_code']} {PROMPTS['bad_code']} "
               f"access_code ^{code}$ 3000 {dial_codes.TOLL_REFUSED} XML {ctx.context}")
        actions += [("answer", ""), ("set", f"transfer_ringback={RINGBACK_TONE}"),
                    ("play_and_get_digits", ask)]
    actions += outside_identity(ctx)
    if caller.record_outgoing:
        actions.append(recording(ctx))
    actions += [("set", "hangup_after_bridge=true"), ("bridge", gateway_leg(ctx, number))]
    return CallPlan(f"outbound-{call_class.value.replace('_', '-')}", tuple(actions))


def _emergency(ctx: CallContext, number: str) -> CallPlan:
    caller = ctx.caller
    if caller is not None:
        identity = presented_identity(caller, ctx.company.name, ctx.main_number)
    else:
        identity = company_identity(ctx)
    actions = caller_counts(ctx) + identity_actions(identity)
    if caller is not None and caller.record_outgoing:
        actions.append(recording(ctx))
    actions += [("set", "hangup_after_bridge=true"), ("bridge", gateway_leg(ctx, number))]
    return CallPlan("emergency", tuple(actions))


def toll_refused(ctx: CallContext) -> CallPlan:
    """Where three wrong access codes end."""
    return CallPlan("outbound-refused", tuple(refuse("OUTGOING_CALL_BARRED")))
