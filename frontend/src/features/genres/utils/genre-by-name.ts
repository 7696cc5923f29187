/**
 * Finds the genre a free-form name means ("Deep House", "deep_house", "Drum & Bass"), as a
 * folder of a DJ's crates names it: by slug or by name, ignoring case, accents and punctuation.
 */
import type { TaxonomyFamily } from '@/lib/schemas';

/** "Drum & Bass" -> "drum-and-bass": the form slugs have. */
export function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** A lookup from a name to the slug of the taxonomy's genre it names, or null. */
export function genreByName(families: TaxonomyFamily[]): (name: string) => string | null {
  const index = new Map<string, string>();
  for (const genre of families.flatMap((f) => f.genres)) {
    index.set(genre.slug, genre.slug);
    index.set(slugify(genre.name), genre.slug);
  }
  return (name) => index.get(slugify(name)) ?? null;
}
