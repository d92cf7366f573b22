"""A phone's side of HTTP digest (RFC 7616, MD5, qop=auth), for the tests."""
import hashlib
import itertools
import os

from werkzeug.datastructures import WWWAuthenticate

_nc = itertools.count(1)


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def authorization(challenge_header: str, username: str, password: str, uri: str, method: str = "GET",
                  **overrides) -> str:
    challenge = WWWAuthenticate.from_header(challenge_header)
    assert challenge.type == "digest"
    fields = {"username": username, "realm": challenge["realm"], "nonce": challenge["nonce"], "uri": uri,
              "qop": "auth", "nc": f"{next(_nc):08x}", "cnonce": os.urandom(8).hex(), "opaque": challenge["opaque"],
              "algorithm": "MD5", **overrides}
    ha1 = _md5(f"{fields['username']}:{fields['realm']}:{password}")
    ha2 = _md5(f"{method}:{fields['uri']}")
    fields["response"] = overrides.get("response") or _md5(
        f"{ha1}:{fields['nonce']}:{fields['nc']}:{fields['cnonce']}:auth:{ha2}")
    return "Digest " + ", ".join(
        f'{k}={v}' if k in ("nc", "qop", "algorithm") else f'{k}="{v}"' for k, v in fields.items())


def fetch(client, path: str, username: str, password: str, **overrides):
    """GET as a phone does: the challenge first, then the answer to it."""
    first = client.get(path)
    assert first.status_code == 401
    header = authorization(first.headers["WWW-Authenticate"], username, password, overrides.pop("uri", path),
                           **overrides)
    return client.get(path, headers={"Authorization": header})


def fetch_as(client, phone, path: str):
    return fetch(client, path, phone.provisioning_username, phone.provisioning_password)
