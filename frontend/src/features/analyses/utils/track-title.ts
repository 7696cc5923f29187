/** The name to show for an analysed track: its tag title, else its file name. */
import type { Analysis } from '@/lib/schemas';

export function trackTitle(analysis: Analysis): string {
  return analysis.track?.title || analysis.track?.original_filename || analysis.result?.source.name || 'Untitled track';
}
