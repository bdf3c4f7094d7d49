from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.signing import (
    SignatureFormatError,
    content_digest,
    digest_matches,
    parse_signature,
    parse_signature_input,
    signature_base,
    signature_header,
    signature_input,
)

CREATED = 1_772_416_800
BODY = b'{"events":[]}'
COVERED = 'sig1=("@method" "@path" "content-digest");'


def test_content_digest_matches_the_rfc_9530_example():
    assert content_digest(b'{"hello": "world"}') == (
        "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
    )


def test_digest_matches_only_its_own_body():
    header = content_digest(BODY)
    assert digest_matches(BODY, header)
    assert not digest_matches(BODY + b" ", header)


def test_signature_base_is_the_rfc_9421_text():
    digest = content_digest(BODY)
    base = signature_base("POST", "/v1/events", digest, CREATED, "n-42", "tablet-7")
    assert base.decode() == (
        '"@method": POST\n'
        '"@path": /v1/events\n'
        f'"content-digest": {digest}\n'
        '"@signature-params": ("@method" "@path" "content-digest");'
        f'created={CREATED};keyid="tablet-7";nonce="n-42";alg="ed25519"'
    )


def test_signature_input_is_the_params_line_under_sig1():
    header = signature_input(CREATED, "n-42", "tablet-7")
    base = signature_base("PUT", "/x", content_digest(b""), CREATED, "n-42", "tablet-7")
    assert header.startswith("sig1=(")
    assert base.decode().endswith(header.removeprefix("sig1="))


def test_parse_signature_input_round_trips():
    parsed = parse_signature_input(signature_input(CREATED, "bm9uY2U=", "dev:01a2"))
    assert parsed == {
        "label": "sig1",
        "components": ["@method", "@path", "content-digest"],
        "created": CREATED,
        "keyid": "dev:01a2",
        "nonce": "bm9uY2U=",
        "alg": "ed25519",
    }


def test_ed25519_over_the_base_verifies_and_detects_tampering():
    key = Ed25519PrivateKey.generate()
    digest = content_digest(BODY)
    base = signature_base("POST", "/v1/events", digest, CREATED, "n-1", "tablet-7")
    header = signature_header(key.sign(base))
    key.public_key().verify(parse_signature(header), base)
    tampered = signature_base("POST", "/v1/other", digest, CREATED, "n-1", "tablet-7")
    with pytest.raises(InvalidSignature):
        key.public_key().verify(parse_signature(header), tampered)


def test_signature_header_round_trips_64_bytes():
    signature = bytes(range(64))
    header = signature_header(signature)
    assert header.startswith("sig1=:") and header.endswith(":")
    assert parse_signature(header) == signature


@pytest.mark.parametrize(
    "header",
    [
        "",
        'sig1=("@method" "@path");created=1;keyid="k";nonce="n";alg="ed25519"',
        'sig1=("@method" "@path" "content-digest");keyid="k";nonce="n";alg="ed25519"',
        'sig1=("@method" "@path" "content-digest");created=1;keyid="k";nonce="n";alg="hmac-sha256"',
        'sig1=("@method" "@path" "content-digest");created=x;keyid="k";nonce="n";alg="ed25519"',
        COVERED + 'created=1;created=2;keyid="k";nonce="n";alg="ed25519"',
        'sig1=("@method" "@path" "content-digest");created=1;keyid=k;nonce="n";alg="ed25519"',
    ],
)
def test_malformed_signature_inputs_are_refused(header):
    with pytest.raises(SignatureFormatError) as caught:
        parse_signature_input(header)
    assert caught.value.message("vi").startswith("Chữ ký yêu cầu không hợp lệ")
    assert caught.value.message("en").startswith("Bad signature")


@pytest.mark.parametrize("header", ["sig1=:!!:", "sig2=:AAAA:", "sig1=AAAA", "sig1=:AAA:"])
def test_malformed_signature_headers_are_refused(header):
    with pytest.raises(SignatureFormatError):
        parse_signature(header)


@pytest.mark.parametrize(
    ("method", "path", "created", "nonce", "key_id"),
    [
        ("post", "/v1", CREATED, "n", "k"),
        ("POST", "v1", CREATED, "n", "k"),
        ("POST", "/v1?x=1", CREATED, "n", "k"),
        ("POST", "/v1", -1, "n", "k"),
        ("POST", "/v1", True, "n", "k"),
        ("POST", "/v1", CREATED, 'n"', "k"),
        ("POST", "/v1", CREATED, "n", ""),
        ("POST", "/v1", CREATED, "n;alg=x", "k"),
    ],
)
def test_values_that_cannot_be_signed_are_refused(method, path, created, nonce, key_id):
    with pytest.raises(SignatureFormatError):
        signature_base(method, path, content_digest(b""), created, nonce, key_id)


def test_other_digest_algorithms_are_refused():
    with pytest.raises(SignatureFormatError):
        signature_base("POST", "/v1", "sha-512=:AAAA:", CREATED, "n", "k")
