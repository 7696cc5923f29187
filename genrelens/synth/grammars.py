"""One declarative :class:`GenreGrammar` per modelled genre: how the genre is produced.

A grammar says which tempo range and groove the genre uses, which drum pattern family and
drum sounds, which bass style, what harmony and chord instrument, how sections are arranged
and which effects are typical. The renderer draws every clip from its genre's grammar; the
choices are probabilistic so that two clips of one genre differ as two real tracks do, while
the traits that define the genre (tempo, groove, bass style, sound palette) stay put.

The facts encoded follow common production practice, e.g. dub techno: muffled minor chord
stabs through long feedback delays and reverb; psytrance: a rolling 16th bass on the three
off-16ths of each beat at 138-148 BPM; riddim: sparse half-time at 140-150 with square-wave
wobbles; footwork: triplet kick patterns near 160 BPM; amapiano: log drum, shakers and sparse
kicks. Tempo ranges are those of data/taxonomy.yaml (a test keeps them equal).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from genrelens.errors import InvalidParameterError
from genrelens.synth.instruments import KickStyle, SnareStyle

__all__ = [
    "DrumPattern",
    "BassStyle",
    "ChordStyle",
    "LeadStyle",
    "HatStyle",
    "Section",
    "GenreGrammar",
    "GRAMMARS",
    "GENRES",
    "grammar_for",
]

#: The drum-pattern generators of ``synth.patterns``: how to render a groove, finer than the
#: rhythm vocabulary (``features.rhythm.Rhythm``) a genre's profile and the detector use.
DrumPattern = Literal["four_floor", "breakbeat", "dnb", "jungle", "half_time", "two_step", "trap",
                      "footwork", "dembow", "amapiano", "electro", "backbeat", "boom_bap", "broken",
                      "none"]
BassStyle = Literal["sub", "reese", "acid", "wobble", "riddim", "rolling", "offbeat", "octave",
                    "eighths", "sixteenths", "808", "log_drum", "funk", "warp", "reverse",
                    "none"]
ChordStyle = Literal["pad", "stab", "dub_chord", "supersaw", "pluck", "organ", "epiano",
                     "piano", "strings", "bell", "none"]
LeadStyle = Literal["arp", "saw_lead", "square_lead", "pluck_lead", "bell_lead", "none"]
HatStyle = Literal["offbeat", "eighths", "sixteenths", "shuffle", "trap_rolls", "sparse", "none"]
Section = Literal["intro", "build", "drop", "breakdown"]


@dataclass(frozen=True)
class GenreGrammar:
    """How one genre is produced; every field is a range, a probability or a set of choices.

    Ranges are ``(lo, hi)``; a ``tuple`` of styles is a set to choose from uniformly (a style
    listed twice is twice as likely).
    """

    slug: str
    family: str
    tempo_bpm: tuple[float, float]
    rhythm: DrumPattern
    #: Swing of the off 16ths as a share of a 16th (0 straight, 0.33 = triplet shuffle).
    swing: tuple[float, float] = (0.0, 0.04)
    kick: tuple[KickStyle, ...] = ("punchy",)
    snare: tuple[SnareStyle, ...] = ("tight",)
    clap_prob: float = 0.5
    hats: tuple[HatStyle, ...] = ("offbeat", "sixteenths")
    open_hat_prob: float = 0.5
    perc_prob: float = 0.4
    shaker_prob: float = 0.2
    ghost_prob: float = 0.2
    fill_prob: float = 0.4
    #: Probability of using a chopped real break loop (jungle, big beat, trip-hop).
    break_loop_prob: float = 0.0
    #: Drum sample kits to prefer: "electronic", "acoustic" or "any".
    kit_style: Literal["electronic", "acoustic", "any"] = "electronic"
    bass: tuple[BassStyle, ...] = ("sub",)
    bass_octave: int = 1
    major_prob: float = 0.2
    scale_hint: str | None = None
    progression: Literal["auto", "vamp", "jazzy"] = "auto"
    chord_prob: float = 0.7
    chords: tuple[ChordStyle, ...] = ("pad", "stab")
    chord_size: tuple[int, int] = (3, 4)
    bars_per_chord: tuple[int, ...] = (1, 2)
    lead_prob: float = 0.3
    leads: tuple[LeadStyle, ...] = ("arp",)
    sections: dict[Section, float] = field(
        default_factory=lambda: {"drop": 0.6, "intro": 0.15, "breakdown": 0.1, "build": 0.15})
    sidechain: tuple[float, float] = (0.0, 0.0)
    reverb_wet: tuple[float, float] = (0.05, 0.2)
    reverb_decay_s: tuple[float, float] = (0.8, 2.0)
    delay_prob: float = 0.3
    delay_feedback: tuple[float, float] = (0.2, 0.45)
    bus_drive: tuple[float, float] = (1.0, 1.5)
    bitcrush_prob: float = 0.0
    #: Probability of a muffled (low-passed) master and its cutoff range [Hz].
    muffle_prob: float = 0.0
    muffle_hz: tuple[float, float] = (2500.0, 5000.0)
    vinyl_prob: float = 0.0
    riser_prob: float = 0.3
    texture_prob: float = 0.1
    #: Loudness of the master as RMS [dBFS]; louder genres are mastered hotter.
    loudness_db: tuple[float, float] = (-14.0, -9.0)


def _g(slug: str, family: str, tempo: tuple[float, float], rhythm: DrumPattern,
       base: dict[str, object] | None = None, **kw: object) -> GenreGrammar:
    """A grammar from a family's shared settings ``base``, overridden by ``kw``."""
    return GenreGrammar(slug, family, tempo, rhythm, **{**(base or {}), **kw})  # type: ignore[arg-type]


_HOUSE = dict(kick=("punchy", "deep"), hats=("offbeat", "sixteenths"), clap_prob=0.8,
              sidechain=(0.2, 0.5), swing=(0.0, 0.12))
_TECHNO = dict(kick=("punchy", "deep"), hats=("offbeat", "sixteenths"), clap_prob=0.5,
               chord_prob=0.4, progression="vamp", sidechain=(0.1, 0.4), major_prob=0.05)
_TRANCE = dict(kick=("punchy",), hats=("offbeat",), bass=("offbeat", "rolling"),
               chords=("supersaw", "pad", "pluck"), chord_prob=0.85, lead_prob=0.6,
               leads=("arp", "saw_lead", "pluck_lead"), sidechain=(0.3, 0.6),
               reverb_wet=(0.15, 0.35), delay_prob=0.6, riser_prob=0.5,
               sections={"drop": 0.45, "breakdown": 0.25, "build": 0.2, "intro": 0.1})
_DNB = dict(kick=("punchy", "acoustic"), snare=("fat", "tight"), hats=("eighths", "sixteenths"),
            clap_prob=0.2, ghost_prob=0.6, fill_prob=0.5, kit_style="any", major_prob=0.15)
_DUB = dict(kick=("punchy", "808"), snare=("fat",), hats=("eighths", "sparse"), clap_prob=0.4,
            major_prob=0.05, chord_prob=0.3, sections={"drop": 0.65, "intro": 0.1,
                                                       "breakdown": 0.1, "build": 0.15})
_HARD = dict(hats=("offbeat",), clap_prob=0.5, open_hat_prob=0.3, sidechain=(0.3, 0.6),
             bus_drive=(1.5, 3.0), loudness_db=(-9.0, -6.0), riser_prob=0.4)
_DOWN = dict(swing=(0.08, 0.25), kit_style="acoustic", sidechain=(0.0, 0.0),
             reverb_wet=(0.1, 0.3), loudness_db=(-18.0, -12.0), riser_prob=0.05,
             sections={"drop": 0.8, "intro": 0.15, "breakdown": 0.05})
_DISCO = dict(kick=("punchy", "acoustic"), hats=("offbeat", "sixteenths"), open_hat_prob=0.8,
              clap_prob=0.7, bass=("octave", "funk"), major_prob=0.55, kit_style="any",
              chords=("strings", "epiano", "stab"), chord_prob=0.85)

_GRAMMAR_LIST: tuple[GenreGrammar, ...] = (
    # --- house -------------------------------------------------------------------------------
    _g("deep-house", "house", (118, 125), "four_floor", _HOUSE, bass=("funk", "sub"),
       chords=("organ", "epiano", "piano", "stab", "pad"), chord_size=(4, 5), progression="jazzy",
       chord_prob=0.9, major_prob=0.35, reverb_wet=(0.1, 0.3), muffle_prob=0.3,
       muffle_hz=(4000, 8000), shaker_prob=0.4, loudness_db=(-15.0, -11.0)),
    _g("tech-house", "house", (122, 130), "four_floor", _HOUSE, bass=("funk", "sub"),
       chord_prob=0.3, chords=("stab",), perc_prob=0.8, shaker_prob=0.5, lead_prob=0.1,
       progression="vamp", major_prob=0.1),
    _g("progressive-house", "house", (122, 128), "four_floor", _HOUSE, bass=("offbeat", "sub"),
       chords=("pad", "pluck", "supersaw"), chord_prob=0.9, lead_prob=0.5,
       leads=("arp", "pluck_lead"),
       reverb_wet=(0.15, 0.3), delay_prob=0.6, riser_prob=0.4, major_prob=0.3),
    _g("chicago-house", "house", (118, 126), "four_floor", _HOUSE, swing=(0.06, 0.18),
       bass=("funk", "octave"), chords=("organ", "stab", "piano", "epiano"), chord_prob=0.8,
       kit_style="any", bus_drive=(1.2, 2.0), bitcrush_prob=0.3, major_prob=0.4,
       open_hat_prob=0.7),
    _g("acid-house", "house", (118, 128), "four_floor", _HOUSE, bass=("acid",), chord_prob=0.3,
       chords=("stab", "organ"), bitcrush_prob=0.2, major_prob=0.1, lead_prob=0.0),
    _g("lo-fi-house", "house", (115, 125), "four_floor", _HOUSE, swing=(0.05, 0.2),
       bass=("funk", "sub"), chords=("epiano", "pad", "organ"), chord_size=(4, 5),
       progression="jazzy", chord_prob=0.9, muffle_prob=0.8, muffle_hz=(2500, 5000),
       vinyl_prob=0.7, bitcrush_prob=0.4, bus_drive=(1.3, 2.5), kit_style="any",
       loudness_db=(-16.0, -11.0)),
    # --- techno ------------------------------------------------------------------------------
    _g("minimal-techno", "techno", (122, 132), "four_floor", _TECHNO, clap_prob=0.3,
       bass=("sub", "funk"), chords=("stab", "pluck"), perc_prob=0.8, lead_prob=0.1,
       hats=("offbeat", "sparse"), reverb_wet=(0.05, 0.15), loudness_db=(-15.0, -11.0)),
    _g("detroit-techno", "techno", (125, 135), "four_floor", _TECHNO, bass=("eighths", "funk"),
       chords=("strings", "pad", "stab"), chord_prob=0.85, progression="auto", major_prob=0.25,
       lead_prob=0.4, leads=("arp", "square_lead"), kit_style="any"),
    _g("peak-time-techno", "techno", (128, 135), "four_floor", _TECHNO, bass=("sub", "rolling"),
       chords=("stab", "pad"), bus_drive=(1.5, 2.5), reverb_wet=(0.1, 0.25), riser_prob=0.5,
       loudness_db=(-10.0, -7.0)),
    _g("hard-techno", "techno", (140, 160), "four_floor", _TECHNO, kick=("gabber", "punchy"),
       bass=("rolling", "sub"), chords=("stab",), bus_drive=(2.0, 4.0), reverb_wet=(0.1, 0.25),
       loudness_db=(-8.5, -6.0), open_hat_prob=0.3),
    _g("dub-techno", "techno", (115, 128), "four_floor", _TECHNO, kick=("deep",),
       bass=("sub",), chords=("dub_chord",), chord_prob=1.0, chord_size=(3, 4),
       hats=("offbeat", "sparse"), clap_prob=0.15, delay_prob=1.0, delay_feedback=(0.5, 0.75),
       reverb_wet=(0.3, 0.5), reverb_decay_s=(2.5, 5.0), muffle_prob=0.8,
       muffle_hz=(1800, 3500), vinyl_prob=0.3, lead_prob=0.0, loudness_db=(-16.0, -12.0)),
    _g("industrial-techno", "techno", (128, 145), "four_floor", _TECHNO, kick=("gabber", "punchy"),
       bass=("sub", "rolling"), chords=("stab",), chord_prob=0.2, bus_drive=(3.0, 6.0),
       bitcrush_prob=0.5, reverb_wet=(0.15, 0.35), perc_prob=0.7, texture_prob=0.5,
       loudness_db=(-9.0, -6.0)),
    _g("melodic-house-techno", "techno", (120, 126), "four_floor", _TECHNO, bass=("offbeat", "sub"),
       chords=("pad", "pluck"), chord_prob=0.9, progression="auto", lead_prob=0.7,
       leads=("arp", "pluck_lead"), delay_prob=0.7, reverb_wet=(0.2, 0.35),
       reverb_decay_s=(1.5, 3.5), riser_prob=0.4),
    # --- trance ------------------------------------------------------------------------------
    _g("uplifting-trance", "trance", (136, 140), "four_floor", _TRANCE, major_prob=0.35,
       loudness_db=(-10.0, -7.5)),
    _g("progressive-trance", "trance", (126, 134), "four_floor",
       _TRANCE, chords=("pad", "pluck"), bass=("offbeat", "rolling"), major_prob=0.2,
       reverb_wet=(0.15, 0.3), delay_prob=0.7),
    _g("psytrance", "trance", (138, 148), "four_floor",
       _TRANCE, bass=("rolling",), chords=("none",), chord_prob=0.0,
          leads=("arp", "saw_lead"), lead_prob=0.7,
          sidechain=(0.0, 0.1),
       scale_hint="phrygian", major_prob=0.0, perc_prob=0.5, texture_prob=0.4,
       loudness_db=(-9.5, -7.0)),
    _g("goa-trance", "trance", (135, 150), "four_floor",
       _TRANCE, bass=("rolling", "acid"), chords=("pad",), chord_prob=0.4,
          leads=("saw_lead", "arp"), lead_prob=0.9, sidechain=(0.0, 0.1),
       scale_hint="harmonic_minor", major_prob=0.0, delay_prob=0.8, texture_prob=0.3),
    # --- drum and bass -----------------------------------------------------------------------
    _g("liquid-dnb", "drum-and-bass", (170, 176), "dnb", _DNB, bass=("sub", "reese"),
       chords=("pad", "epiano", "piano", "strings"), chord_size=(4, 5), chord_prob=0.95,
       progression="jazzy", major_prob=0.4, reverb_wet=(0.15, 0.3), lead_prob=0.3,
       leads=("bell_lead", "pluck_lead")),
    _g("neurofunk", "drum-and-bass", (170, 176), "dnb", _DNB, bass=("reese",),
       chord_prob=0.15, chords=("stab",), bus_drive=(1.5, 3.0), loudness_db=(-9.0, -6.5),
       texture_prob=0.3),
    _g("jungle", "drum-and-bass", (160, 175), "jungle", _DNB, kit_style="acoustic",
       break_loop_prob=0.8, bass=("sub",), chords=("pad", "stab", "strings"), chord_prob=0.5,
       vinyl_prob=0.3, bitcrush_prob=0.3, reverb_wet=(0.1, 0.25), loudness_db=(-12.0, -8.0)),
    _g("jump-up", "drum-and-bass", (172, 176), "dnb", _DNB, bass=("wobble", "warp"),
       chord_prob=0.1, chords=("stab",), bus_drive=(1.5, 2.5), loudness_db=(-9.0, -6.5)),
    # --- dubstep / bass ----------------------------------------------------------------------
    _g("dubstep", "dubstep-bass", (138, 142), "half_time", _DUB, bass=("wobble", "sub"),
       reverb_wet=(0.1, 0.3), delay_prob=0.4, texture_prob=0.3, loudness_db=(-11.0, -8.0)),
    _g("brostep", "dubstep-bass", (140, 150), "half_time", _DUB, bass=("wobble", "warp"),
       bus_drive=(2.5, 5.0), loudness_db=(-8.0, -5.5), riser_prob=0.5),
    _g("riddim", "dubstep-bass", (140, 150), "half_time", _DUB, hats=("sparse",),
       bass=("riddim",), ghost_prob=0.0, perc_prob=0.1, bus_drive=(1.5, 3.0),
       loudness_db=(-8.5, -6.0)),
    _g("phonk", "dubstep-bass", (120, 160), "trap", kick=("808",), snare=("lofi",), clap_prob=0.6,
       hats=("trap_rolls", "eighths"), bass=("808",), perc_prob=0.9, chord_prob=0.3,
       chords=("bell",), major_prob=0.0, muffle_prob=0.5, muffle_hz=(3000, 6000), vinyl_prob=0.3,
       bitcrush_prob=0.4, bus_drive=(1.5, 3.0), kit_style="electronic",
       loudness_db=(-9.0, -6.5)),
    # --- UK garage ---------------------------------------------------------------------------
    _g("uk-garage", "uk-garage", (130, 138), "two_step", swing=(0.12, 0.3), kick=("punchy",),
       clap_prob=0.6, hats=("shuffle",), bass=("sub", "warp"),
       chords=("stab", "organ", "epiano", "piano"),
       chord_size=(4, 5), chord_prob=0.8, major_prob=0.3, perc_prob=0.6, ghost_prob=0.4),
    _g("bassline", "uk-garage", (135, 142), "four_floor", swing=(0.08, 0.2), kick=("punchy",),
       clap_prob=0.8, hats=("shuffle", "offbeat"), bass=("warp", "wobble"),
       chords=("organ", "stab"),
       chord_prob=0.5, bus_drive=(1.3, 2.5), loudness_db=(-10.0, -7.0)),
    # --- breakbeat ---------------------------------------------------------------------------
    _g("breakbeat", "breakbeat", (125, 140), "breakbeat", kick=("punchy",), snare=("tight", "fat"),
       hats=("sixteenths", "eighths"), break_loop_prob=0.4, kit_style="any",
       bass=("reese", "acid", "funk"),
       chords=("stab", "pad"), chord_prob=0.5, ghost_prob=0.4, lead_prob=0.3),
    _g("big-beat", "breakbeat", (100, 140), "breakbeat", kick=("punchy", "acoustic"),
       snare=("fat",), hats=("eighths", "sixteenths"), break_loop_prob=0.7, kit_style="acoustic",
       bass=("acid", "funk", "warp"), chords=("stab",), chord_prob=0.4, bus_drive=(2.0, 4.0),
       bitcrush_prob=0.4, loudness_db=(-9.0, -6.0), lead_prob=0.3, leads=("square_lead",)),
    # --- electro / industrial ----------------------------------------------------------------
    _g("electro", "electro-industrial", (110, 130), "electro", kick=("808",), snare=("tight",),
       clap_prob=0.6, hats=("sixteenths",), bass=("sixteenths", "eighths", "808"),
       chords=("stab", "pad"), chord_prob=0.5, lead_prob=0.5, leads=("square_lead", "arp"),
       perc_prob=0.5, major_prob=0.1),
    _g("ebm", "electro-industrial", (110, 130), "backbeat", kick=("punchy", "gabber"),
       snare=("gated", "tight"), hats=("eighths",), bass=("sixteenths",), chord_prob=0.3,
       chords=("stab",), bus_drive=(1.5, 3.0), reverb_wet=(0.15, 0.3), major_prob=0.0,
       lead_prob=0.3, leads=("square_lead",), open_hat_prob=0.2),
    # --- hardcore / hard dance ---------------------------------------------------------------
    _g("hardstyle", "hardcore-hard-dance", (140, 160), "four_floor", _HARD, kick=("hardstyle",),
       bass=("reverse", "reverse", "none"), chords=("supersaw", "pad"), chord_prob=0.8, lead_prob=0.6,
       leads=("saw_lead",), scale_hint="harmonic_minor", major_prob=0.1,
       reverb_wet=(0.15, 0.3)),
    _g("gabber", "hardcore-hard-dance", (160, 200), "four_floor", _HARD, kick=("gabber",),
       bass=("none",), chord_prob=0.3, chords=("stab", "supersaw"), lead_prob=0.3,
       leads=("saw_lead",), major_prob=0.0, texture_prob=0.3),
    _g("happy-hardcore", "hardcore-hard-dance", (160, 185), "four_floor", _HARD,
       kick=("gabber", "punchy"), bass=("offbeat",), chords=("supersaw", "pluck"), chord_prob=0.95,
       major_prob=0.85, lead_prob=0.8, leads=("saw_lead", "pluck_lead", "arp")),
    # --- downtempo ---------------------------------------------------------------------------
    _g("downtempo", "downtempo", (75, 115), "boom_bap", _DOWN, kick=("soft", "acoustic"),
       snare=("lofi", "acoustic"), hats=("eighths", "sixteenths"), bass=("sub", "funk"),
       chords=("pad", "epiano", "piano", "strings"), chord_size=(4, 5), chord_prob=0.9,
       lead_prob=0.4,
       leads=("bell_lead", "pluck_lead"), major_prob=0.35, delay_prob=0.5, texture_prob=0.3),
    _g("trip-hop", "downtempo", (65, 105), "breakbeat", _DOWN, kick=("boom", "acoustic"),
       snare=("lofi", "acoustic"), hats=("eighths",), break_loop_prob=0.6, bass=("sub",),
       chords=("strings", "piano", "epiano", "pad"), chord_prob=0.8, major_prob=0.05,
       vinyl_prob=0.8,
       muffle_prob=0.5, muffle_hz=(3000, 6000), reverb_decay_s=(1.5, 3.0), texture_prob=0.3),
    _g("lo-fi-hip-hop", "downtempo", (65, 95), "boom_bap", _DOWN, swing=(0.15, 0.3),
       kick=("soft",), snare=("lofi",), hats=("eighths", "sixteenths"), bass=("sub", "funk"),
       chords=("epiano", "piano", "pad"), chord_size=(4, 5), progression="jazzy", chord_prob=1.0,
       major_prob=0.5, vinyl_prob=0.95, muffle_prob=0.9, muffle_hz=(2000, 4500),
       bitcrush_prob=0.4),
    # --- ambient / experimental --------------------------------------------------------------
    _g("ambient", "ambient-experimental", (40, 120), "none", kick=("soft",), bass=("sub", "none"),
       chords=("pad", "strings", "bell"), chord_size=(3, 5), chord_prob=1.0, bars_per_chord=(2, 4),
       lead_prob=0.3, leads=("bell_lead",), reverb_wet=(0.35, 0.6), reverb_decay_s=(3.0, 6.0),
       delay_prob=0.6, delay_feedback=(0.4, 0.6), texture_prob=0.8, riser_prob=0.0,
       major_prob=0.5, sections={"drop": 1.0}, loudness_db=(-22.0, -15.0)),
    _g("idm", "ambient-experimental", (70, 180), "broken", kick=("punchy", "soft", "808"),
       snare=("tight", "lofi"), hats=("sixteenths", "sparse"), bass=("sub", "acid", "sixteenths"),
       chords=("pad", "bell", "pluck"), chord_prob=0.7, lead_prob=0.5, leads=("arp", "bell_lead"),
       bitcrush_prob=0.5, ghost_prob=0.5, kit_style="any", texture_prob=0.4,
       reverb_wet=(0.1, 0.3), major_prob=0.3, loudness_db=(-16.0, -10.0)),
    # --- synth-pop ---------------------------------------------------------------------------
    _g("synthwave", "synth-pop", (80, 125), "backbeat", kick=("punchy",), snare=("gated",),
       hats=("eighths", "sixteenths"), bass=("eighths", "sixteenths"), chords=("pad", "strings"),
       chord_prob=0.95, lead_prob=0.7, leads=("saw_lead", "arp", "square_lead"),
       reverb_wet=(0.2, 0.35), reverb_decay_s=(1.5, 3.0), major_prob=0.25, riser_prob=0.1,
       sections={"drop": 0.7, "intro": 0.15, "breakdown": 0.15}),
    _g("synth-pop", "synth-pop", (95, 140), "backbeat", kick=("punchy",), snare=("gated", "tight"),
       clap_prob=0.6, hats=("eighths", "sixteenths"), bass=("eighths", "octave"),
       chords=("stab", "pad", "bell", "pluck"), chord_prob=0.95, lead_prob=0.7,
       leads=("square_lead", "pluck_lead"), major_prob=0.65,
       sections={"drop": 0.7, "intro": 0.15, "breakdown": 0.15}),
    # --- EDM ---------------------------------------------------------------------------------
    _g("big-room-house", "edm", (126, 132), "four_floor", kick=("punchy",), hats=("offbeat",),
       clap_prob=0.9, bass=("sub", "offbeat"), chords=("supersaw", "stab"), chord_prob=0.6,
       lead_prob=0.8, leads=("saw_lead", "square_lead"), sidechain=(0.4, 0.7),
       bus_drive=(1.5, 3.0), riser_prob=0.7, reverb_wet=(0.15, 0.3),
       sections={"drop": 0.5, "build": 0.3, "breakdown": 0.1, "intro": 0.1},
       loudness_db=(-8.0, -5.5)),
    _g("electro-house", "edm", (125, 132), "four_floor", kick=("punchy",),
       hats=("offbeat", "sixteenths"),
       clap_prob=0.9, bass=("warp", "wobble"), chords=("stab", "supersaw"), chord_prob=0.5,
       lead_prob=0.4, leads=("saw_lead",), sidechain=(0.4, 0.7), bus_drive=(1.5, 3.0),
       riser_prob=0.5, loudness_db=(-8.5, -6.0)),
    _g("future-bass", "edm", (130, 175), "half_time", kick=("punchy", "808"), snare=("tight",),
       clap_prob=0.9, hats=("trap_rolls", "eighths"), bass=("sub", "808"),
       chords=("supersaw",), chord_size=(4, 5), chord_prob=1.0, bars_per_chord=(1,),
       lead_prob=0.4, leads=("pluck_lead", "bell_lead"), sidechain=(0.5, 0.85), major_prob=0.6,
       reverb_wet=(0.15, 0.3), riser_prob=0.5, loudness_db=(-9.0, -6.5)),
    _g("trap-edm", "edm", (130, 160), "trap", kick=("808",), snare=("tight",), clap_prob=0.8,
       hats=("trap_rolls",), bass=("808",), chords=("stab", "pluck", "bell"), chord_prob=0.5,
       lead_prob=0.5, leads=("square_lead", "saw_lead"), riser_prob=0.5, major_prob=0.1,
       loudness_db=(-8.5, -6.0)),
    _g("moombahton", "edm", (105, 115), "dembow", kick=("punchy", "808"), snare=("tight",),
       clap_prob=0.7, hats=("eighths", "sixteenths"), perc_prob=0.7, bass=("sub", "warp"),
       chords=("stab", "pluck"), chord_prob=0.6, lead_prob=0.4, leads=("square_lead", "arp"),
       major_prob=0.3, kit_style="any"),
    # --- disco -------------------------------------------------------------------------------
    _g("nu-disco", "disco", (108, 126), "four_floor", _DISCO, swing=(0.03, 0.12),
       lead_prob=0.4, leads=("pluck_lead", "arp"), sidechain=(0.1, 0.4)),
    _g("italo-disco", "disco", (108, 135), "four_floor", _DISCO, bass=("octave", "eighths"),
       lead_prob=0.7, leads=("square_lead", "arp", "saw_lead"), reverb_wet=(0.15, 0.3)),
    _g("hi-nrg", "disco", (118, 140), "four_floor", _DISCO, bass=("octave", "offbeat"),
       lead_prob=0.5, leads=("square_lead", "saw_lead"), loudness_db=(-11.0, -8.0)),
    # --- global club -------------------------------------------------------------------------
    _g("afro-house", "global-club", (116, 126), "four_floor", _HOUSE, bass=("sub", "funk"),
       chords=("pad", "pluck", "epiano"), chord_prob=0.7, perc_prob=1.0, shaker_prob=0.9,
       kit_style="any", major_prob=0.3, lead_prob=0.3, leads=("pluck_lead", "bell_lead")),
    _g("amapiano", "global-club", (108, 118), "amapiano", kick=("deep", "soft"), snare=("tight",),
       clap_prob=0.6, hats=("sixteenths", "shuffle"), shaker_prob=1.0, perc_prob=0.6,
       swing=(0.08, 0.2), bass=("log_drum",), chords=("epiano", "pad", "organ"), chord_size=(4, 5),
       progression="jazzy", chord_prob=0.95, major_prob=0.4, kit_style="any",
       reverb_wet=(0.1, 0.25), loudness_db=(-13.0, -9.0)),
    _g("footwork", "global-club", (150, 165), "footwork", kick=("808", "punchy"), snare=("tight",),
       clap_prob=0.8, hats=("trap_rolls", "sixteenths"), bass=("808", "none"),
       chords=("stab", "pad"), chord_prob=0.4, perc_prob=0.5, major_prob=0.2,
       bitcrush_prob=0.3, kit_style="electronic", loudness_db=(-11.0, -7.5)),
)

GRAMMARS: dict[str, GenreGrammar] = {g.slug: g for g in _GRAMMAR_LIST}
#: The 52 modelled genre slugs, in the order of docs/architecture.md.
GENRES: tuple[str, ...] = tuple(GRAMMARS)


def grammar_for(genre: str) -> GenreGrammar:
    """The grammar of a modelled genre slug.

    Raises
    ------
    InvalidParameterError
        ``genre`` is not one of the 52 modelled slugs.
    """
    try:
        return GRAMMARS[genre]
    except KeyError:
        raise InvalidParameterError(
            f"unknown genre {genre!r}: the renderer knows {len(GRAMMARS)} modelled slugs",
            extra={"genre": genre}) from None
