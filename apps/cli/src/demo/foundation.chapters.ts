import { auditSince, describeAuditItem } from './changes.chapters';
import { DemoFailure, expectStatus, type DemoChapter } from './demo-context';

interface AuditPage {
  total: number;
}

export const foundationChapters: DemoChapter[] = [
  {
    title: 'The service is up',
    async run({ call, show }) {
      const health = await call(undefined, 'GET', '/health');
      expectStatus(health.status, 200, 'liveness');
      const ready = await call(undefined, 'GET', '/ready');
      expectStatus(ready.status, 200, 'readiness');
      show('GET /ready', (ready.body as { details: unknown }).details);
    },
  },
  {
    title: 'Nobody gets in without a token, and nobody does what their role does not allow',
    async run({ call, people, say }) {
      const anonymous = await call(undefined, 'GET', '/audit');
      expectStatus(anonymous.status, 401, 'anonymous audit read');
      say(
        `GET /audit with no token -> ${anonymous.status} (${(anonymous.body as { message: string }).message})`,
      );
      const researcher = await call(people.researcher, 'GET', '/audit');
      expectStatus(researcher.status, 403, 'researcher audit read');
      say(
        `GET /audit as a researcher -> ${researcher.status} (${(researcher.body as { message: string }).message})`,
      );
    },
  },
  {
    title: 'Each role signs in; the service records every new person in the audit trail',
    async run({ call, people, say }) {
      for (const person of Object.values(people)) {
        const me = await call(person, 'GET', '/me');
        expectStatus(me.status, 200, `${person.subject} signing in`);
        say(
          `${person.name.padEnd(8)} ${person.roles.join(', ').padEnd(16)} -> user ${(me.body as { id: string }).id}`,
        );
      }
    },
  },
  {
    title: 'The admin reads the audit trail (names never enter it: people appear by id)',
    async run({ auditBaseline, call, people, say }) {
      const page = await call(people.admin, 'GET', '/audit?pageSize=1');
      expectStatus(page.status, 200, 'audit listing');
      const { total } = page.body as AuditPage;
      const own = await auditSince(call, people.admin, auditBaseline);
      say(
        `${total} event(s) in all; ${own.length} from this run` +
          (own.length === 0
            ? ' (everyone had signed in on an earlier run)'
            : own.length > 10
              ? ', the newest 10 first:'
              : ', newest first:'),
      );
      for (const event of own.reverse().slice(0, 10)) say(`  ${describeAuditItem(event)}`);
    },
  },
  {
    title: 'The audit chain verifies, from the API and in the background worker',
    async run({ call, people, say, workerUrl }) {
      const verify = await call(people.admin, 'GET', '/audit/verify');
      expectStatus(verify.status, 200, 'audit verification');
      const report = verify.body as { valid: boolean; count: number; head: { seq: number; hash: string } };
      if (!report.valid) throw new DemoFailure(`audit chain does not verify: ${JSON.stringify(report)}`);
      say(
        `GET /audit/verify -> valid: ${report.count} event(s), head #${report.head.seq} ${report.head.hash}`,
      );
      // The worker verifies the chain on start-up and then on a schedule; wait for its first verdict.
      for (let tries = 0; tries < 40; tries += 1) {
        const metrics = await (await fetch(`${workerUrl}/metrics`)).text();
        const line = metrics.split('\n').find((l) => l.startsWith('tre_audit_chain_valid'));
        if (line && / [01]$/.test(line)) {
          if (!line.endsWith(' 1')) throw new DemoFailure(`the worker found the chain broken: ${line}`);
          say(`the worker's scheduled check agrees: ${line}`);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new DemoFailure('the worker did not report on the audit chain within 10 s');
    },
  },
];
