/** Live progress of an uploaded file on the start page, linking to its result. */
import { Link } from 'react-router';
import { ErrorNotice, Loading } from '@/components/feedback';
import { useAnalysis } from '../hooks/use-analysis';
import { AnalysisProgress } from './analysis-progress';

export function AnalysisProgressCard({ id }: { id: string }) {
  const { data, error, refetch } = useAnalysis(id);
  if (error) return <ErrorNotice error={error} onRetry={() => void refetch()} />;
  if (!data) return <Loading label="Starting analysis…" />;
  return (
    <div>
      <AnalysisProgress analysis={data} compact />
      {data.status === 'failed' ? <ErrorNotice error={new Error(data.error?.message ?? 'The analysis failed.')} /> : null}
      {data.status === 'succeeded' ? (
        <Link className="button button--primary button--small" to={`/analyses/${id}`}>
          See the result
        </Link>
      ) : (
        <Link className="small" to={`/analyses/${id}`}>
          Open this analysis
        </Link>
      )}
    </div>
  );
}
