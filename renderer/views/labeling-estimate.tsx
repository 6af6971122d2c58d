/**
 * A batch's labeling rate and finish estimate, as the main process computed it from the same snapshot as the
 * batch's other figures: "Labeling ~42 records/min · done in about 12 min (around 14:05)", or how many more
 * labeled records an estimate needs.
 */
import type { LabelingEstimateView } from '../../common/api.ts';
import { plural } from '../format.ts';

/** Records a minute, or an hour when fewer than one a minute: "~42 records/min", "~1.5 records/min", "~20 records/hour". */
export function formatLabelingRate(perMinute: number): string {
  if (perMinute >= 10) return `~${Math.round(perMinute).toLocaleString('en-US')} records/min`;
  if (perMinute >= 1) return `~${perMinute.toFixed(1)} records/min`;
  return `~${Math.max(1, Math.round(perMinute * 60))} records/hour`;
}

/** When it will be done, roughly: "in under a minute", "in about 12 min", "in about 2 h 05 min". */
export function formatTimeLeft(seconds: number): string {
  if (seconds < 60) return 'in under a minute';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `in about ${minutes} min`;
  return `in about ${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** The estimate in words. */
export function estimateText(estimate: LabelingEstimateView): string {
  if (estimate.state === 'waiting') {
    return estimate.recordsNeeded > 0
      ? `Estimate after ${plural(estimate.recordsNeeded, 'more record')} ${estimate.recordsNeeded === 1 ? 'is' : 'are'} labeled`
      : 'Estimating the labeling rate…';
  }
  const at = new Date(Date.parse(estimate.finishAt)).toLocaleTimeString('en-US', {
    hour: '2-digit',
    minute: '2-digit',
  });
  return `Labeling ${formatLabelingRate(estimate.perMinute)} · done ${formatTimeLeft(estimate.secondsLeft)} (around ${at})`;
}

export function LabelingEstimate({ estimate }: { estimate: LabelingEstimateView | undefined }) {
  if (!estimate) return null;
  return (
    <p className="small num" data-testid="labeling-estimate" role="status">
      {estimateText(estimate)}
    </p>
  );
}
