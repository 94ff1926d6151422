/** The run's timeline, newest first, a page at a time: what happened, to which step, by whom and when. */
import type { RunStep, TimelineEvent } from '../../../shared/playbooks';
import { utcStamp } from '../../ui/timestamp';
import { EVENT_LABELS } from './labels';
import { TIMELINE_PAGE } from './useRun';

interface TimelineProps {
  events: TimelineEvent[];
  total: number;
  offset: number;
  steps: RunStep[];
  onPage(offset: number): void;
}

const TONE: Partial<Record<TimelineEvent['type'], string>> = { 'step.failed': 'event-bad', 'run.abandoned': 'event-bad', 'run.resumed': 'event-medium' };

export function Timeline({ events, total, offset, steps, onPage }: TimelineProps) {
  const titles = new Map(steps.map((step) => [step.id, step.title]));
  const last = Math.min(offset + events.length, total);
  return (
    <aside className="timeline panel" aria-labelledby="timeline-title">
      <header className="row">
        <h3 id="timeline-title">Timeline</h3>
        <span className="spacer" />
        <span className="muted small" aria-live="polite">
          {total === 0 ? 'No events' : `${(offset + 1).toLocaleString('en')}–${last.toLocaleString('en')} of ${total.toLocaleString('en')}`}
        </span>
      </header>
      <ol className="timeline-events">
        {events.map((event) => (
          <li key={event.seq} className={TONE[event.type] ?? ''}>
            <div className="timeline-when">
              <span className="mono">{utcStamp(event.at)}</span> <strong className="timeline-type">{EVENT_LABELS[event.type]}</strong> <span className="muted">by {event.actor}</span>
            </div>
            {event.stepId && <div className="timeline-step">{titles.get(event.stepId) ?? event.stepId}</div>}
            {event.detail && <div className="timeline-detail note">{event.detail}</div>}
          </li>
        ))}
      </ol>
      {total > TIMELINE_PAGE && (
        <div className="row">
          <button type="button" className="small-button" onClick={() => onPage(Math.max(0, offset - TIMELINE_PAGE))} disabled={offset === 0}>
            Newer
          </button>
          <button type="button" className="small-button" onClick={() => onPage(offset + TIMELINE_PAGE)} disabled={last >= total}>
            Older
          </button>
        </div>
      )}
    </aside>
  );
}
