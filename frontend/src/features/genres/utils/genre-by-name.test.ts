import { taxonomy } from '@/testing/fixtures';
import { genreByName, slugify } from './genre-by-name';

describe('genre by name', () => {
  it('reads a folder name as the genre it names', () => {
    const find = genreByName(taxonomy.families);
    expect(find('Deep House')).toBe('deep-house');
    expect(find('deep_house')).toBe('deep-house');
    expect(find('  TECH-HOUSE ')).toBe('tech-house');
    expect(find('Warm-up')).toBeNull();
  });

  it('slugifies like the taxonomy', () => {
    expect(slugify('Drum & Bass')).toBe('drum-and-bass');
    expect(slugify('Música Électronique!')).toBe('musica-electronique');
  });
});
