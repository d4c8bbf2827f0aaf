"""Make every ML library we use refuse to reach a model hub.

These switches are read by huggingface_hub when it is first imported, so this
module must be imported before faster-whisper, ctranslate2 or tokenizers.
`soapdesk.core` imports it first thing for that reason.
"""

import os

_SWITCHES = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    # onnxruntime (faster-whisper's VAD) ships POSIX telemetry that writes a
    # device id and would upload from native code, out of sight of Python's
    # audit hooks. This switch must be set before onnxruntime initialises.
    "ORT_DISABLE_TELEMETRY": "1",
    # tokenizers spawns threads; keep it quiet and deterministic
    "TOKENIZERS_PARALLELISM": "false",
}

for _key, _value in _SWITCHES.items():
    os.environ[_key] = _value


def hub_is_offline() -> bool:
    """True when huggingface_hub (if loaded) believes it is offline."""
    try:
        from huggingface_hub import constants
    except ImportError:  # not installed: nothing could download anyway
        return True
    return bool(constants.HF_HUB_OFFLINE)
