"""``python -m wawebpy`` demo, login, send, listen and doctor against the fake, in-process."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wawebpy._cli import main
from wawebpy.auth import SessionKey
from wawebpy.testing import FakeWhatsApp

PEER = "15551234567@c.us"
KEY_ENV = "WAWEBPY_TEST_CLI_KEY"


class Cli:
    def __init__(self, fake: FakeWhatsApp, store: Path, key: str) -> None:
        self.fake, self.store, self.key = fake, store, key

    def session_args(self, session_id: str = "default") -> list[str]:
        return [
            "--web-url",
            self.fake.url,
            "--session-dir",
            str(self.store),
            "--session-id",
            session_id,
            "--key-env",
            KEY_ENV,
            "--timeout",
            "60",
        ]


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cli]:
    key = SessionKey.generate().to_text()
    with pytest.MonkeyPatch.context() as mp, FakeWhatsApp(me="15550000001") as fake:
        mp.setenv(KEY_ENV, key)
        yield Cli(fake, tmp_path_factory.mktemp("sessions"), key)


class Running:
    """``python -m wawebpy ...`` in a subprocess; stderr is read as it comes, so a test can
    wait for the QR code or "listening" before acting as the phone."""

    def __init__(self, *args: str) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "wawebpy", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        self.err: list[str] = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            with self._cond:
                self.err.append(line)
                self._cond.notify_all()

    def wait_err(self, text: str, timeout: float = 60) -> None:
        with self._cond:
            found = self._cond.wait_for(lambda: any(text in x for x in self.err), timeout)
        assert found, f"{text!r} not on stderr: {''.join(self.err)[-2000:]}"

    def finish(self, timeout: float = 120) -> tuple[int, str, str]:
        assert self.proc.stdout is not None
        out = self.proc.stdout.read()  # not communicate(): it would also read stderr
        self.proc.wait(timeout)
        self._reader.join(10)
        return self.proc.returncode, out, "".join(self.err)


def never_shows(secrets: list[str], *outputs: str) -> None:
    for secret in secrets:
        for out in outputs:
            assert secret not in out


def test_doctor_reports_every_capability(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--web-url", cli.fake.url, "--modules"]) == 0
    out = capsys.readouterr().out
    assert "capabilities" in out and "all good" in out
    assert "MISSING" not in out
    assert cli.fake.version in out
    # Which step of the driver search found chromedriver (this machine: the apt package).
    assert re.search(r"driver\s+ok\s+\S+chromedriver \(found by: (PATH|package location)\)", out)


def test_doctor_json_flags_a_missing_module(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeWhatsApp(missing_modules={"WAWebSendMsgChatAction"}) as broken:
        assert main(["doctor", "--web-url", broken.url, "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    missing = [name for name, cap in report["capabilities"].items() if not cap["ok"]]
    assert missing and all(
        "WAWebSendMsgChatAction" in report["capabilities"][m]["missing"] for m in missing
    )


def test_login_with_qr_saves_a_sealed_session(cli: Cli) -> None:
    run = Running("login", *cli.session_args())
    run.wait_err("Scan this QR code")
    payload = cli.fake.wait_for_qr()
    cli.fake.scan_qr()
    code, out, err = run.finish()
    assert code == 0, err
    assert "\u2580" in err or "\u2584" in err  # the QR is drawn, never printed as text
    assert "syncing [" in err and "100%" in err
    assert "logged in as +15550000001" in err
    never_shows([payload, *payload.split(",")[:4], cli.key], out, err)
    assert any(cli.store.iterdir())
    cli.fake.wait_until_disconnected()


def test_send_uses_the_saved_session(cli: Cli, capsys: pytest.CaptureFixture[str]) -> None:
    qr_before = cli.fake.qr_count
    assert main(["send", *cli.session_args(), PEER, "hello from the cli"]) == 0
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert line["chat"] == PEER and line["ack"] in ("server", "device", "read")
    (sent,) = cli.fake.wait_for_sent(predicate=lambda s: s.id == line["id"])
    assert sent.body == "hello from the cli" and sent.to == PEER
    assert cli.fake.qr_count == qr_before  # restored: no new QR
    cli.fake.wait_until_disconnected()


def test_send_refuses_a_bad_chat_before_starting(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["send", "--web-url", "http://127.0.0.1:9/", "12345", "hi"]) == 1
    assert "chat id" in capsys.readouterr().err


def test_listen_prints_json_lines(cli: Cli) -> None:
    run = Running("listen", "--count", "2", *cli.session_args())
    run.wait_err("listening")
    first = cli.fake.deliver_text(PEER, "first line")
    second = cli.fake.deliver_text(PEER, "naïve — 😀", mentions=["15550000001"])
    code, out, err = run.finish()
    assert code == 0, err
    lines = [json.loads(x) for x in out.strip().splitlines()]
    assert [x["id"] for x in lines] == [first, second]
    assert lines[0]["text"] == "first line" and lines[0]["chat"] == PEER
    assert lines[1]["text"] == "naïve — 😀" and lines[1]["mentions"] == ["15550000001@c.us"]
    assert lines[0]["from_me"] is False and lines[0]["type"] == "chat"
    never_shows([cli.key], out, err)
    cli.fake.wait_until_disconnected()


def test_login_with_a_pairing_code(cli: Cli) -> None:
    run = Running("login", "--pairing-code", "+1 555 000 0001", *cli.session_args("paired"))
    request = cli.fake.wait_for_pairing_code(timeout=60)
    assert request.phone == "15550000001"
    run.wait_err(f"{request.code[:4]}-{request.code[4:]}")
    cli.fake.enter_pairing_code(request.code)
    code, _out, err = run.finish()
    assert code == 0, err
    assert "Scan this QR code" not in err and "logged in as" in err
    cli.fake.wait_until_disconnected()


def test_client_commands_need_a_secret_without_a_terminal(
    cli: Cli, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", open("/dev/null"))  # noqa: SIM115 - closed by pytest
    argv = ["send", "--web-url", cli.fake.url, "--session-dir", str(cli.store), PEER, "x"]
    assert main(argv) == 1
    assert "passphrase" in capsys.readouterr().err


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("demo", "login", "send", "listen", "doctor", "session"):
        assert command in out


def run_module(*args: str, check: Callable[[subprocess.CompletedProcess[str]], Any]) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "wawebpy", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    check(proc)


def test_demo_runs_by_itself_and_exits_zero() -> None:
    def check(proc: subprocess.CompletedProcess[str]) -> None:
        assert proc.returncode == 0, proc.stderr
        assert "bot > echo: hi bot!" in proc.stdout
        assert "bot > wawebpy works offline" in proc.stdout
        assert "demo finished: 3 messages answered" in proc.stdout

    run_module("demo", check=check)
