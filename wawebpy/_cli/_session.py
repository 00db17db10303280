"""``python -m wawebpy session inspect|rekey|delete|keygen``: manage sealed sessions.

Secrets are read from a terminal prompt, an environment variable or a file. A passphrase on
the command line would land in shell history and ``ps`` output, so it needs the explicitly
named ``--insecure-passphrase`` flag.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from .._session._container import scan
from .._session._format import inspect_sealed, unseal
from .._session._kdf import KdfParams
from ..auth import (
    Argon2idParams,
    FileSessionStore,
    Passphrase,
    SessionKey,
    SessionStore,
    SQLiteSessionStore,
    rekey,
)
from ..errors import InvalidInputError, SessionError

HELP = "inspect, re-key or delete sealed sessions (EncryptedAuth stores)"

_EXIT_OK = 0
_EXIT_ERROR = 1


def register(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(title="session commands", metavar="SUBCOMMAND")

    inspect = commands.add_parser(
        "inspect",
        allow_abbrev=False,
        help="show format, KDF, sizes and dates of stored sessions (never secrets)",
        description="Show what a sealed session is without a secret; with --verify, also "
        "decrypt it in memory and count its files.",
    )
    _add_store_options(inspect, allow_file=True)
    inspect.add_argument(
        "-s", "--session-id", help="the session to show (default: every session in the store)"
    )
    inspect.add_argument(
        "--verify", action="store_true", help="decrypt and check every byte (needs the secret)"
    )
    inspect.add_argument("--json", action="store_true", help="print JSON")
    _add_secret_options(inspect, "", "secret for --verify")
    inspect.set_defaults(handler=_inspect)

    rekey = commands.add_parser(
        "rekey",
        allow_abbrev=False,
        help="re-seal a session under a new passphrase or key (no QR scan needed)",
        description="Re-seal a stored session under a new secret. Stop the Client using it "
        "first. With no secret options you are prompted for passphrases.",
    )
    _add_store_options(rekey)
    rekey.add_argument("-s", "--session-id", default="default", help="default: %(default)s")
    _add_secret_options(rekey, "old-", "current secret")
    _add_secret_options(rekey, "new-", "new secret")
    kdf = rekey.add_argument_group("Argon2id cost for a new passphrase")
    kdf.add_argument("--argon2-memory-kib", type=int, metavar="KIB")
    kdf.add_argument("--argon2-iterations", type=int, metavar="N")
    kdf.add_argument("--argon2-lanes", type=int, metavar="N")
    rekey.set_defaults(handler=_rekey_command)

    delete = commands.add_parser(
        "delete",
        allow_abbrev=False,
        help="delete a stored session (the next start needs a QR scan)",
        description="Delete a stored session. The linked device stays listed on the phone "
        "until it is removed there.",
    )
    _add_store_options(delete)
    delete.add_argument("-s", "--session-id", required=True)
    delete.add_argument("-y", "--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(handler=_delete)

    keygen = commands.add_parser(
        "keygen",
        allow_abbrev=False,
        help="write a new random 32-byte key for EncryptedAuth(key=...)",
        description="Write a new random key as base64url text to a file created 0600. Load "
        "it with SessionKey.from_file(PATH), or put its text in a secret manager or an "
        "environment variable for SessionKey.from_env(NAME).",
    )
    keygen.add_argument(
        "--out", required=True, metavar="PATH", help="file to create ('-' prints to stdout)"
    )
    keygen.add_argument("--force", action="store_true", help="overwrite an existing file")
    keygen.set_defaults(handler=_keygen)


# -- options -------------------------------------------------------------------------------------


def _add_store_options(parser: argparse.ArgumentParser, *, allow_file: bool = False) -> None:
    group = parser.add_argument_group("store (one of)").add_mutually_exclusive_group(required=True)
    group.add_argument("--dir", type=Path, metavar="DIR", help="a FileSessionStore directory")
    group.add_argument("--sqlite", type=Path, metavar="PATH", help="a SQLiteSessionStore file")
    if allow_file:
        group.add_argument("--file", type=Path, metavar="PATH", help="one sealed session file")


def _add_secret_options(parser: argparse.ArgumentParser, prefix: str, title: str) -> None:
    group = parser.add_argument_group(
        f"{title} (one of; default: prompt for a passphrase)"
    ).add_mutually_exclusive_group()
    group.add_argument(f"--{prefix}passphrase-env", metavar="NAME", help="environment variable")
    group.add_argument(f"--{prefix}passphrase-file", type=Path, metavar="PATH")
    group.add_argument(
        f"--{prefix}key-env", metavar="NAME", help="environment variable with a hex/base64 key"
    )
    group.add_argument(
        f"--{prefix}key-file", type=Path, metavar="PATH", help="32 raw bytes or hex/base64 text"
    )
    group.add_argument(
        f"--{prefix}insecure-passphrase",
        metavar="TEXT",
        help="the passphrase itself; it stays in shell history and ps output, avoid it",
    )


def _read_secret(
    args: argparse.Namespace, prefix: str, *, prompt: str, confirm: bool = False
) -> Passphrase | SessionKey:
    attr = prefix.replace("-", "_")
    if name := getattr(args, f"{attr}passphrase_env"):
        return Passphrase.from_env(name)
    if path := getattr(args, f"{attr}passphrase_file"):
        return Passphrase.from_file(path)
    if name := getattr(args, f"{attr}key_env"):
        return SessionKey.from_env(name)
    if path := getattr(args, f"{attr}key_file"):
        return SessionKey.from_file(path)
    if text := getattr(args, f"{attr}insecure_passphrase"):
        return Passphrase(text)
    if not sys.stdin.isatty():
        raise InvalidInputError(
            f"no {prompt.lower().rstrip(': ')} given and no terminal to ask on: pass "
            f"--{prefix}passphrase-env NAME, --{prefix}passphrase-file, --{prefix}key-env or "
            f"--{prefix}key-file"
        )
    return Passphrase.prompt(prompt, confirm=confirm)


def _open_store(args: argparse.Namespace) -> SessionStore:
    if args.dir is not None:
        if not args.dir.is_dir():
            raise InvalidInputError(f"{args.dir} is not a directory")
        return FileSessionStore(args.dir)
    if not args.sqlite.is_file():
        raise InvalidInputError(f"{args.sqlite} does not exist")
    return SQLiteSessionStore(args.sqlite)


# -- inspect -------------------------------------------------------------------------------------


def _inspect(args: argparse.Namespace) -> int:
    secret = _read_secret(args, "", prompt="Passphrase: ") if args.verify else None
    if args.file is not None:
        try:
            with open(args.file, "rb") as f:
                first = inspect_sealed(f)
        except OSError as exc:
            raise InvalidInputError(f"cannot read {args.file}: {exc.strerror}") from None
        targets: list[tuple[str, Any]] = [(first.header.session_id, None)]
    else:
        store = _open_store(args)
        ids = [args.session_id] if args.session_id else list(store.session_ids())  # type: ignore[attr-defined]
        if not ids:
            print("no sessions stored", file=sys.stderr)
            return _EXIT_OK
        targets = [(sid, store) for sid in ids]

    reports: list[dict[str, Any]] = []
    failed = False
    for sid, store in targets:
        report: dict[str, Any] = {"session_id": sid}
        try:
            with _open_sealed(args, store, sid) as f:
                info = inspect_sealed(f)
            report.update(_describe(info))
            failed |= not info.complete
            if secret is not None and info.complete:
                with _open_sealed(args, store, sid) as f:
                    _header, payload = unseal(f, secret, sid)
                    stats = scan(payload)
                report["verified"] = True
                report["profile_files"] = stats.files
                report["profile_bytes"] = stats.bytes
                report["profile_folders"] = dict(sorted(stats.by_folder.items()))
        except SessionError as exc:
            report["error"] = str(exc)
            report["verified"] = False if secret is not None else None
            failed = True
        reports.append(report)

    if args.json:
        print(json.dumps(reports if len(reports) != 1 else reports[0], indent=2))
    else:
        for report in reports:
            _print_report(report)
    return _EXIT_ERROR if failed else _EXIT_OK


def _open_sealed(args: argparse.Namespace, store: Any, sid: str) -> Any:
    if store is None:
        return open(args.file, "rb")
    return store.load(sid)


def _kdf_text(params: KdfParams | None) -> str:
    if params is None:
        return "HKDF-SHA256 from a raw 32-byte key"
    if isinstance(params, Argon2idParams):
        return (
            f"Argon2id (memory {params.memory_kib} KiB, iterations {params.iterations}, "
            f"lanes {params.lanes})"
        )
    return f"scrypt (N 2^{params.log2_n}, r {params.r}, p {params.p})"


def _describe(info: Any) -> dict[str, Any]:
    h = info.header
    return {
        "format_version": h.version,
        "sealed_at": h.sealed_at_datetime.isoformat(timespec="seconds"),
        "kdf": h.kdf_name,
        "kdf_detail": _kdf_text(h.kdf_params),
        "cipher": "AES-256-GCM",
        "chunk_size": h.chunk_size,
        "chunks": info.chunks,
        "compression": h.compression_name,
        "payload": h.container_name,
        "payload_bytes": info.payload_bytes,
        "stored_bytes": info.total_bytes,
        "complete": info.complete,
        "problem": info.problem,
    }


def _print_report(r: dict[str, Any]) -> None:
    print(f"session {r['session_id']!r}")
    if "format_version" in r:
        rows = [
            ("format", f"wawebpy sealed session, version {r['format_version']}"),
            ("sealed at", r["sealed_at"]),
            ("key from", r["kdf_detail"]),
            ("cipher", f"{r['cipher']}, {r['chunks']} chunk(s) of up to {r['chunk_size']:,} B"),
            ("payload", f"{r['payload']}, {r['payload_bytes']:,} B"),
            ("stored size", f"{r['stored_bytes']:,} B"),
            ("structure", "complete" if r["complete"] else f"DAMAGED: {r['problem']}"),
        ]
        for label, value in rows:
            print(f"  {label:<12} {value}")
    if r.get("verified"):
        print(f"  {'verified':<12} yes: {r['profile_files']} files, {r['profile_bytes']:,} B")
        for folder, size in r["profile_folders"].items():
            print(f"    {folder:<40} {size:>14,} B")
    if "error" in r:
        print(f"  {'error':<12} {r['error']}")


# -- rekey, delete, keygen -----------------------------------------------------------------------


def _rekey_command(args: argparse.Namespace) -> int:
    store = _open_store(args)
    if not store.exists(args.session_id):
        raise InvalidInputError(f"no session {args.session_id!r} in this store")
    old = _read_secret(args, "old-", prompt="Current passphrase: ")
    new = _read_secret(args, "new-", prompt="New passphrase: ", confirm=True)
    kdf = None
    cost = (args.argon2_memory_kib, args.argon2_iterations, args.argon2_lanes)
    if any(v is not None for v in cost):
        default = Argon2idParams()
        kdf = Argon2idParams(
            memory_kib=cost[0] or default.memory_kib,
            iterations=cost[1] or default.iterations,
            lanes=cost[2] or default.lanes,
        )
    rekey(store, args.session_id, old=old, new=new, kdf=kdf)
    print(f"session {args.session_id!r} re-sealed under the new secret")
    return _EXIT_OK


def _delete(args: argparse.Namespace) -> int:
    store = _open_store(args)
    sid = args.session_id
    if not store.exists(sid):
        print(f"no session {sid!r} in this store; nothing to delete", file=sys.stderr)
        return _EXIT_OK
    if not args.yes:
        if not sys.stdin.isatty():
            raise InvalidInputError("refusing to delete without a terminal to confirm; pass --yes")
        answer = input(f"Delete session {sid!r}? The next start needs a QR scan. [y/N] ")
        if answer.strip().lower() not in ("y", "yes"):
            print("nothing deleted")
            return _EXIT_ERROR
    store.delete(sid)
    print(f"session {sid!r} deleted")
    return _EXIT_OK


def _keygen(args: argparse.Namespace) -> int:
    text = SessionKey.generate().to_text() + "\n"
    if args.out == "-":
        sys.stdout.write(text)
        return _EXIT_OK
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if args.force else os.O_EXCL)
    try:
        fd = os.open(args.out, flags, 0o600)
    except FileExistsError:
        raise InvalidInputError(f"{args.out} exists; pass --force to overwrite it") from None
    except OSError as exc:
        raise InvalidInputError(f"cannot create {args.out}: {exc.strerror}") from None
    with os.fdopen(fd, "w") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(text)
    print(f"wrote a new session key to {args.out} (mode 0600); keep it secret")
    return _EXIT_OK
