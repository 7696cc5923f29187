/**
 * Colour-blind-safe colours. Families take the Okabe-Ito and Paul Tol "muted" colours, which stay
 * distinct for the common forms of colour blindness; every chart also labels its colours in text.
 * Genres are shades of their family's colour, so the family reads at a glance.
 */

export const FAMILY_COLORS: Record<string, string> = {
  house: '#E69F00',
  techno: '#0072B2',
  trance: '#CC79A7',
  'drum-and-bass': '#009E73',
  'dubstep-bass': '#D55E00',
  'uk-garage': '#56B4E9',
  breakbeat: '#DDCC77',
  'electro-industrial': '#332288',
  'hardcore-hard-dance': '#882255',
  downtempo: '#44AA99',
  'ambient-experimental': '#88CCEE',
  'synth-pop': '#AA4499',
  edm: '#F0E442',
  disco: '#CC6677',
  'global-club': '#117733',
};

const FALLBACK = ['#999933', '#6699CC', '#997700', '#EE99AA', '#994455', '#004488'];
export const OTHER_COLOR = '#9A9A9A';

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i += 1) h = (h * 31 + text.charCodeAt(i)) >>> 0;
  return h;
}

export function familyColor(slug: string | null | undefined): string {
  if (!slug) return OTHER_COLOR;
  return FAMILY_COLORS[slug] ?? FALLBACK[hash(slug) % FALLBACK.length] ?? OTHER_COLOR;
}

function mix(hex: string, target: number, amount: number): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const channel = (shift: number) => Math.round(((n >> shift) & 255) * (1 - amount) + target * amount);
  return `#${[16, 8, 0].map((s) => channel(s).toString(16).padStart(2, '0')).join('')}`;
}

/** The `index`-th genre of a family: alternately lighter and darker shades of the family colour. */
export function genreColor(family: string | null | undefined, index = 0): string {
  const base = familyColor(family);
  if (index === 0) return base;
  const step = Math.ceil(index / 2) * 0.22;
  return index % 2 === 1 ? mix(base, 255, Math.min(step, 0.66)) : mix(base, 0, Math.min(step, 0.5));
}

/** Text colour (black or white) readable on a background colour. */
export function readableOn(hex: string): string {
  const n = Number.parseInt(hex.slice(1), 16);
  const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#111' : '#fff';
}
