/** The latest analyses on the start page, with their state. */
import { Link } from 'react-router';
import { Empty, ErrorNotice, Loading } from '@/components/feedback';
import { STAGE_LABELS, duration } from '@/lib/format';
import { useAnalysisList } from '../hooks/use-analysis';
import { trackTitle } from '../utils/track-title';

export function RecentAnalyses() {
  const { data, error, isPending, refetch } = useAnalysisList(1);
  if (isPending) return <Loading label="Loading recent analyses…" />;
  if (error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  if (data.results.length === 0) return <Empty>No tracks analysed yet. Drop one above to start.</Empty>;
  return (
    <ul className="recent">
      {data.results.slice(0, 8).map((a) => (
        <li key={a.id}>
          <Link to={`/analyses/${a.id}`} className="recent__item">
            <span className="recent__title">{trackTitle(a)}</span>
            <span className="muted small">
              {[a.track?.artist?.name, a.track?.duration_s ? duration(a.track.duration_s) : null].filter(Boolean).join(' · ') || '\u00a0'}
            </span>
            <span className={`pill pill--${a.status}`}>{a.status === 'succeeded' ? 'Done' : a.status === 'failed' ? 'Failed' : STAGE_LABELS[a.stage]}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
