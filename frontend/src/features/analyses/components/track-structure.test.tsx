import { fireEvent, render, screen } from '@testing-library/react';
import { AnalysisResultSchema } from '@/lib/schemas';
import { techHouseResult } from '@/testing/fixtures';
import { TrackStructure } from './track-structure';

describe('TrackStructure', () => {
  it('shows each section in order and seeks to the one chosen', () => {
    const onSeek = vi.fn();
    render(<TrackStructure result={techHouseResult} currentTime={60} onSeek={onSeek} />);
    const buttons = screen.getAllByRole('button', { name: /to \d/ });
    expect(buttons.map((b) => b.textContent)).toEqual(['Intro', 'Build', 'Drop', 'Breakdown', 'Drop', 'Outro']);
    expect(buttons[2]).toHaveClass('is-playing');
    fireEvent.click(buttons[3]!);
    expect(onSeek).toHaveBeenCalledWith(105.12);
  });

  it('offers the first drop as a cue and says where the grid starts', () => {
    const onSeek = vi.fn();
    render(<TrackStructure result={techHouseResult} currentTime={null} onSeek={onSeek} />);
    fireEvent.click(screen.getByRole('button', { name: 'Play from the first drop (0:45.1)' }));
    expect(onSeek).toHaveBeenCalledWith(45.12);
    expect(screen.getByText(/First downbeat 0:00.1 · 105 bars of 4 · grid confidence 90%/)).toBeInTheDocument();
  });

  it('says there is no drop cue, and without a player offers no seeking', () => {
    render(<TrackStructure result={{ ...techHouseResult, first_drop_s: null }} currentTime={null} />);
    expect(screen.getByText(/No drop after another section/)).toBeInTheDocument();
    expect(screen.getAllByRole('button', { name: /to \d/ })[0]).toHaveAccessibleName('Intro, 0:00.0 to 0:30.1.');
  });

  it('reads a result stored before sections existed', () => {
    const { grid: _grid, energy: _energy, sections: _sections, first_drop_s: _drop, ...old } = techHouseResult;
    const parsed = AnalysisResultSchema.parse(old);
    expect(parsed.sections).toEqual([]);
    render(<TrackStructure result={parsed} currentTime={null} />);
    expect(screen.getByText('No sections or bar grid for this track.')).toBeInTheDocument();
  });
});
