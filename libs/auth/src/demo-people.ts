import type { Role } from './roles';

export interface DemoPerson {
  readonly subject: string;
  readonly name: string;
  readonly roles: readonly Role[];
  /** An example address (RFC 2606), so the demo's notification emails have somewhere to go. */
  readonly email: string;
}

/**
 * The demo's people: `tre demo` tells its story with them, and in development (AUTH_MODE=dev) the web app's
 * sign-in page lists them. Sam holds two roles, so the role switch has someone to show it with.
 */
export const DEMO_PEOPLE = {
  researcher: { subject: 'demo-alice', name: 'Alice', roles: ['researcher'], email: 'alice@example.org' },
  reviewer: { subject: 'demo-dev', name: 'Dev', roles: ['dac_member'], email: 'dev@example.org' },
  secondReviewer: { subject: 'demo-dora', name: 'Dora', roles: ['dac_member'], email: 'dora@example.org' },
  checker: { subject: 'demo-olu', name: 'Olu', roles: ['output_checker'], email: 'olu@example.org' },
  secondChecker: { subject: 'demo-oona', name: 'Oona', roles: ['output_checker'], email: 'oona@example.org' },
  custodian: { subject: 'demo-cara', name: 'Cara', roles: ['data_custodian'], email: 'cara@example.org' },
  admin: { subject: 'demo-ada', name: 'Ada', roles: ['admin'], email: 'ada@example.org' },
  twoRoles: {
    subject: 'demo-sam',
    name: 'Sam',
    roles: ['researcher', 'output_checker'],
    email: 'sam@example.org',
  },
} as const satisfies Record<string, DemoPerson>;
