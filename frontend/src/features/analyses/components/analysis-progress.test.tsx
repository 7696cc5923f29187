import { act, render, screen } from '@testing-library/react';
import { ANALYSIS_IDS, baseAnalyses } from '@/testing/fixtures';
import { AnalysisProgress, QUEUED_HINT_AFTER_MS } from './analysis-progress';

const queued = baseAnalyses().find((a) => a.id === ANALYSIS_IDS.queued)!;

describe('AnalysisProgress', () => {
  afterEach(() => vi.useRealTimers());

  it('marks finished, current and pending stages', () => {
    render(<AnalysisProgress analysis={{ ...queued, status: 'running', stage: 'features', progress: 0.5 }} />);
    expect(screen.getByTestId('analysis-stage')).toHaveTextContent('Measuring features… · 50%');
    const steps = screen.getAllByRole('listitem');
    expect(steps.map((s) => s.className)).toEqual([
      'stepper__step is-done',
      'stepper__step is-done',
      'stepper__step is-current',
      'stepper__step is-todo',
    ]);
    expect(steps[2]).toHaveAttribute('aria-current', 'step');
  });

  it('says so plainly when a job stays queued (no worker or broker)', () => {
    vi.useFakeTimers();
    render(<AnalysisProgress analysis={queued} />);
    expect(screen.getByTestId('analysis-stage')).toHaveTextContent('Queued');
    expect(screen.queryByText(/Still queued/)).not.toBeInTheDocument();
    act(() => vi.advanceTimersByTime(QUEUED_HINT_AFTER_MS + 1));
    expect(screen.getByRole('status')).toHaveTextContent(/Still queued: the analysis worker is busy or not running/);
  });

  it('hides the hint once the job starts', () => {
    vi.useFakeTimers();
    const { rerender } = render(<AnalysisProgress analysis={queued} />);
    act(() => vi.advanceTimersByTime(QUEUED_HINT_AFTER_MS + 1));
    rerender(<AnalysisProgress analysis={{ ...queued, status: 'running', stage: 'decoding', progress: 0.1 }} />);
    expect(screen.queryByText(/Still queued/)).not.toBeInTheDocument();
  });
});
