"""SIGKILL the saving process at random moments: the store always holds a whole snapshot.

A helper process imports wawebpy once, logs in (version 0 is saved), then per trial forks a
child that rewrites the profile and saves it in a tight loop; the helper kills the child with
SIGKILL after a random delay. After each kill this test restores the store into a fresh
profile and checks that it is exactly one of the versions the child wrote, never a mix or a
broken file, and never older than what an earlier trial already saw.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from wawebpy.auth import EncryptedAuth, FileSessionStore, SessionKey, SQLiteSessionStore

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

TRIALS = 60
BIG = 120_000

HELPER = textwrap.dedent(
    """
    import os, random, signal, sys, time
    from pathlib import Path
    from wawebpy.auth import EncryptedAuth, FileSessionStore, SQLiteSessionStore, SessionKey

    kind, location, temp_base, big = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    store = FileSessionStore(location) if kind == "file" else SQLiteSessionStore(location)
    key = SessionKey.from_env("CRASH_TEST_KEY")
    auth = EncryptedAuth(store, key=key, temp_dir=temp_base, autosave_interval=None)
    auth.ready_save_delay = 0
    profile = auth.prepare()
    idb = profile / "Default/IndexedDB/https_x_0.indexeddb.leveldb"
    ls = profile / "Default/Local Storage/leveldb"
    idb.mkdir(parents=True)
    ls.mkdir(parents=True)

    def write(version):
        (idb / "000003.log").write_bytes(b"v=%d" % version)
        (idb / "000005.ldb").write_bytes(random.Random(version).randbytes(big))
        (ls / "000003.log").write_bytes(b"v=%d" % version)

    write(0)
    auth.after_ready(profile)
    print("ready", flush=True)
    for line in sys.stdin:
        trial, delay = line.split()
        pid = os.fork()
        if pid == 0:
            try:
                k = 0
                while True:
                    k += 1
                    write(int(trial) * 1_000_000 + k)
                    auth.save(profile)
            finally:
                os._exit(1)
        time.sleep(float(delay))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        print("killed", flush=True)
    """
)


def restored_version(store: object, key: SessionKey, temp_base: Path) -> int:
    auth = EncryptedAuth(store, key=key, temp_dir=temp_base)  # type: ignore[arg-type]
    profile = auth.prepare()
    try:
        idb = profile / "Default/IndexedDB/https_x_0.indexeddb.leveldb"
        version = int((idb / "000003.log").read_bytes()[2:])
        assert (profile / "Default/Local Storage/leveldb/000003.log").read_bytes() == b"v=%d" % (
            version
        )
        assert (idb / "000005.ldb").read_bytes() == random.Random(version).randbytes(BIG)
        return version
    finally:
        auth.after_close(profile)


@pytest.mark.parametrize("kind", ["file", "sqlite"])
def test_sigkill_during_save_never_breaks_the_store(kind: str, tmp_path: Path) -> None:
    key = SessionKey.generate()
    location = tmp_path / ("sessions" if kind == "file" else "sessions.db")
    temp_base = tmp_path / "tmp"
    temp_base.mkdir()
    env = {**os.environ, "CRASH_TEST_KEY": key.to_text()}
    helper = subprocess.Popen(
        [sys.executable, "-c", HELPER, kind, str(location), str(temp_base), str(BIG)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert helper.stdin is not None and helper.stdout is not None
    try:
        assert helper.stdout.readline().strip() == "ready"
        store = FileSessionStore(location) if kind == "file" else SQLiteSessionStore(location)
        rng = random.Random(1234)
        last = 0
        advanced = unchanged = 0
        for trial in range(1, TRIALS + 1):
            helper.stdin.write(f"{trial} {rng.uniform(0.0, 0.04):.4f}\n")
            helper.stdin.flush()
            assert helper.stdout.readline().strip() == "killed"
            version = restored_version(store, key, temp_base)
            assert version == last or version // 1_000_000 == trial, (version, last, trial)
            assert version >= last
            advanced += version != last
            unchanged += version == last
            last = version
            if kind == "file":
                temps = [n for n in os.listdir(location) if n.endswith(".tmp")]
                assert len(temps) <= 1  # a killed save's leftover is swept by the next save
        # The random delays hit both sides: kills before the first save completed, and after.
        assert advanced >= 5 and unchanged >= 1, (advanced, unchanged)
    finally:
        helper.stdin.close()
        helper.wait(timeout=30)
