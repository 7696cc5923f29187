"""The 50 tags of each musicnn model, in output order (data copied from musicnn 0.1.0).

Source: ``musicnn/configuration.py`` (``MSD_LABELS``, ``MTT_LABELS``) of the musicnn 0.1.0
wheel, ISC licence, (c) Music Technology Group, Universitat Pompeu Fabra 2019. The spelling and
case are musicnn's ("House", "Mellow", "Hip-Hop"); the loader checks them against each weights
file.
"""

from __future__ import annotations

__all__ = ["MSD_TAGS", "MTT_TAGS", "TAGS"]

#: Million Song Dataset (last.fm) tags of ``MSD_musicnn``.
MSD_TAGS: tuple[str, ...] = (
    "rock", "pop", "alternative", "indie", "electronic", "female vocalists", "dance", "00s",
    "alternative rock", "jazz", "beautiful", "metal", "chillout", "male vocalists",
    "classic rock", "soul", "indie rock", "Mellow", "electronica", "80s", "folk", "90s", "chill",
    "instrumental", "punk", "oldies", "blues", "hard rock", "ambient", "acoustic", "experimental",
    "female vocalist", "guitar", "Hip-Hop", "70s", "party", "country", "easy listening", "sexy",
    "catchy", "funk", "electro", "heavy metal", "Progressive rock", "60s", "rnb", "indie pop",
    "sad", "House", "happy",
)  # fmt: skip

#: MagnaTagATune tags of ``MTT_musicnn``.
MTT_TAGS: tuple[str, ...] = (
    "guitar", "classical", "slow", "techno", "strings", "drums", "electronic", "rock", "fast",
    "piano", "ambient", "beat", "violin", "vocal", "synth", "female", "indian", "opera", "male",
    "singing", "vocals", "no vocals", "harpsichord", "loud", "quiet", "flute", "woman",
    "male vocal", "no vocal", "pop", "soft", "sitar", "solo", "man", "classic", "choir", "voice",
    "new age", "dance", "male voice", "female vocal", "beats", "harp", "cello", "no voice",
    "weird", "country", "metal", "female voice", "choral",
)  # fmt: skip

#: Model key ("msd", "mtt") -> its tags.
TAGS: dict[str, tuple[str, ...]] = {"msd": MSD_TAGS, "mtt": MTT_TAGS}
