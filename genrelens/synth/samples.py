"""Real instrument samples from Debian packages: discovery, role mapping, loading and caching,
and the fixed split of kits into training and held-out ("ood") sets.

Sources (all optional; without them the renderer falls back to pure synthesis, so tests pass
anywhere): ``sonic-pi-samples`` (CC0) under /usr/share/sonic-pi/samples, ``hydrogen-drumkits``
under /usr/share/hydrogen/data/drumkits (one folder and drumkit.xml per kit), and
``lmms-common`` one-shots and beat loops under /usr/share/lmms/samples, and the General MIDI
sound font of ``fluid-soundfont-gm`` rendered once per machine through the ``fluidsynth``
command into a cache of note samples (pianos, strings, organs, pads). Licences are listed in
docs/renderer.md. Set ``GENRELENS_NO_SAMPLES=1`` to render with synthesis only, or e.g.
``GENRELENS_SAMPLE_LICENCES=CC0,MIT`` to use only sources under those licences.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from genrelens.synth.dsp import FloatArray
from genrelens.synth.variation import Variant

__all__ = [
    "SONIC_PI_DIR",
    "HYDROGEN_DIR",
    "LMMS_DIR",
    "OOD_KITS",
    "OOD_LOOPS",
    "NO_SAMPLES_ENV",
    "LICENCES_ENV",
    "SOURCE_LICENCES",
    "licence_allowed",
    "sources_in_use",
    "Kit",
    "BreakLoop",
    "SampleLibrary",
    "discover",
    "library",
    "load_sample",
    "SOUND_FONT",
    "GM_PROGRAMS",
    "GM_NOTES",
    "gm_available",
    "gm_note",
    "prepare",
]

SONIC_PI_DIR = Path("/usr/share/sonic-pi/samples")
HYDROGEN_DIR = Path("/usr/share/hydrogen/data/drumkits")
LMMS_DIR = Path("/usr/share/lmms/samples")
SOUND_FONT = Path("/usr/share/sounds/sf2/FluidR3_GM.sf2")
NO_SAMPLES_ENV = "GENRELENS_NO_SAMPLES"
LICENCES_ENV = "GENRELENS_SAMPLE_LICENCES"

#: Licence of each sample source, from /usr/share/doc/<package>/copyright ("sonic-pi" covers
#: its textures and vinyl hiss, "gm" the FluidR3 GM sound font).
SOURCE_LICENCES: dict[str, str] = {
    "sonic-pi": "CC0", "sonic-pi-electronic": "CC0", "sonic-pi-acoustic": "CC0",
    "sonic-pi-loop_amen": "CC0", "sonic-pi-loop_amen_full": "CC0",
    "sonic-pi-loop_breakbeat": "CC0", "Audiophob": "CC0", "gm": "MIT",
    "ElectricEmpireKit": "GPL-2+", "HardElectro1": "GPL-2+", "VariBreaks": "GPL-2+",
    "ColomboAcousticDrumkit": "GPL-2+", "Millo-Drums_v.1": "GPL-2",
    "Millo_MultiLayered2": "GPL-2", "Millo_MultiLayered3": "GPL-2", "Gimme A Hand 1.0": "GPL-2",
    "The Black Pearl 1.0": "GPL-2", "ForzeeStereo": "GPL-2", "circAfrique v4": "CC-BY-SA-3.0",
    "BJA_Pacific": "CC-BY-SA-3.0", "rumpf_kit_z01_h2": "CC-BY-3.0", "lmms-drums": "GPL-2+",
    "lmms-break01": "GPL-2+", "lmms-break02": "GPL-2+", "lmms-break03": "GPL-2+",
    "lmms-jungle01": "GPL-2+",
}

#: Kits never used for training clips: the ood variant draws only from these, so the
#: evaluation hears drum sounds the model never heard (one electronic, two acoustic, one
#: percussion kit).
OOD_KITS = frozenset({"HardElectro1", "The Black Pearl 1.0", "Millo_MultiLayered3",
                      "circAfrique v4"})
#: Break loops held out the same way (the LMMS beat loops).
OOD_LOOPS = frozenset({"lmms-break01", "lmms-break02", "lmms-break03", "lmms-jungle01"})

#: Kit styles; grammars ask for "electronic" or "acoustic" kits.
ELECTRONIC_KITS = frozenset({"ElectricEmpireKit", "HardElectro1", "Audiophob",
                             "sonic-pi-electronic", "lmms-drums"})
PERCUSSION_KITS = frozenset({"Gimme A Hand 1.0", "circAfrique v4"})

#: Longest one-shot kept [seconds]; tails beyond are cut (bounds memory and convolution).
MAX_ONE_SHOT_S = 1.5
#: Longest loop or texture kept [seconds].
MAX_LOOP_S = 8.0

# Instrument-name keywords of hydrogen kits -> renderer drum role (first match wins).
_ROLE_RULES: tuple[tuple[str, str], ...] = (
    (r"kick|bass ?drum|\bbd\b|bassdrum", "kick"),
    (r"clap|snap", "clap"),
    (r"snare(?!.*roll)|\bsd\b", "snare"),
    (r"open|ohh|semi-open", "ohat"),
    (r"hat|\bhh\b|hihat", "hat"),
    (r"crash|splash|china|cymbal", "crash"),
    (r"tom", "tom"),
    (r"cowbell", "cowbell"),
    (r"rim|stick|clave|wood", "rim"),
    (r"shake|maraca|tambourine|cabasa", "shaker"),
    (r"conga|bongo|djembe|tabla|cajon|sangban|kenkeni|dundun|perc|agogo", "perc"),
)

# Sonic Pi file-name prefixes -> (kit, role).
_SONIC_PI_RULES: tuple[tuple[str, str, str], ...] = (
    ("bd_", "sonic-pi-electronic", "kick"),
    ("elec_soft_kick", "sonic-pi-electronic", "kick"),
    ("elec_hollow_kick", "sonic-pi-electronic", "kick"),
    ("sn_", "sonic-pi-electronic", "snare"),
    ("elec_", "sonic-pi-electronic", "perc"),
    ("perc_snap", "sonic-pi-electronic", "clap"),
    ("drum_heavy_kick", "sonic-pi-acoustic", "kick"),
    ("drum_bass_", "sonic-pi-acoustic", "kick"),
    ("drum_snare_", "sonic-pi-acoustic", "snare"),
    ("drum_cymbal_closed", "sonic-pi-acoustic", "hat"),
    ("drum_cymbal_pedal", "sonic-pi-acoustic", "hat"),
    ("drum_cymbal_open", "sonic-pi-acoustic", "ohat"),
    ("drum_cymbal_", "sonic-pi-acoustic", "crash"),
    ("drum_splash_", "sonic-pi-acoustic", "crash"),
    ("drum_tom_", "sonic-pi-acoustic", "tom"),
    ("drum_cowbell", "sonic-pi-acoustic", "cowbell"),
    ("tabla_", "sonic-pi-acoustic", "perc"),
)
_SNARE_LIKE_ELEC = ("elec_snare", "elec_hi_snare", "elec_lo_snare", "elec_mid_snare",
                    "elec_filt_snare")

# LMMS one-shot file-name prefixes -> role (kit "lmms-drums").
_LMMS_RULES: tuple[tuple[str, str], ...] = (
    ("bassdrum", "kick"), ("kick", "kick"), ("clap", "clap"), ("snare", "snare"),
    ("nasty_snare", "snare"), ("hihat_opened", "ohat"), ("hihat", "hat"), ("crash", "crash"),
    ("tom", "tom"), ("shaker", "shaker"), ("rim", "rim"), ("sidestick", "rim"),
    ("nasty_rim", "rim"), ("wood", "rim"), ("clav", "rim"),
)


@dataclass(frozen=True)
class Kit:
    """A drum kit: its name, style and sample files per drum role."""

    name: str
    style: str
    roles: dict[str, tuple[Path, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class BreakLoop:
    """A drum break loop of ``bars`` bars in 4/4 (to chop and re-sequence)."""

    name: str
    path: Path
    bars: int


@dataclass(frozen=True)
class SampleLibrary:
    """Every usable sample found on this machine, split by variant."""

    kits: tuple[Kit, ...]
    loops: tuple[BreakLoop, ...]
    textures: tuple[Path, ...]
    vinyl: tuple[Path, ...]

    def kits_for(self, variant: Variant, style: str) -> tuple[Kit, ...]:
        """Kits of ``variant`` (training kits, or only the held-out ones) matching ``style``."""
        pool = tuple(k for k in self.kits if (k.name in OOD_KITS) == (variant == "ood")
                     and k.style != "percussion")
        if style == "any":
            return pool
        return tuple(k for k in pool if k.style == style) or pool

    def percussion_for(self, variant: Variant) -> tuple[Kit, ...]:
        return tuple(k for k in self.kits if k.style == "percussion"
                     and (k.name in OOD_KITS) == (variant == "ood"))

    def loops_for(self, variant: Variant) -> tuple[BreakLoop, ...]:
        return tuple(lp for lp in self.loops if (lp.name in OOD_LOOPS) == (variant == "ood"))


def _hydrogen_kits(root: Path) -> list[Kit]:
    kits: list[Kit] = []
    for xml_path in sorted(root.glob("*/drumkit.xml")):
        try:
            tree = ET.parse(xml_path)
        except ET.ParseError:
            continue
        roles: dict[str, list[Path]] = {}
        for inst in tree.getroot().iter():
            if not inst.tag.endswith("instrument"):
                continue
            name = (inst.findtext("{*}name") or inst.findtext("name") or "").lower()
            files = [e.text for e in inst.iter() if e.tag.endswith("filename") and e.text]
            if not files:
                continue
            path = xml_path.parent / files[0]
            role = next((r for pat, r in _ROLE_RULES if re.search(pat, name)), None)
            if role and path.is_file():
                roles.setdefault(role, []).append(path)
        if roles:
            name = xml_path.parent.name
            style = ("electronic" if name in ELECTRONIC_KITS else
                     "percussion" if name in PERCUSSION_KITS else "acoustic")
            kits.append(Kit(name, style, {r: tuple(p) for r, p in sorted(roles.items())}))
    return kits


def _prefix_kits(files: list[Path], rules: tuple[tuple[str, str, str], ...]) -> list[Kit]:
    roles: dict[str, dict[str, list[Path]]] = {}
    for path in files:
        stem = path.stem
        for prefix, kit, role in rules:
            if stem.startswith(prefix):
                if stem.startswith(_SNARE_LIKE_ELEC):
                    role = "snare"
                roles.setdefault(kit, {}).setdefault(role, []).append(path)
                break
    return [Kit(k, "electronic" if k in ELECTRONIC_KITS else "acoustic",
                {r: tuple(p) for r, p in sorted(v.items())}) for k, v in sorted(roles.items())]


def _loop_bars(path: Path) -> int:
    """Bars of a loop: the count (1, 2 or 4) whose implied tempo is nearest 150 BPM."""
    seconds = sf.info(str(path)).duration
    return min((1, 2, 4), key=lambda b: abs(240.0 * b / seconds - 150.0))


def discover(sonic_pi: Path = SONIC_PI_DIR, hydrogen: Path = HYDROGEN_DIR,
             lmms: Path = LMMS_DIR) -> SampleLibrary:
    """Scan the package folders (sorted, so the library is the same on every run)."""
    kits: list[Kit] = []
    loops: list[BreakLoop] = []
    textures: list[Path] = []
    vinyl: list[Path] = []
    if sonic_pi.is_dir():
        flacs = sorted(sonic_pi.glob("*.flac"))
        kits += _prefix_kits(flacs, _SONIC_PI_RULES)
        for name in ("loop_amen", "loop_amen_full", "loop_breakbeat"):
            p = sonic_pi / f"{name}.flac"
            if p.is_file():
                loops.append(BreakLoop(f"sonic-pi-{name}", p, _loop_bars(p)))
        textures += [p for p in flacs if p.stem.startswith("ambi_")]
        vinyl += [p for p in flacs if p.stem == "vinyl_hiss"]
    if hydrogen.is_dir():
        kits += _hydrogen_kits(hydrogen)
    drums = lmms / "drums"
    if drums.is_dir():
        rules = tuple((pre, "lmms-drums", role) for pre, role in _LMMS_RULES)
        kits += _prefix_kits(sorted(drums.glob("*.ogg")), rules)
    beats = lmms / "beats"
    for name in ("break01", "break02", "break03", "jungle01"):
        p = beats / f"{name}.ogg"
        if p.is_file():
            loops.append(BreakLoop(f"lmms-{name}", p, _loop_bars(p)))
    return SampleLibrary(tuple(kits), tuple(loops), tuple(textures), tuple(vinyl))


def sources_in_use() -> tuple[str, ...]:
    """Names of the sample sources renders use on this machine, sorted.

    The same seed renders different audio when a package is missing (the renderer then
    synthesises instead), so caches of rendered clips must name these.
    """
    lib = library()
    names = {k.name for k in lib.kits} | {lp.name for lp in lib.loops}
    if lib.textures or lib.vinyl:
        names.add("sonic-pi")
    if gm_available():
        names.add("gm")
    return tuple(sorted(names))


def licence_allowed(source: str) -> bool:
    """Whether ``source`` (a kit, loop, "sonic-pi" or "gm") may be used under the licences
    listed in ``GENRELENS_SAMPLE_LICENCES`` (all when unset; unknown sources never when set)."""
    wanted = os.environ.get(LICENCES_ENV, "").strip()
    if not wanted:
        return True
    allowed = {w.strip().upper() for w in wanted.split(",") if w.strip()}
    return SOURCE_LICENCES.get(source, "unknown").upper() in allowed


@functools.cache
def library() -> SampleLibrary:
    """The machine's sample library, discovered once per process (empty when disabled, and
    limited to the licences of ``GENRELENS_SAMPLE_LICENCES`` when that is set)."""
    if os.environ.get(NO_SAMPLES_ENV, "") not in ("", "0"):
        return SampleLibrary((), (), (), ())
    found = discover()
    sonic = licence_allowed("sonic-pi")
    return SampleLibrary(tuple(k for k in found.kits if licence_allowed(k.name)),
                         tuple(lp for lp in found.loops if licence_allowed(lp.name)),
                         found.textures if sonic else (), found.vinyl if sonic else ())


@functools.lru_cache(maxsize=512)
def load_sample(path: Path, sr: int, max_seconds: float = MAX_ONE_SHOT_S,
                trim: bool = True) -> FloatArray:
    """A sample as mono float64 at ``sr``, cut to ``max_seconds`` and peak-normalised, with its
    leading silence trimmed when ``trim`` (one-shots; loops keep their timing); cached per
    process, so a worker loads each file once.

    Returns an empty array when the file cannot be decoded, so one broken package file never
    stops a dataset build; the caller then synthesises that sound.
    """
    try:
        with sf.SoundFile(str(path)) as f:
            frames = min(f.frames, int(max_seconds * 1.2 * f.samplerate) + f.samplerate)
            data = f.read(frames, dtype="float64", always_2d=True)
            native = f.samplerate
    except (sf.LibsndfileError, RuntimeError, ValueError):
        return np.zeros(0)
    mono = data.mean(axis=1)
    if native != sr and mono.size:
        mono = np.asarray(soxr.resample(mono, native, sr), dtype=np.float64)
    loud = np.flatnonzero(np.abs(mono) > 0.02 * (np.max(np.abs(mono)) + 1e-12))
    if loud.size == 0:
        return np.zeros(0)
    mono = mono[max(loud[0] - 16, 0) if trim else 0 :][: int(max_seconds * sr)]
    fade = min(mono.size, int(0.01 * sr))
    mono[-fade:] *= np.linspace(1.0, 0.0, fade)
    return np.asarray(mono / (np.max(np.abs(mono)) + 1e-12))


#: General MIDI programs per chord instrument: (training program, held-out program).
#: 4/5 electric pianos 1/2, 48/49 string ensembles 1/2, 16/17 drawbar/percussive organ,
#: 89/90 warm/polysynth pads, 0/1 acoustic grand/bright piano.
GM_PROGRAMS: dict[str, tuple[int, int]] = {"epiano": (4, 5), "strings": (48, 49),
                                           "organ": (16, 17), "pad": (89, 90), "piano": (0, 1)}
#: Notes rendered per program (every third semitone, C2..C6); others are resampled from the
#: nearest one (at most 1.5 semitones, which keeps the timbre).
GM_NOTES = tuple(range(36, 85, 3))
#: Held length and slot length of each rendered note [seconds].
GM_HOLD_S, GM_SLOT_S = 1.5, 2.0
#: MIDI ticks per quarter note (at the default 120 BPM, 480 ticks = 0.5 s).
_TICKS = 480
#: Longest fluidsynth run [seconds] (one program, about 35 s of audio).
FLUIDSYNTH_TIMEOUT_S = 120.0


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "genrelens" / "gm"


def gm_available() -> bool:
    """True when the sound font and the fluidsynth command are installed (and samples on)."""
    return (os.environ.get(NO_SAMPLES_ENV, "") in ("", "0") and licence_allowed("gm")
            and SOUND_FONT.is_file() and shutil.which("fluidsynth") is not None)


def _vlq(value: int) -> bytes:
    """MIDI variable-length quantity."""
    out = [value & 0x7F]
    value >>= 7
    while value:
        out.append(0x80 | (value & 0x7F))
        value >>= 7
    return bytes(reversed(out))


def _midi_notes(program: int) -> bytes:
    """A one-track MIDI file: ``program``, then each of :data:`GM_NOTES` held ``GM_HOLD_S``
    in its own ``GM_SLOT_S`` slot."""
    hold = int(GM_HOLD_S * 2 * _TICKS)
    gap = int((GM_SLOT_S - GM_HOLD_S) * 2 * _TICKS)
    events = bytearray(_vlq(0) + bytes([0xC0, program]))
    for i, note in enumerate(GM_NOTES):
        events += _vlq(gap if i else 0) + bytes([0x90, note, 100])
        events += _vlq(hold) + bytes([0x80, note, 0])
    events += _vlq(int(GM_SLOT_S * 2 * _TICKS)) + bytes([0xFF, 0x2F, 0x00])
    header = b"MThd" + (6).to_bytes(4, "big") + (0).to_bytes(2, "big") + (1).to_bytes(
        2, "big") + _TICKS.to_bytes(2, "big")
    return header + b"MTrk" + len(events).to_bytes(4, "big") + bytes(events)


def _gm_program_file(program: int) -> Path | None:
    """Cached FLAC of every note of ``program`` (rendered by fluidsynth on first use; dry:
    reverb and chorus off, the renderer adds its own)."""
    target = _cache_dir() / f"program-{program:03d}.flac"
    if target.is_file():
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
            mid, wav = Path(tmp) / "notes.mid", Path(tmp) / "notes.wav"
            mid.write_bytes(_midi_notes(program))
            cmd = ["fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-g", "0.6", "-r", "44100",
                   "-F", str(wav), str(SOUND_FONT), str(mid)]
            subprocess.run(cmd, check=True, capture_output=True, timeout=FLUIDSYNTH_TIMEOUT_S)
            data, rate = sf.read(str(wav), dtype="float64", always_2d=True)
            part = Path(tmp) / "program.flac"
            sf.write(str(part), data.mean(axis=1), rate, format="FLAC", subtype="PCM_24")
            os.replace(part, target)
    except (OSError, subprocess.SubprocessError, sf.LibsndfileError):
        return None  # unwritable cache or fluidsynth failure: the renderer synthesises instead
    return target


@functools.lru_cache(maxsize=16)
def _gm_program(program: int, sr: int) -> FloatArray:
    path = _gm_program_file(program)
    if path is None:
        return np.zeros(0)
    data, rate = sf.read(str(path), dtype="float64")
    if rate != sr:
        data = soxr.resample(data, rate, sr)
    return np.asarray(data, dtype=np.float64)


def gm_note(program: int, pitch: int, *, sr: int) -> FloatArray:
    """One note of a General MIDI program from the sound font [shape=(~GM_SLOT_S * sr,)]:
    the nearest rendered note, resampled to ``pitch``. Empty when unavailable."""
    if not gm_available():
        return np.zeros(0)
    audio = _gm_program(program, sr)
    if audio.size == 0:
        return audio
    idx = int(np.argmin([abs(n - pitch) for n in GM_NOTES]))
    slot = int(GM_SLOT_S * sr)
    note = audio[idx * slot : (idx + 1) * slot]
    ratio = 2.0 ** ((pitch - GM_NOTES[idx]) / 12.0)
    if ratio != 1.0 and note.size:
        positions = np.arange(0, note.size - 1, ratio)
        note = np.interp(positions, np.arange(note.size), note)
    return note


def prepare(sr: int) -> None:
    """Discover the library and render every GM program once, before worker processes start,
    so that workers share the caches instead of racing to build them."""
    library()
    if gm_available():
        for programs in GM_PROGRAMS.values():
            for program in programs:
                _gm_program(program, sr)
