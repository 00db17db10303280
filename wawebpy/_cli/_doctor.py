"""``python -m wawebpy doctor``: check the machine and the WhatsApp Web build wawebpy meets.

Finds Chrome and chromedriver, loads WhatsApp Web (no login needed), and prints which modules
and capabilities the bridge resolves there (``client.self_check()``).
"""

from __future__ import annotations

import argparse
import json
import platform
from typing import Any

from .. import __version__
from .._transport._driver import BrowserOptions, find_browser, resolve_driver
from ..errors import WawebpyError
from ._connect import add_client_options, make_auth, make_client

HELP = "check Chrome, chromedriver and which WhatsApp Web features resolve"


def register(parser: argparse.ArgumentParser) -> None:
    parser.description = (
        "Check the browser and driver, load WhatsApp Web, and print which capabilities "
        "resolve on the page. Exit code 1 when something is missing."
    )
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument(
        "--modules", action="store_true", help="also list every WhatsApp Web module looked up"
    )
    add_client_options(parser, session_required=False)
    parser.set_defaults(handler=run)


def _environment(args: argparse.Namespace) -> dict[str, Any]:
    env: dict[str, Any] = {
        "python": platform.python_version(),
        "wawebpy": __version__,
        "platform": platform.platform(terse=True),
    }
    try:
        browser = find_browser(args.browser)
        env["browser"] = browser
        found = resolve_driver(BrowserOptions(driver_path=args.driver), browser)
        env["driver"] = f"{found.path} (found by: {found.step})"
    except WawebpyError as exc:
        env["problem"] = str(exc)
    return env


def run(args: argparse.Namespace) -> int:
    report: dict[str, Any] = {"environment": _environment(args)}
    ok = "problem" not in report["environment"]
    if ok:
        client = make_client(args, make_auth(args))
        try:
            client.start()
            check = client.self_check()
            report["page"] = {
                "url": args.web_url,
                "version": check.version or client.version,
                "transport": client.diagnostics().get("transport"),
            }
            # The page's own JSON shape (names, missing modules) is what the table prints.
            report["capabilities"] = dict(check.raw.get("capabilities", {}))
            report["modules"] = dict(check.raw.get("modules", {}))
        except WawebpyError as exc:
            report["page"] = {"url": args.web_url, "problem": str(exc)}
        finally:
            client.close()
        ok = "problem" not in report["page"] and all(
            cap.get("ok") for cap in report.get("capabilities", {}).values()
        )
    report["ok"] = ok
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        _print_table(report, modules=args.modules)
    return 0 if ok else 1


def _rows(title: str, rows: list[tuple[str, str, str]]) -> None:
    print(title)
    width = max((len(r[0]) for r in rows), default=0)
    for name, status, detail in rows:
        print(f"  {name:<{width}}  {status:<7} {detail}".rstrip())


def _print_table(report: dict[str, Any], *, modules: bool) -> None:
    env = report["environment"]
    rows = [(k, "", str(env[k])) for k in ("python", "wawebpy", "platform")]
    rows += [(k, "ok", str(env[k])) for k in ("browser", "driver") if k in env]
    if "problem" in env:
        rows.append(("browser", "MISSING", env["problem"]))
    _rows("environment", rows)
    page = report.get("page")
    if page:
        if "problem" in page:
            _rows("WhatsApp Web", [("page", "FAILED", page["problem"])])
        else:
            _rows(
                "WhatsApp Web",
                [
                    ("url", "", page["url"]),
                    ("version", "", str(page["version"])),
                    ("transport", "", str(page["transport"])),
                ],
            )
    caps = report.get("capabilities") or {}
    if caps:
        _rows(
            "capabilities",
            [
                (name, "ok" if cap.get("ok") else "MISSING", ", ".join(cap.get("missing") or ()))
                for name, cap in sorted(caps.items())
            ],
        )
    if modules and report.get("modules"):
        _rows(
            "modules",
            [
                (key, "ok" if mod.get("ok") else "MISSING", " | ".join(mod.get("names") or ()))
                for key, mod in sorted(report["modules"].items())
            ],
        )
    print("all good" if report["ok"] else "problems found (see above)")
