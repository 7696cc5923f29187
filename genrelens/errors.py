"""Typed errors of the core, each with a stable machine-readable ``code``."""

from __future__ import annotations

from typing import Any

__all__ = [
    "GenreLensError",
    "InvalidParameterError",
    "InvalidAudioError",
    "EmptyFileError",
    "UnsupportedMediaError",
    "AudioDecodeError",
    "AudioTooShortError",
    "AudioTooLongError",
    "DecoderTimeoutError",
    "AnalysisTimeoutError",
    "DecoderCrashedError",
    "ModelMismatchError",
    "TaxonomyError",
    "DatasetError",
    "UnknownLabelError",
]


class GenreLensError(Exception):
    """Base class: a one-line ``message`` for people and a ``code`` for programs.

    The CLI prints ``message`` on one line, the API returns ``{"message", "code", "extra"}``;
    neither ever shows a traceback or a raw decoder message for these errors.
    """

    code = "genrelens_error"

    def __init__(self, message: str, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra: dict[str, Any] = dict(extra or {})

    def to_dict(self) -> dict[str, Any]:
        return {"message": self.message, "code": self.code, "extra": self.extra}


class InvalidParameterError(GenreLensError, ValueError):
    """A caller passed a parameter outside its documented domain."""

    code = "invalid_parameter"


class InvalidAudioError(GenreLensError):
    """Decoded samples are unusable (NaN, Inf, wrong shape)."""

    code = "invalid_audio"


class EmptyFileError(GenreLensError):
    """The file has no bytes at all."""

    code = "empty_file"


class UnsupportedMediaError(GenreLensError):
    """The bytes are not an audio container GenreLens decodes (image, text, archive...)."""

    code = "unsupported_media_type"


class AudioDecodeError(GenreLensError):
    """The container looked like audio but the decoder could not produce samples."""

    code = "audio_decode_failed"


class AudioTooShortError(GenreLensError):
    """Fewer seconds of audio than one analysis needs."""

    code = "audio_too_short"


class AudioTooLongError(GenreLensError):
    """The header declares more audio than GenreLens accepts."""

    code = "audio_too_long"


class DecoderTimeoutError(GenreLensError):
    """The decoder ran past its time limit and was stopped."""

    code = "decoder_timeout"


class AnalysisTimeoutError(GenreLensError):
    """The whole analysis of one file ran past its time budget and was abandoned."""

    code = "analysis_timeout"


class DecoderCrashedError(GenreLensError):
    """The isolated decoder process died (signal, memory limit)."""

    code = "decoder_crashed"


class ModelMismatchError(GenreLensError):
    """A checkpoint does not match the code, labels or feature parameters loading it."""

    code = "model_mismatch"


class TaxonomyError(GenreLensError):
    """The taxonomy file breaks its schema."""

    code = "taxonomy_invalid"


class DatasetError(GenreLensError):
    """A user data set (folder, CSV manifest, FMA layout) cannot be read."""

    code = "dataset_invalid"


class UnknownLabelError(DatasetError):
    """A data set label is neither a taxonomy genre nor mapped by the user's mapping file."""

    code = "unknown_label"
