export type StepState = 'done' | 'running' | 'waiting' | 'failed';

export interface Step {
  readonly key: string;
  readonly label: string;
  readonly state: StepState;
  /** Counts or a reason, in words ("12,430 rows, 87 opted out removed"). */
  readonly detail?: string;
}

const STATE_WORDS: Record<StepState, string> = {
  done: 'Done',
  running: 'In progress',
  waiting: 'Not started',
  failed: 'Failed',
};

/**
 * The steps of long work, each with its state in words (not colour alone) and its detail. A live region, so a
 * screen reader hears a step change as the page polls.
 */
export function StepList({ steps, label }: { steps: readonly Step[]; label: string }) {
  return (
    <ol className="app-steps" aria-label={label} aria-live="polite">
      {steps.map((step) => (
        <li key={step.key} className={`app-steps__item app-steps__item--${step.state}`}>
          <strong>{step.label}</strong>: {STATE_WORDS[step.state]}
          {step.detail && (
            <span className="nhsuk-body-s nhsuk-u-display-block nhsuk-u-margin-bottom-0">{step.detail}</span>
          )}
        </li>
      ))}
    </ol>
  );
}
