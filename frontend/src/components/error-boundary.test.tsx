import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { render } from '@testing-library/react';
import { useState } from 'react';
import { ErrorBoundary } from './error-boundary';

function Bomb({ explode }: { explode: boolean }) {
  if (explode) throw new Error('chart exploded');
  return <p>chart ok</p>;
}

function Harness() {
  const [explode, setExplode] = useState(true);
  return (
    <>
      <button type="button" onClick={() => setExplode(false)}>
        fix
      </button>
      <ErrorBoundary>
        <Bomb explode={explode} />
      </ErrorBoundary>
      <p>rest of page</p>
    </>
  );
}

describe('ErrorBoundary', () => {
  it('keeps the page when one part throws, and recovers on retry', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const user = userEvent.setup();
    render(<Harness />);
    expect(screen.getByRole('alert')).toHaveTextContent('This part could not be shown: chart exploded');
    expect(screen.getByText('rest of page')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'fix' }));
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('chart ok')).toBeInTheDocument();
  });
});
