"""Genre artwork drawn from each genre's rhythm, tempo and spectral profile (no downloads).

Every image has the same layout: a wheel of one bar in sixteenth notes (kick, snare/clap and
hat rings) around a mirrored "spectrum" emblem shaped by the genre's feature profile, a ring of
tempo dots, and the genre name on a band in the family colour. The drawing is a pure function of
the genre record and the family colour, so the files are reproducible byte for byte.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from genrelens.errors import InvalidParameterError
from genrelens.taxonomy.loader import Taxonomy
from genrelens.taxonomy.schema import Genre, Rhythm

__all__ = [
    "IMAGE_SIZE",
    "RHYTHM_PATTERNS",
    "genre_image",
    "genre_image_png",
    "write_genre_images",
]

#: Side of the square artwork [pixels].
IMAGE_SIZE = 320
#: Drawing happens at this multiple of IMAGE_SIZE and is downsampled, for smooth edges.
SUPERSAMPLE = 3
#: Colours kept in the palette PNG: enough for the anti-aliased edges, small files.
PALETTE_COLORS = 48
#: Steps of the rhythm wheel: one 4/4 bar in sixteenth notes.
STEPS = 16
#: Frequency bands of the spectrum emblem, log-spaced over FREQ_RANGE_HZ.
BANDS = 40
FREQ_RANGE_HZ = (30.0, 11025.0)
#: Bass cut-off of the profile's ``bass_weight`` [Hz].
BASS_CUTOFF_HZ = 150.0
#: Largest and smallest font sizes of the genre name, at IMAGE_SIZE [pixels].
NAME_FONT_MAX = 40
NAME_FONT_MIN = 18
#: Largest font of a name split over two lines, so both lines and the caption fit the band.
TWO_LINE_FONT_MAX = 26
CAPTION_FONT = 16
#: Horizontal margin of the text band [pixels at IMAGE_SIZE].
TEXT_MARGIN = 12
#: Top of the name band [pixels at IMAGE_SIZE].
BAND_TOP = 226

#: Kick and snare/clap steps (of 16) of each rhythm class; ``free`` has no grid.
RHYTHM_PATTERNS: dict[Rhythm, tuple[tuple[int, ...], tuple[int, ...]]] = {
    "four_on_the_floor": ((0, 4, 8, 12), (4, 12)),
    "breakbeat": ((0, 10), (4, 12)),
    "half_time": ((0, 3), (8,)),
    "two_step": ((0, 9), (4, 12)),
    "broken": ((0, 6, 11), (4, 13)),
    "syncopated": ((0, 3, 8, 11), (6, 14)),
    "free": ((), ()),
}

RGB = tuple[int, int, int]


def genre_image(genre: Genre, *, color: str) -> Image.Image:
    """Draw the artwork of one genre.

    Parameters
    ----------
    genre : Genre
        The record; its rhythm, tempo and profile shape the picture.
    color : str
        The family colour, ``#rrggbb``.

    Returns
    -------
    PIL.Image.Image
        A ``P``-mode (palette) image of IMAGE_SIZE x IMAGE_SIZE pixels.

    Raises
    ------
    InvalidParameterError
        ``color`` is not ``#rrggbb``.
    """
    base = _parse_color(color)
    scale = SUPERSAMPLE
    canvas = Image.new("RGB", (IMAGE_SIZE * scale, IMAGE_SIZE * scale), _mix(base, BLACK, 0.8))
    draw = ImageDraw.Draw(canvas)
    rng = np.random.default_rng(_seed(genre.slug))
    centre = (IMAGE_SIZE / 2 * scale, 114 * scale)
    _draw_tempo_dots(draw, genre, centre=centre, radius=105 * scale, base=base, scale=scale)
    _draw_rhythm_wheel(draw, genre, rng, centre=centre, base=base, scale=scale)
    _draw_spectrum(draw, genre, rng, centre=centre, radius=(12 * scale, 58 * scale), base=base)
    _draw_name_band(draw, genre, base=base, scale=scale)
    small = canvas.resize((IMAGE_SIZE, IMAGE_SIZE), Image.Resampling.LANCZOS)
    return small.quantize(colors=PALETTE_COLORS, method=Image.Quantize.MEDIANCUT,
                          dither=Image.Dither.NONE)


def genre_image_png(genre: Genre, *, color: str) -> bytes:
    """The artwork of ``genre_image`` encoded as an optimised PNG."""
    buffer = io.BytesIO()
    genre_image(genre, color=color).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write_genre_images(
    taxonomy: Taxonomy, *, out_dir: str | os.PathLike[str], slugs: Sequence[str] | None = None
) -> list[Path]:
    """Write ``<out_dir>/<slug>.png`` for every genre (or the listed ``slugs``).

    A file whose bytes are already right is left untouched, so re-running changes nothing.

    Parameters
    ----------
    taxonomy : Taxonomy
        Where the genres and family colours come from.
    out_dir : str or os.PathLike
        Target folder, created if missing.
    slugs : sequence of str, optional
        Only these genres.

    Returns
    -------
    list of Path
        The files written or confirmed, in taxonomy order.

    Raises
    ------
    InvalidParameterError
        A slug in ``slugs`` is not a genre of the taxonomy.
    """
    genres = taxonomy.genres if slugs is None else tuple(taxonomy.genre(s) for s in slugs)
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for genre in genres:
        data = genre_image_png(genre, color=taxonomy.family(genre.family).color)
        path = folder / f"{genre.slug}.png"
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
        paths.append(path)
    return paths


WHITE: RGB = (255, 255, 255)
BLACK: RGB = (0, 0, 0)


def _parse_color(color: str) -> RGB:
    text = color.lstrip("#")
    if len(text) != 6 or not color.startswith("#"):
        raise InvalidParameterError(f"color must be #rrggbb, got {color!r}")
    try:
        return (int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16))
    except ValueError:
        raise InvalidParameterError(f"color must be #rrggbb, got {color!r}") from None


def _mix(a: RGB, b: RGB, amount: float) -> RGB:
    """``a`` moved towards ``b`` by ``amount`` (0 keeps ``a``)."""
    r, g, bl = (round(x + (y - x) * amount) for x, y in zip(a, b, strict=True))
    return (r, g, bl)


def _seed(slug: str) -> int:
    # A stable hash (Python's hash() is salted per process).
    return int.from_bytes(hashlib.sha256(slug.encode("utf-8")).digest()[:8], "big")


def _mid(bounds: tuple[float, float]) -> float:
    return (bounds[0] + bounds[1]) / 2


def _draw_tempo_dots(
    draw: ImageDraw.ImageDraw, genre: Genre, *, centre: tuple[float, float], radius: float,
    base: RGB, scale: int,
) -> None:
    """One dot per 4 BPM of the typical tempo: fast genres get a dense outer ring."""
    count = max(8, round(_mid(genre.tempo_bpm) / 4))
    dot = 1.6 * scale
    fill = _mix(base, WHITE, 0.35)
    for n in range(count):
        angle = -math.pi / 2 + 2 * math.pi * n / count
        x = centre[0] + radius * math.cos(angle)
        y = centre[1] + radius * math.sin(angle)
        draw.ellipse((x - dot, y - dot, x + dot, y + dot), fill=fill)


def _hat_steps(genre: Genre, rng: np.random.Generator) -> set[int]:
    """Hat steps: busier genres (higher onset rate) fill more sixteenths."""
    onsets = _mid(genre.profile.onset_rate_hz)
    if genre.rhythm == "free":
        return {int(s) for s in rng.choice(STEPS, size=3, replace=False)}
    if onsets >= 6.0:
        return set(range(STEPS))
    if onsets >= 3.5:
        return set(range(0, STEPS, 2))
    return set(range(2, STEPS, 4))


def _draw_rhythm_wheel(
    draw: ImageDraw.ImageDraw, genre: Genre, rng: np.random.Generator, *,
    centre: tuple[float, float], base: RGB, scale: int,
) -> None:
    kicks, snares = RHYTHM_PATTERNS[genre.rhythm]
    hats = _hat_steps(genre, rng)
    # Outermost first: each ring is a full pie whose centre is then cut out again.
    rings = (
        ((92, 99), hats, _mix(base, WHITE, 0.75)),
        ((80, 90), set(snares), _mix(base, WHITE, 0.45)),
        ((62, 78), set(kicks), _mix(base, WHITE, 0.15)),
    )
    off = _mix(base, BLACK, 0.65)
    gap = 3.0  # degrees between steps
    cx, cy = centre
    for (inner, outer), hits, on in rings:
        box = (cx - outer * scale, cy - outer * scale, cx + outer * scale, cy + outer * scale)
        for step in range(STEPS):
            start = -90 + step * 360 / STEPS + gap / 2
            end = start + 360 / STEPS - gap
            draw.pieslice(box, start, end, fill=on if step in hits else off)
        hole = inner * scale
        draw.ellipse((cx - hole, cy - hole, cx + hole, cy + hole), fill=_mix(base, BLACK, 0.8))


def _band_energies(genre: Genre, rng: np.random.Generator) -> np.ndarray:
    """A plausible spectrum shape (0..1 per band) from the profile's bass, centroid, flatness."""
    profile = genre.profile
    freqs = np.geomspace(*FREQ_RANGE_HZ, BANDS)
    log_f = np.log2(freqs)
    centroid = math.log2(_mid(profile.spectral_centroid_hz))
    flatness = _mid(profile.spectral_flatness)
    width = 1.2 + 12.0 * flatness  # octaves: noisier genres spread wider
    body = np.exp(-0.5 * ((log_f - centroid) / width) ** 2)
    bass = _mid(profile.bass_weight) * 1.6 * np.exp(-0.5 * ((log_f - math.log2(60.0)) / 0.9) ** 2)
    noise = np.convolve(rng.standard_normal(BANDS + 2), np.ones(3) / 3, mode="valid")
    jitter = 1.0 + (0.08 + flatness * 1.5) * noise
    energy = np.clip((body * 0.8 + bass) * jitter, 0.02, None)
    out: np.ndarray = np.clip(energy / energy.max(), 0.0, 1.0)
    return out


def _draw_spectrum(
    draw: ImageDraw.ImageDraw, genre: Genre, rng: np.random.Generator, *,
    centre: tuple[float, float], radius: tuple[float, float], base: RGB,
) -> None:
    """Mirrored radial spectrum: bass at the top, treble at the bottom, both halves alike."""
    energy = _band_energies(genre, rng)
    lo, hi = radius
    cx, cy = centre
    half = [
        (math.pi * n / (BANDS - 1), lo + (hi - lo) * float(e)) for n, e in enumerate(energy)
    ]
    outline = [(cx + r * math.sin(a), cy - r * math.cos(a)) for a, r in half]
    outline += [(cx - r * math.sin(a), cy - r * math.cos(a)) for a, r in reversed(half)]
    draw.polygon(outline, fill=_mix(base, WHITE, 0.2))
    inner = [(cx + (x - cx) * 0.55, cy + (y - cy) * 0.55) for x, y in outline]
    draw.polygon(inner, fill=_mix(base, WHITE, 0.6))


def _fit_name(
    draw: ImageDraw.ImageDraw, name: str, *, width: float, scale: int
) -> tuple[list[str], ImageFont.FreeTypeFont | ImageFont.ImageFont]:
    """The largest font (and line split: one line, else two) that fits the band's width."""
    words = name.split()
    splits = [[name]] + [
        [" ".join(words[:k]), " ".join(words[k:])] for k in range(1, len(words))
    ]
    font: ImageFont.FreeTypeFont | ImageFont.ImageFont = ImageFont.load_default(NAME_FONT_MIN)
    for size in range(NAME_FONT_MAX, NAME_FONT_MIN - 1, -1):
        font = ImageFont.load_default(size * scale)
        for lines in splits if size <= TWO_LINE_FONT_MAX else splits[:1]:
            if max(draw.textlength(line, font=font) for line in lines) <= width:
                return lines, font
    return splits[-1], font


def _draw_name_band(draw: ImageDraw.ImageDraw, genre: Genre, *, base: RGB, scale: int) -> None:
    size = IMAGE_SIZE * scale
    draw.rectangle((0, BAND_TOP * scale, size, size), fill=_mix(base, BLACK, 0.5))
    draw.rectangle((0, BAND_TOP * scale, size, (BAND_TOP + 3) * scale), fill=base)
    width = (IMAGE_SIZE - 2 * TEXT_MARGIN) * scale
    lines, font = _fit_name(draw, genre.name, width=width, scale=scale)
    caption_font = ImageFont.load_default(CAPTION_FONT * scale)
    lo, hi = genre.tempo_bpm
    caption = f"{lo:g}-{hi:g} BPM"
    line_height = font.size if isinstance(font, ImageFont.FreeTypeFont) else 12 * scale
    block = len(lines) * line_height * 1.08 + CAPTION_FONT * scale * 1.3
    top = BAND_TOP * scale + ((size - BAND_TOP * scale) - block) / 2 + 2 * scale
    for n, line in enumerate(lines):
        draw.text((size / 2, top + n * line_height * 1.08), line, font=font, anchor="mt",
                  fill=WHITE, stroke_width=scale, stroke_fill=WHITE)
    draw.text((size / 2, top + len(lines) * line_height * 1.08 + 3 * scale), caption,
              font=caption_font, anchor="mt", fill=_mix(base, WHITE, 0.7))
