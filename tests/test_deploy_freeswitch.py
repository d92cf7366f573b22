"""The FreeSWITCH configuration shipped in deploy/freeswitch: well-formed, and the
settings that only work together are set together."""
from pathlib import Path

import pytest
from lxml import etree

DEPLOY = Path(__file__).resolve().parents[1] / "deploy" / "freeswitch"


def param(doc, name: str) -> str | None:
    found = doc.xpath(f"//param[@name='{name}']/@value")
    return found[0] if found else None


@pytest.mark.parametrize("path", sorted(DEPLOY.rglob("*.xml")), ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_file_is_well_formed_xml(path):
    etree.parse(str(path))


def test_registrations_are_handled_in_parallel_which_takes_both_settings():
    profile = etree.parse(str(DEPLOY / "sip_profiles" / "internal.xml"))
    sofia = etree.parse(str(DEPLOY / "autoload_configs" / "sofia.conf.xml"))
    assert param(profile, "inbound-reg-in-new-thread") == "true"
    assert int(sofia.xpath("//global_settings/param[@name='max-reg-threads']/@value")[0]) > 0
    # sofia.conf.xml replaces the stock file: it must still load every profile.
    assert sofia.xpath("//profiles/X-PRE-PROCESS[@cmd='include']/@data") == ["../sip_profiles/*.xml"]
