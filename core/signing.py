"""What a device signs on each request, after RFC 9421 (HTTP Message Signatures) and RFC 9530.

This module only builds and parses the text; the Ed25519 signing and verifying itself is done
with `cryptography` by ``sync/`` and ``server/``. A signed request carries three headers::

    Content-Digest:  sha-256=:<base64 of SHA-256(body)>:
    Signature-Input: sig1=("@method" "@path" "content-digest");created=…;keyid="…";
                     nonce="…";alg="ed25519"       (one line on the wire)
    Signature:       sig1=:<base64 of the Ed25519 signature over signature_base(...)>:

A server that refuses a request because `created` is too far from its clock answers 401 with
``X-Server-Time`` (Unix seconds), so an offline tablet can learn its offset and retry.

>>> digest = content_digest(b"{}")
>>> base = signature_base("POST", "/v1/events", digest, 1_700_000_000, "n-1", "tablet-1")
>>> headers = {CONTENT_DIGEST: digest, SIGNATURE_INPUT: signature_input(1_700_000_000, "n-1",
...            "tablet-1"), SIGNATURE: signature_header(private_key.sign(base))}
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re

from core.errors import SohoaError

__all__ = [
    "ALGORITHM",
    "CONTENT_DIGEST",
    "COVERED_COMPONENTS",
    "LABEL",
    "SERVER_TIME",
    "SIGNATURE",
    "SIGNATURE_INPUT",
    "SignatureFormatError",
    "content_digest",
    "digest_matches",
    "parse_signature",
    "parse_signature_input",
    "signature_base",
    "signature_header",
    "signature_input",
]

CONTENT_DIGEST = "Content-Digest"
SIGNATURE_INPUT = "Signature-Input"
SIGNATURE = "Signature"
SERVER_TIME = "X-Server-Time"
LABEL = "sig1"
ALGORITHM = "ed25519"
COVERED_COMPONENTS = ("@method", "@path", "content-digest")

_TOKEN = re.compile(r"^[A-Za-z0-9._:+/=-]{1,200}$")
_METHOD = re.compile(r"^[A-Z]{3,10}$")
_INPUT = re.compile(r'^([a-z][a-z0-9_-]*)=\(((?:"[^"]*"(?: "[^"]*")*)?)\)((?:;[^;]+)*)$')
_PARAM = re.compile(r'^([a-z][a-z0-9_-]*)=(?:"([^"\\]*)"|(\d{1,15}))$')
_SIGNATURE = re.compile(r"^([a-z][a-z0-9_-]*)=:([A-Za-z0-9+/=]+):$")


class SignatureFormatError(SohoaError):
    """A signature header or one of the values to sign is malformed."""

    code = "bad_signature_format"


def _fail(what_vi: str, what_en: str) -> SignatureFormatError:
    return SignatureFormatError(
        f"Chữ ký yêu cầu không hợp lệ: {what_vi}", f"Bad signature: {what_en}"
    )


def content_digest(body: bytes) -> str:
    """Return the RFC 9530 Content-Digest value of `body`: ``sha-256=:<base64>:``."""
    return f"sha-256=:{base64.b64encode(hashlib.sha256(body).digest()).decode('ascii')}:"


def digest_matches(body: bytes, header: str) -> bool:
    """Return whether a Content-Digest `header` is the SHA-256 of `body` (constant-time compare)."""
    return hmac.compare_digest(content_digest(body).encode(), header.strip().encode())


def _check_token(value: str, name: str) -> None:
    if not isinstance(value, str) or not _TOKEN.match(value):
        raise _fail(
            f"{name} phải gồm 1–200 ký tự A-Z a-z 0-9 . _ : + / = -",
            f"{name} must be 1–200 of A-Z a-z 0-9 . _ : + / = -",
        )


def signature_input(created: int, nonce: str, key_id: str) -> str:
    """Return the Signature-Input header value for a request signed at `created`.

    :param created: Unix seconds when the request was signed.
    :param nonce: a value never reused by this key (replay protection).
    :param key_id: the enrolled device's key id.
    :raises SignatureFormatError: if a value cannot be written into the header.
    """
    return f"{LABEL}={_signature_params(created, nonce, key_id)}"


def _signature_params(created: int, nonce: str, key_id: str) -> str:
    if isinstance(created, bool) or not isinstance(created, int) or created < 0:
        raise _fail("created phải là số giây Unix", "created must be Unix seconds")
    _check_token(nonce, "nonce")
    _check_token(key_id, "keyid")
    components = " ".join(f'"{name}"' for name in COVERED_COMPONENTS)
    return f'({components});created={created};keyid="{key_id}";nonce="{nonce}";alg="{ALGORITHM}"'


def signature_base(
    method: str, path: str, content_digest: str, created: int, nonce: str, key_id: str
) -> bytes:
    """Return the exact bytes to sign (RFC 9421 §2.5) for one request.

    :param method: the HTTP method, upper case.
    :param path: the request path without the query string.
    :param content_digest: the Content-Digest header value of the body.
    :raises SignatureFormatError: if a value is malformed (lower-case method, query in path...).
    """
    if not _METHOD.match(method):
        raise _fail("phương thức HTTP phải viết hoa", "HTTP method must be upper case")
    if not path.startswith("/") or "?" in path or "\n" in path:
        raise _fail("đường dẫn phải bắt đầu bằng / và không có ?", "path must start with / (no ?)")
    if not content_digest.startswith("sha-256=:") or "\n" in content_digest:
        raise _fail("Content-Digest phải là sha-256", "Content-Digest must be sha-256")
    lines = [
        f'"@method": {method}',
        f'"@path": {path}',
        f'"content-digest": {content_digest}',
        f'"@signature-params": {_signature_params(created, nonce, key_id)}',
    ]
    return "\n".join(lines).encode("utf-8")


def parse_signature_input(header: str) -> dict[str, object]:
    """Parse a Signature-Input header into label, components, created, keyid, nonce and alg.

    :raises SignatureFormatError: if the header is malformed, covers other components, or
        lacks a parameter or names another algorithm.
    """
    match = _INPUT.match(header.strip()) if isinstance(header, str) else None
    if match is None:
        raise _fail("Signature-Input sai cú pháp", "Signature-Input is malformed")
    components = tuple(part.strip('"') for part in match[2].split(" ")) if match[2] else ()
    if components != COVERED_COMPONENTS:
        raise _fail(
            f"phải ký đúng {COVERED_COMPONENTS}", f"must cover exactly {COVERED_COMPONENTS}"
        )
    params: dict[str, object] = {}
    for raw in match[3].split(";")[1:]:
        param = _PARAM.match(raw)
        if param is None or param[1] in params:
            raise _fail(f"tham số sai: {raw!r}", f"bad parameter: {raw!r}")
        params[param[1]] = param[2] if param[2] is not None else int(param[3])
    for name, kind in (("created", int), ("keyid", str), ("nonce", str), ("alg", str)):
        if not isinstance(params.get(name), kind):
            raise _fail(f"thiếu hoặc sai tham số {name}", f"missing or bad parameter {name}")
    if params["alg"] != ALGORITHM:
        raise _fail(f"thuật toán phải là {ALGORITHM}", f"algorithm must be {ALGORITHM}")
    return {"label": match[1], "components": list(components), **params}


def signature_header(signature: bytes) -> str:
    """Return the Signature header value carrying `signature` under the label ``sig1``."""
    return f"{LABEL}=:{base64.b64encode(signature).decode('ascii')}:"


def parse_signature(header: str, label: str = LABEL) -> bytes:
    """Return the raw signature bytes from a Signature header.

    :raises SignatureFormatError: if the header is malformed or uses another label.
    """
    match = _SIGNATURE.match(header.strip()) if isinstance(header, str) else None
    if match is None or match[1] != label:
        raise _fail("Signature sai cú pháp", "Signature header is malformed")
    try:
        return base64.b64decode(match[2], validate=True)
    except binascii.Error as error:
        raise _fail("base64 hỏng", "bad base64") from error
