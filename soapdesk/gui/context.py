"""What the window needs from outside, in one injectable object (no Qt).

Tests build an AppContext with cheap Argon2 parameters, tiny models and a
fake sounddevice module; `default_context()` is what a real launch uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from soapdesk.core import paths
from soapdesk.core import settings as settings_mod
from soapdesk.core.pipeline import Pipeline
from soapdesk.core.settings import Settings
from soapdesk.store.vault import Vault


@dataclass
class VaultOpener:
    """Creates and opens the vault; tests pass cheap KDF parameters."""

    path: Path | None = None
    kdf: object | None = None
    allow_weak_kdf_for_tests: bool = False

    @property
    def vault_path(self) -> Path:
        return Path(self.path or paths.vault_path())

    def exists(self) -> bool:
        return self.vault_path.exists()

    def create(self, passphrase: str) -> tuple[Vault, str]:
        return Vault.create(self.vault_path, passphrase, kdf=self.kdf,
                            allow_weak_kdf_for_tests=self.allow_weak_kdf_for_tests)

    def open(self, passphrase: str) -> Vault:
        return Vault.open(self.vault_path, passphrase, allow_weak_kdf_for_tests=self.allow_weak_kdf_for_tests)

    def open_with_recovery(self, recovery_key: str, new_passphrase: str) -> Vault:
        return Vault.open_with_recovery(self.vault_path, recovery_key, new_passphrase, kdf=self.kdf,
                                        allow_weak_kdf_for_tests=self.allow_weak_kdf_for_tests)


@dataclass
class AppContext:
    settings: Settings = field(default_factory=Settings)
    opener: VaultOpener = field(default_factory=VaultOpener)
    sounddevice: object | None = None  # the module (or a fake); imported lazily when None
    save_settings: bool = True  # tests keep settings.toml untouched
    clinician_name: str = ""
    pipeline_factory: object = Pipeline
    # Speech recognition in a child process, so loading it never freezes the window
    # (soapdesk.gui.asr_process). Only with the default pipeline factory.
    asr_in_child: bool = True
    _children: list = field(default_factory=list, repr=False)

    def sd(self):
        if self.sounddevice is None:
            import sounddevice

            self.sounddevice = sounddevice
        return self.sounddevice

    def make_pipeline(self, vocabulary: list[str] | tuple[str, ...] = ()) -> Pipeline:
        settings = self.settings.replace(extra_vocabulary=tuple(vocabulary))
        if self.asr_in_child and self.pipeline_factory is Pipeline:
            from soapdesk.gui.asr_process import ProcessTranscriber

            transcriber = ProcessTranscriber(settings)
            self._children.append(transcriber)
            return Pipeline(settings, transcriber=transcriber)
        return self.pipeline_factory(settings)

    def start_engines(self) -> None:
        """Start the speech recognizer's process and model load in the background (after unlock)."""
        for child in self._children:
            child.start()

    def close_engines(self) -> None:
        """End the engines' child processes (lock, quit, a pipeline replaced while idle)."""
        while self._children:
            self._children.pop().close()

    def update_settings(self, settings: Settings) -> None:
        self.settings = settings
        if self.save_settings:
            settings_mod.save(settings)


def default_context() -> AppContext:
    import getpass

    try:
        who = getpass.getuser()
    except Exception:  # noqa: BLE001
        who = "clinician"
    return AppContext(settings=settings_mod.load(), clinician_name=who)
