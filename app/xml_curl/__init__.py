"""The FreeSWITCH-facing endpoint: mod_xml_curl asks it for directory users, dial
plans and module configurations (ARCHITECTURE.md, "FreeSWITCH contract").
FreeSWITCH posts forms without a session or a CSRF token; HTTP Basic protects it.
`endpoint.install(app)` puts it in front of the portal."""
