"""Voicemail to e-mail (F5.7): mod_voicemail hands the message it composed, WAV attached,
to the portal's sendmail stand-in, which delivers it through the portal's SMTP."""
import base64

from app.flask_extensions import db
from tests import factories
from tests.conftest import wait_for

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(64))


def freeswitch_mail(to: str) -> bytes:
    """A message as switch_simple_email() writes it (switch_utils.c): the template's
    headers, a multipart body, the file in base64, then the "." line for sendmail."""
    encoded = base64.b64encode(WAV).decode()
    return (f"From: FreeSWITCH <101@alpha.voice.example>\nTo: <{to}>\nSubject: Voicemail from Jean 5145550123\n"
            "X-Priority: 3\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"000XXX000\"\n\n"
            "--000XXX000\nContent-Type: text/plain\n\nA new message (42 s).\n\n"
            "--000XXX000\nContent-Type: audio/wav; name=\"msg_0a1b.wav\"\nContent-ID: <ATTACHED@freeswitch.org>\n"
            "Content-Transfer-Encoding: base64\nContent-Description: Sound attachment.\n"
            "Content-Disposition: attachment; filename=\"msg_0a1b.wav\"\n\n"
            f"{encoded}\n\n--000XXX000--\n.\n").encode()


def test_a_voicemail_mail_reaches_the_real_smtp_server_with_the_wav_attached(app, runner, tenants, mailbox):
    factories.make_extension(tenants["a"], "101", voicemail_password="1357", voicemail_email="owner@alpha.example")
    db.session.commit()
    result = runner.invoke(args=["voicemail-sendmail", "-f", "101@alpha.voice.example", "owner@alpha.example"],
                           input=freeswitch_mail("owner@alpha.example"))
    assert result.exit_code == 0, result.output
    [message] = wait_for(lambda: mailbox.to("owner@alpha.example"))
    assert message["Subject"] == "Voicemail from Jean 5145550123"
    assert message["From"] == "Switchboard <no-reply@switchboard.example>"
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "audio/wav" and attachment.get_content() == WAV


def test_the_relay_refuses_an_address_no_box_notifies(app, runner, tenants, mailbox):
    factories.make_mailbox(tenants["a"], "500", email="info@alpha.example")
    db.session.commit()
    result = runner.invoke(args=["voicemail-sendmail", "-f", "x", "someone@else.example"],
                           input=freeswitch_mail("someone@else.example"))
    assert result.exit_code != 0 and "not a voicemail notification address" in result.output
    assert mailbox.to("someone@else.example") == []
