"""Procedural genre renderer: composes and synthesises training clips for each modelled genre.

``render_clip(genre, seed=..., seconds=...)`` renders one clip; ``dataset`` builds the default
rendered set with its manifest. See docs/renderer.md for what each genre grammar encodes.
"""

from __future__ import annotations

from genrelens.synth.grammars import GENRES, GRAMMARS, GenreGrammar, grammar_for
from genrelens.synth.render import RenderedClip, render_clip

__all__ = ["GENRES", "GRAMMARS", "GenreGrammar", "RenderedClip", "grammar_for", "render_clip"]
