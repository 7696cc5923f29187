"""Key notations DJ software reads: standard ("F#m"), Camelot ("11A") and Open Key ("4m").

The analysis names a key by tonic and mode (``features.tonal.PITCH_CLASSES``); this module only
spells it. Standard is the ID3v2 ``TKEY`` form (tonic, ``b``/``#``, ``m`` for minor), which
rekordbox, Serato and Traktor all read; Camelot is Mixed In Key's, Open Key is Traktor's.
"""

from __future__ import annotations

from typing import Literal, get_args

from genrelens.errors import InvalidParameterError
from genrelens.features.tonal import PITCH_CLASSES, camelot

__all__ = ["KEY_NOTATIONS", "KeyNotation", "key_text"]

KeyNotation = Literal["standard", "camelot", "open-key"]
#: Accepted notations, the first the default.
KEY_NOTATIONS: tuple[KeyNotation, ...] = get_args(KeyNotation)


def key_text(tonic: str, mode: str, *, notation: KeyNotation = "standard") -> str:
    """The key ``tonic``/``mode`` written in ``notation``.

    Parameters
    ----------
    tonic : str
        One of ``PITCH_CLASSES`` ("C", "C#", "Eb"...).
    mode : str
        "major" or "minor".
    notation : {"standard", "camelot", "open-key"}

    Raises
    ------
    InvalidParameterError
        Unknown tonic, mode or notation.

    Examples
    --------
    >>> key_text("A", "minor"), key_text("A", "minor", notation="camelot")
    ('Am', '8A')
    >>> key_text("C", "major", notation="open-key")
    '1d'
    """
    if tonic not in PITCH_CLASSES:
        raise InvalidParameterError(f"tonic must be one of {', '.join(PITCH_CLASSES)}, got {tonic!r}")
    code = camelot(PITCH_CLASSES.index(tonic), mode)  # validates mode
    if notation == "standard":
        return tonic + ("m" if mode == "minor" else "")
    if notation == "camelot":
        return code
    if notation == "open-key":
        # Open Key 1d is C major, Camelot 8B: the wheel turned by seven steps.
        number = (int(code[:-1]) - 8) % 12 + 1
        return f"{number}{'m' if mode == 'minor' else 'd'}"
    raise InvalidParameterError(f"notation must be one of {', '.join(KEY_NOTATIONS)}, got {notation!r}")
