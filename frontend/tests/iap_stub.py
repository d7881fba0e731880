"""A local stand-in for IAP: an EC P-256 key, tokens signed with it, and its public key served over HTTP."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from google.auth import jwt
from google.auth.crypt import es

PROJECT = "123456789"
PREFIX = f"/projects/{PROJECT}/global/backendServices/"
AUDIENCE = PREFIX + "987654321"
ISSUER = "https://cloud.google.com/iap"


class Signer:
    """One EC P-256 key pair, named ``kid``."""

    def __init__(self, kid: str) -> None:
        self.kid = kid
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.signer = es.EsSigner(self.key, key_id=kid)

    @property
    def public_pem(self) -> str:
        return self.key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()

    def token(self, kid: str | None = None, **claims: Any) -> str:
        now = int(time.time())
        payload = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 600,
                   "sub": "accounts.google.com:1234", "email": "someone@example.com"}
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(self.signer, payload, key_id=kid or self.kid).decode()


class KeyServer:
    """Serves ``{kid: PEM}`` of the given signers at ``url``; counts the fetches."""

    def __init__(self, *signers: Signer) -> None:
        self.keys = {s.kid: s.public_pem for s in signers}
        self.fetches = 0
        self.url = ""


@contextmanager
def serving_keys(*signers: Signer) -> Iterator[KeyServer]:
    state = KeyServer(*signers)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            state.fetches += 1
            body = json.dumps(state.keys).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/iap/verify/public_key"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
