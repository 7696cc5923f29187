import { AnalysisSchema, GenreDetailSchema, TrackListItemSchema } from './schemas';
import { baseAnalyses, techHouseGenre, trackItem } from '@/testing/fixtures';

describe('API schemas', () => {
  it('accept the contract fixtures', () => {
    for (const analysis of baseAnalyses()) expect(AnalysisSchema.safeParse(analysis).success).toBe(true);
    expect(GenreDetailSchema.safeParse(techHouseGenre).success).toBe(true);
  });

  it('accept the 202 body of an upload', () => {
    const parsed = AnalysisSchema.parse({ id: 'a', url: '/api/analyses/a/', status: 'queued', stage: 'queued', progress: 0, reused: false });
    expect(parsed.result).toBeUndefined();
  });

  it('turn integer artist ids into strings', () => {
    const parsed = TrackListItemSchema.parse({ ...trackItem(1), artist: { id: 7, name: 'X' } });
    expect(parsed.artist?.id).toBe('7');
  });

  it('accept a result without a key (silence, drums only)', () => {
    const first = baseAnalyses()[0]!;
    const parsed = AnalysisSchema.parse({ ...first, result: { ...first.result, key: null } });
    expect(parsed.result?.key).toBeNull();
  });

  it('refuse an unknown status', () => {
    expect(AnalysisSchema.safeParse({ ...baseAnalyses()[0], status: 'exploded' }).success).toBe(false);
  });

  it('survive odd decorative fields of a genre record', () => {
    const parsed = GenreDetailSchema.parse({ ...techHouseGenre, artists: [{ name: 'Fisher' }], history: 'long ago', profile: 42 });
    expect(parsed.artists).toEqual([]);
    expect(parsed.history).toBeNull();
    expect(parsed.profile).toBeNull();
  });
});
