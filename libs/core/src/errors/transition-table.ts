import { IllegalTransitionError } from './domain-error';

export type TransitionTable<S extends string, A extends string> = Readonly<Record<S, Partial<Record<A, S>>>>;

export interface Lifecycle<S extends string, A extends string> {
  /** The state after `action`, or an IllegalTransitionError (409) saying what is allowed from `from`. */
  next(from: S, action: A): S;
  /** The actions the table allows from `from`. */
  allowed(from: S): A[];
}

/**
 * A lifecycle as a table: from each state, the actions allowed and where they lead. Anything not listed is
 * refused with a message naming what the state does allow, or that it is final. Shared by the aggregates whose
 * lifecycles are state-first (projects, output requests).
 */
export function lifecycle<S extends string, A extends string>(
  subject: string,
  table: TransitionTable<S, A>,
): Lifecycle<S, A> {
  const allowed = (from: S): A[] => Object.keys(table[from]) as A[];
  return {
    allowed,
    next(from, action) {
      const to = table[from][action];
      if (to !== undefined) return to;
      const options = allowed(from);
      throw new IllegalTransitionError(
        subject,
        from,
        action.replace(/_/g, ' '),
        options.length
          ? `from ${from} it can only ${options.join(', ').replace(/_/g, ' ')}`
          : `${from} is final`,
      );
    },
  };
}
