/**
 * What a notification can say. Each kind has one fixed subject and line: a message says that something needs
 * the person or happened, and links to the page; it never carries a title, a name, a comment or a file, so an
 * email read over someone's shoulder or kept in a mailbox for years gives nothing away. Project titles are left
 * out too: they are public on the register once approved, but not before, and one rule is easier to keep.
 */
export const NOTIFICATION_KINDS = [
  'application_to_review',
  'application_decided',
  'output_to_check',
  'output_conflict',
  'output_released',
  'project_status_changed',
  'project_lapsing',
  'accreditation_lapsing',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export interface NotificationWording {
  readonly subject: string;
  readonly line: string;
}

export const WORDING: Readonly<Record<NotificationKind, NotificationWording>> = {
  application_to_review: {
    subject: 'An application is waiting for review',
    line: 'An application to use data has been sent to the data access committee and is waiting for your review.',
  },
  application_decided: {
    subject: 'A decision has been made on an application',
    line: 'The data access committee has made a decision on an application you are part of.',
  },
  output_to_check: {
    subject: 'An output request is waiting to be checked',
    line: 'An output request has passed the automatic checks and is waiting for an output checker.',
  },
  output_conflict: {
    subject: 'Output checkers disagree on a request',
    line: 'The votes on an output request you reviewed disagree. The request is held until the checkers agree.',
  },
  output_released: {
    subject: 'Outputs have been released',
    line: 'Outputs from a project you are part of have been released.',
  },
  project_status_changed: {
    subject: 'A project has been suspended, resumed or ended',
    line: 'The status of a project you are part of has changed. Open it to see what this means for your work.',
  },
  project_lapsing: {
    subject: 'A project is about to end',
    line: 'A project you are part of reaches its end date soon. After that, its workspace closes.',
  },
  accreditation_lapsing: {
    subject: 'Your accreditation is about to lapse',
    line: 'Your accreditation on a project expires soon. Renew it to keep your access.',
  },
};

/** Paths of the web app's pages (apps/web/src/app.tsx), under /app. */
export const LINKS = {
  committeeApplication: (projectId: string) => `/app/committee/applications/${projectId}`,
  researcherProject: (projectId: string) => `/app/researcher/projects/${projectId}`,
  checkerRequest: (requestId: string) => `/app/checker/requests/${requestId}`,
  researcherOutputs: (requestId: string) => `/app/researcher/outputs/${requestId}`,
  settings: () => '/app/account',
};

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
}

/** The email of a notification: the kind's fixed wording and the link, nothing about the person or the work. */
export function composeEmail(kind: NotificationKind, link: string, appPublicUrl: string): EmailMessage {
  const wording = WORDING[kind];
  return {
    subject: wording.subject,
    text: [
      wording.line,
      '',
      'Open it in the Trusted Research Environment (you may be asked to sign in):',
      `${appPublicUrl}${link}`,
      '',
      'You can turn these emails off in your account settings:',
      `${appPublicUrl}${LINKS.settings()}`,
      '',
    ].join('\n'),
  };
}

/** How long the email job waits before try `attempt` again: doubling from the base, at most an hour. */
export function mailRetryDelayMs(attempt: number, baseSeconds: number): number {
  return Math.min(baseSeconds * 2 ** Math.max(0, attempt - 1), 3600) * 1000;
}
