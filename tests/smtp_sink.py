"""A mail server for tests, on 127.0.0.1: it speaks enough SMTP for Django's backend and keeps
every message it received whole, and it can misbehave per recipient, one connection at a time.

Behaviours (`plan[address]`, a list used up one connection to that address at a time; then
"accept"):
- "accept": 250 after the message;
- "stall_at_data": no answer to DATA (the sender holds the message, nothing is delivered);
- "stall_after_message": the whole message read, then no answer (the sender cannot know that the
  server has it: the ambiguous case);
- "refuse_message": 554 after the message (the server says it does not take it).
A stalled connection stays silent until the client goes away (its timeout, or its process killed).
"""

from __future__ import annotations

import email
import socketserver
import threading
from collections import defaultdict


class _Handler(socketserver.StreamRequestHandler):
    timeout = 60  # a client that neither talks nor goes away: give up on it in the end

    def _reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def _stall(self) -> None:
        self.server.sink.stalled.set()
        while self.rfile.readline():  # until the client closes (or is killed)
            pass

    def handle(self):
        sink = self.server.sink
        recipients: list[str] = []
        self._reply("220 sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 sink")
            elif verb == "MAIL":
                recipients = []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>").lower())
                self._reply("250 OK")
            elif verb == "DATA":
                behaviour = sink.next_behaviour(recipients)
                if behaviour == "stall_at_data":
                    return self._stall()
                self._reply("354 go ahead")
                body = bytearray()
                while True:
                    chunk = self.rfile.readline()
                    if not chunk:
                        return  # the client went away mid-message: nothing was received
                    if chunk == b".\r\n":
                        break
                    body += chunk[1:] if chunk.startswith(b"..") else chunk
                if behaviour == "refuse_message":
                    self._reply("554 refused")
                    continue
                sink.receive(bytes(body))
                if behaviour == "stall_after_message":
                    return self._stall()
                self._reply("250 queued")
            elif verb == "QUIT":
                self._reply("221 bye")
                return
            else:  # RSET, NOOP
                self._reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class SmtpSink:
    def __init__(self):
        self.plan: dict[str, list[str]] = defaultdict(list)
        self.messages: list[email.message.Message] = []
        self.stalled = threading.Event()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.sink = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.05,), daemon=True
        )

    def start(self) -> SmtpSink:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def next_behaviour(self, recipients: list[str]) -> str:
        with self._lock:
            for address in recipients:
                if self.plan[address]:
                    return self.plan[address].pop(0)
        return "accept"

    def receive(self, raw: bytes) -> None:
        with self._lock:
            self.messages.append(email.message_from_bytes(raw))

    def received(self, address: str) -> list[email.message.Message]:
        """The messages for `address` the server took (answered or not; not the refused)."""
        with self._lock:
            return [m for m in self.messages if address in m.get("To", "").lower()]
