import { loadavg } from 'node:os';

/** The machine's one-minute load average, printed beside each figure: on 2 cores it says how quiet a run was. */
export const loadAverage = (): string => `load ${loadavg()[0].toFixed(1)}`;
