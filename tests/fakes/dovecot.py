"""A real IMAP server for tests: Debian's dovecot-imapd, started on a loopback port with a
temporary configuration (plain-text login over loopback, maildirs under a temp directory,
users in a passwd-file). ``.ci/run`` installs the package when missing.

    with Dovecot(users={"leads": "pw"}) as imap:
        imap.port; imap.append("leads", raw_message_bytes)

Mail is owned by ``nobody`` (dovecot refuses root as a mail user).
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def available() -> bool:
    return Path(DOVECOT).exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Dovecot:
    def __init__(self, users: dict[str, str]) -> None:
        # Its own directory, readable by dovecot's unprivileged processes (pytest's tmp_path
        # sits under a directory only root may enter).
        self.root = Path(tempfile.mkdtemp(prefix="pipelineos-dovecot-"))
        self.root.chmod(0o755)
        self.users = users
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None

    def _config(self) -> Path:
        owner = pwd.getpwnam("nobody")
        for sub in ("run", "state", "mail", "home"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        for sub in ("mail", "home"):
            os.chown(self.root / sub, owner.pw_uid, owner.pw_gid)
        (self.root / "users").write_text(
            "".join(f"{user}:{{PLAIN}}{password}::::::\n"
                    for user, password in self.users.items()))
        conf = self.root / "dovecot.conf"
        conf.write_text(f"""
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{self.root}/mail/%u
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {self.root}/users
}}
userdb {{
  driver = static
  args = uid={owner.pw_uid} gid={owner.pw_gid} home={self.root}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0666
  }}
  unix_listener stats-writer {{
    mode = 0666
  }}
}}
""")
        return conf

    def start(self) -> Dovecot:
        conf = self._config()
        self.process = subprocess.Popen([DOVECOT, "-F", "-c", str(conf)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("dovecot exited: " + (self.process.stderr.read().decode()
                                                        if self.process.stderr else ""))
            with contextlib.suppress(OSError), socket.create_connection(
                    ("127.0.0.1", self.port), timeout=0.5):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("dovecot did not start listening")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
        shutil.rmtree(self.root, ignore_errors=True)

    def client(self, user: str) -> imaplib.IMAP4:
        imap = imaplib.IMAP4("127.0.0.1", self.port)
        imap.login(user, self.users[user])
        return imap

    def append(self, user: str, message: bytes, folder: str = "INBOX") -> None:
        """Deliver ``message`` to ``user``'s ``folder`` with IMAP APPEND (as a mail server's
        delivery would leave it: unseen)."""
        imap = self.client(user)
        try:
            if folder != "INBOX":
                imap.create(folder)
            imap.append(folder, "", imaplib.Time2Internaldate(time.time()), message)
        finally:
            imap.logout()

    def flags(self, user: str, folder: str = "INBOX") -> list[str]:
        imap = self.client(user)
        try:
            imap.select(folder)
            _, data = imap.fetch("1:*", "(FLAGS)")
            return [d.decode() if isinstance(d, bytes) else str(d) for d in data if d]
        finally:
            imap.logout()

    def __enter__(self) -> Dovecot:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.stop()
