import type { Role } from './roles';

export interface DemoPerson {
  readonly subject: string;
  readonly name: string;
  readonly roles: readonly Role[];
}

/**
 * The demo's people: `tre demo` tells its story with them, and in development (AUTH_MODE=dev) the web app's
 * sign-in page lists them. Sam holds two roles, so the role switch has someone to show it with.
 */
export const DEMO_PEOPLE = {
  researcher: { subject: 'demo-alice', name: 'Alice', roles: ['researcher'] },
  reviewer: { subject: 'demo-dev', name: 'Dev', roles: ['dac_member'] },
  secondReviewer: { subject: 'demo-dora', name: 'Dora', roles: ['dac_member'] },
  checker: { subject: 'demo-olu', name: 'Olu', roles: ['output_checker'] },
  secondChecker: { subject: 'demo-oona', name: 'Oona', roles: ['output_checker'] },
  custodian: { subject: 'demo-cara', name: 'Cara', roles: ['data_custodian'] },
  admin: { subject: 'demo-ada', name: 'Ada', roles: ['admin'] },
  twoRoles: { subject: 'demo-sam', name: 'Sam', roles: ['researcher', 'output_checker'] },
} as const satisfies Record<string, DemoPerson>;
