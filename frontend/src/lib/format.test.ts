import { bpm, duration, percent, traitValue, unsureReason } from './format';
import { familyColor, genreColor, readableOn } from './palette';

describe('format', () => {
  it('formats percentages, durations and tempo', () => {
    expect(percent(0.413)).toBe('41%');
    expect(percent(0.413, 1)).toBe('41.3%');
    expect(percent(null)).toBe('–');
    expect(duration(198.4)).toBe('3:18');
    expect(duration(3725)).toBe('1:02:05');
    expect(bpm(128)).toBe('128 BPM');
    expect(bpm(92.34)).toBe('92.3 BPM');
  });

  it('gives traits units and known reasons plain words', () => {
    expect(traitValue('spectral_centroid_hz', 1850)).toBe('1850 Hz');
    expect(traitValue('bass_weight', 0.421)).toBe('0.42');
    expect(traitValue('onset_rate_hz', 4)).toBe('4.0/s');
    expect(traitValue('dynamic_range_db', 6.24)).toBe('6.2 dB');
    expect(traitValue('rhythm', 'four_on_the_floor')).toBe('Four-on-the-floor');
    expect(unsureReason('no_model')).toMatch(/No genre model/);
    expect(unsureReason('weird_new_reason')).toBe('Weird new reason');
  });
});

describe('palette', () => {
  it('has a distinct colour for each of the 15 families', () => {
    const families = ['house', 'techno', 'trance', 'drum-and-bass', 'dubstep-bass', 'uk-garage', 'breakbeat', 'electro-industrial', 'hardcore-hard-dance', 'downtempo', 'ambient-experimental', 'synth-pop', 'edm', 'disco', 'global-club'];
    expect(new Set(families.map(familyColor)).size).toBe(15);
  });

  it('shades genres of one family differently and picks readable text', () => {
    expect(genreColor('house', 0)).not.toBe(genreColor('house', 1));
    expect(genreColor('house', 1)).not.toBe(genreColor('house', 2));
    expect(readableOn('#F0E442')).toBe('#111');
    expect(readableOn('#332288')).toBe('#fff');
  });
});
