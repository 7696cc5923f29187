"""Random parameter draws that keep training and held-out ("ood") presets apart.

Every continuous sound or mix parameter of the renderer (kick pitch, filter cutoff, reverb
decay, loudness...) is drawn through :func:`draw`. The training variant draws from the middle
of the parameter's range and the ``ood`` variant only from its outer bands, so the held-out
evaluation hears timbres and mix settings that no training clip used.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

__all__ = ["Variant", "VARIANTS", "EDGE_FRACTION", "OOD_OVERSHOOT", "draw", "chance"]

Variant = Literal["train", "ood"]
VARIANTS: tuple[Variant, ...] = ("train", "ood")

#: Share of a range at each edge that only the ood variant draws from.
EDGE_FRACTION = 0.12
#: How far beyond the nominal range the ood variant may reach (share of the range width).
OOD_OVERSHOOT = 0.12


def draw(rng: np.random.Generator, lo: float, hi: float, *, ood: bool = False,
         inside: bool = False) -> float:
    """Draw a value of the range ``[lo, hi]``: its middle for training, its edges for ood.

    Parameters
    ----------
    rng : the clip's random generator (the only source of randomness, for determinism).
    lo, hi : float
        Nominal range of the parameter; ``lo == hi`` returns that value for both variants.
    ood : bool
        Draw from ``[lo - o, lo + e]`` or ``[hi - e, hi + o]`` (``e`` = edge, ``o`` =
        overshoot, both shares of the width) instead of ``[lo + e, hi - e]``.
    """
    width = hi - lo
    if width <= 0:
        return float(lo)
    edge, over = EDGE_FRACTION * width, (0.0 if inside else OOD_OVERSHOOT * width)
    if not ood:
        return float(rng.uniform(lo + edge, hi - edge))
    if rng.random() < 0.5:
        return float(rng.uniform(lo - over, lo + edge))
    return float(rng.uniform(hi - edge, hi + over))


def chance(rng: np.random.Generator, p: float) -> bool:
    """True with probability ``p``."""
    return bool(rng.random() < p)
