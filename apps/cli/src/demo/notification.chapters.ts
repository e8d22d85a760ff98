import { story } from './project.chapters';
import { DemoFailure, type DemoChapter, type DemoContext, type Persona } from './demo-context';

interface InboxBody {
  items: { kind: string; subject: string; link: string; readAt: string | null }[];
  total: number;
  unread: number;
}

type Item = InboxBody['items'][number];

/** Waits for a person's inbox to hold the message `wanted` picks (the worker delivers within seconds). */
async function inboxWith(
  context: DemoContext,
  who: Persona,
  wanted: (item: Item) => boolean,
): Promise<{ inbox: InboxBody; item: Item }> {
  for (let tries = 0; tries < 120; tries++) {
    const inbox = (await context.call(who, 'GET', '/me/notifications?pageSize=200')).body as InboxBody;
    const item = inbox.items.find(wanted);
    if (item) return { inbox, item };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new DemoFailure(`${who.name}'s inbox never got the message the demo expected`);
}

/** Everyone concerned heard of each step: inboxes, and email when an SMTP server is configured. */
export const notificationChapters: DemoChapter[] = [
  {
    title: 'Everyone concerned heard of each step, in their inbox and by email, with a link and nothing else',
    async run(context) {
      const { people, say, call } = context;
      const projectId = story.projectId;
      const cases: [Persona, (item: Item) => boolean][] = [
        [people.reviewer, (item) => item.link === `/app/committee/applications/${projectId}`],
        [people.researcher, (item) => item.link === `/app/researcher/projects/${projectId}`],
        [people.checker, (item) => item.kind === 'output_to_check'],
        [people.researcher, (item) => item.kind === 'output_released'],
      ];
      for (const [who, wanted] of cases) {
        const { inbox, item } = await inboxWith(context, who, wanted);
        say(`${who.name}'s inbox (${inbox.unread} unread): "${item.subject}" -> ${item.link}`);
      }
      const settings = (await call(people.researcher, 'GET', '/me/notification-settings')).body as {
        emailAvailable: boolean;
        emailAddress: string | null;
      };
      say(
        settings.emailAvailable
          ? `each also went by email (to ${settings.emailAddress ?? 'nobody: no address'} for ${people.researcher.name}); no title, name or content in any of them`
          : 'email is off (SMTP_URL is not set): run `npm run mail:catch` and set SMTP_URL=smtp://127.0.0.1:1025 to read the emails too',
      );
    },
  },
];
