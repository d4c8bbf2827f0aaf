"""`soapdesk vault ...` commands and the `note --save` hook.

Passphrases come from a getpass prompt or, for scripts, SOAPDESK_PASSPHRASE
(SOAPDESK_NEW_PASSPHRASE for change-passphrase/recover/restore,
SOAPDESK_RECOVERY_KEY for recover, SOAPDESK_BACKUP_PASSPHRASE for backup) —
never from the command line, where they would land in shell history and
`ps`. Handlers raise typed SoapDeskErrors; cli.main prints them.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path

from soapdesk.core import paths
from soapdesk.core.errors import BadInput, SoapDeskError

ENV_PASSPHRASE = "SOAPDESK_PASSPHRASE"
ENV_NEW_PASSPHRASE = "SOAPDESK_NEW_PASSPHRASE"
ENV_RECOVERY_KEY = "SOAPDESK_RECOVERY_KEY"
ENV_BACKUP_PASSPHRASE = "SOAPDESK_BACKUP_PASSPHRASE"


# -- prompts ------------------------------------------------------------------

def _secret(env: str, prompt: str, *, confirm: bool = False) -> str:
    value = os.environ.get(env)
    if value is not None:
        return value
    first = getpass.getpass(prompt)
    if confirm and getpass.getpass("Repeat it: ") != first:
        raise BadInput("The two entries did not match.")
    return first


def _passphrase() -> str:
    return _secret(ENV_PASSPHRASE, "Vault passphrase: ")


def _new_passphrase() -> str:
    return _secret(ENV_NEW_PASSPHRASE, "New vault passphrase (12+ characters): ", confirm=True)


def _vault_path(args) -> Path:
    return Path(args.vault) if getattr(args, "vault", None) else paths.vault_path()


def _open(args):
    from soapdesk.store.vault import Vault

    return Vault.open(_vault_path(args), _passphrase())


# -- handlers -------------------------------------------------------------------

def cmd_vault_init(args) -> int:
    from soapdesk.store.vault import Vault

    path = _vault_path(args)
    passphrase = _secret(ENV_PASSPHRASE, "Choose a vault passphrase (12+ characters): ", confirm=True)
    vault, recovery_key = Vault.create(path, passphrase)
    vault.close()
    print(f"Vault created: {path}")
    print("Recovery key (shown once - write it down and keep it somewhere safe):")
    print(f"    {recovery_key}")
    print("With it you can reset a forgotten passphrase (`soapdesk vault recover`).")
    return 0


def cmd_vault_unlock_check(args) -> int:
    with _open(args) as vault:
        n = len(vault.list_sessions())
    print(f"Vault unlocked: {n} session(s).")
    return 0


def cmd_vault_change_passphrase(args) -> int:
    old = _passphrase()
    from soapdesk.store.vault import Vault

    with Vault.open(_vault_path(args), old) as vault:
        vault.change_passphrase(old, _new_passphrase())
    print("Passphrase changed.")
    return 0


def cmd_vault_recover(args) -> int:
    from soapdesk.store.vault import Vault

    key = _secret(ENV_RECOVERY_KEY, "Recovery key: ")
    new = _new_passphrase()
    with Vault.open_with_recovery(_vault_path(args), key, new):
        pass
    print("Vault unlocked with the recovery key; the new passphrase is set.")
    return 0


def cmd_vault_backup(args) -> int:
    backup_pass = None
    if args.separate_passphrase:
        backup_pass = _secret(ENV_BACKUP_PASSPHRASE, "Backup passphrase (12+ characters): ", confirm=True)
    with _open(args) as vault:
        dest = vault.backup(Path(args.file), backup_passphrase=backup_pass)
    print(f"Backup written: {dest}")
    return 0


def cmd_vault_restore(args) -> int:
    from soapdesk.store.backup import restore_backup

    passphrase = _secret(ENV_PASSPHRASE, "Passphrase of the backup: ")
    new = os.environ.get(ENV_NEW_PASSPHRASE)
    restore_backup(Path(args.file), passphrase, _vault_path(args), new_passphrase=new)
    print("Vault restored from backup.")
    return 0


def cmd_vault_purge(args) -> int:
    with _open(args) as vault:
        plan = vault.purge(dry_run=args.dry_run)
    print("\n".join(plan.lines()))
    return 0


def cmd_vault_list(args) -> int:
    with _open(args) as vault:
        rows = vault.list_sessions(args.search)
    if not rows:
        print("No sessions." if not args.search else "No sessions match.")
        return 0
    print(f"{'session':<32}  {'started (UTC)':<19}  {'client':<16}  {'template':<10}  status")
    for r in rows:
        print(f"{r.id:<32}  {r.started_at[:19]:<19}  {(r.client_label or '-')[:16]:<16}  "
              f"{(r.template or '-')[:10]:<10}  {r.status}")
    return 0


def cmd_vault_check(args) -> int:
    with _open(args) as vault:
        report = vault.check()
    print(report.summary())
    return 0 if report.ok else 5


_COMMANDS = {
    "init": (cmd_vault_init, "create a new encrypted vault"),
    "unlock-check": (cmd_vault_unlock_check, "check that the passphrase unlocks the vault"),
    "change-passphrase": (cmd_vault_change_passphrase, "set a new passphrase"),
    "recover": (cmd_vault_recover, "unlock with the recovery key and set a new passphrase"),
    "backup": (cmd_vault_backup, "write an encrypted backup file"),
    "restore": (cmd_vault_restore, "replace the vault with a verified backup"),
    "purge": (cmd_vault_purge, "delete what the retention policy says is due"),
    "list": (cmd_vault_list, "list sessions (optionally matching words)"),
    "check": (cmd_vault_check, "check the vault for damage"),
}


def add_vault_commands(subparsers) -> argparse.ArgumentParser:
    vault = subparsers.add_parser("vault", help="manage the encrypted vault")
    vault.add_argument("--vault", metavar="PATH", help=argparse.SUPPRESS)  # tests / portable installs
    sub = vault.add_subparsers(dest="vault_command", required=True)
    parsers = {}
    for name, (handler, help_text) in _COMMANDS.items():
        p = sub.add_parser(name, help=help_text)
        p.set_defaults(func=handler)
        parsers[name] = p
    parsers["backup"].add_argument("file")
    parsers["backup"].add_argument("--separate-passphrase", action="store_true",
                                   help="protect the backup with its own passphrase (prompted)")
    parsers["restore"].add_argument("file")
    parsers["purge"].add_argument("--dry-run", action="store_true", help="only list what would be deleted")
    parsers["list"].add_argument("--search", metavar="WORDS")
    return vault


def open_default_vault():
    """The user's vault, unlocked with a prompt or SOAPDESK_PASSPHRASE."""
    from soapdesk.store.vault import Vault

    return Vault.open(paths.vault_path(), _passphrase())


def save_note_from_cli(note, *, audio_path: Path | None, client_label: str | None, vault=None) -> str:
    """`soapdesk note ... --save`: store session, audio, transcript and draft; returns the session id.
    Pass an already-open vault so the passphrase is asked before minutes of work, not after."""
    if vault is None:
        with open_default_vault() as v:
            return save_note_from_cli(note, audio_path=audio_path, client_label=client_label, vault=v)
    if audio_path is None:
        return vault.save_note(note, client_label=client_label)
    fmt = Path(audio_path).suffix.lstrip(".").lower() or "unknown"
    with open(audio_path, "rb") as fh:  # streamed into the vault in 1 MiB chunks
        return vault.save_note(note, client_label=client_label, audio=fh, audio_format=fmt)


def main(argv: list[str] | None = None) -> int:
    """Stand-alone entry (`python -m soapdesk.cli_vault vault ...`) until cli.main wires it in."""
    from soapdesk.store.logging_setup import configure_logging

    parser = argparse.ArgumentParser(prog="soapdesk")
    add_vault_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    configure_logging()
    try:
        return args.func(args)
    except SoapDeskError as err:
        print(f"soapdesk: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
