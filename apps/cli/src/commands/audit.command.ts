import type { Command } from 'commander';
import { AuditVerifierService } from '@tre/audit';
import { withCliContext } from '../context/cli-context';
import { exitWith } from '../cli-errors';

export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description(
      'recompute the whole hash chain; exits 1 and names the first broken event if it does not hold',
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      const report = await withCliContext((context) => context.get(AuditVerifierService).verify());
      if (options.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else if (report.valid) {
        process.stdout.write(
          `audit chain valid: ${report.count} event(s)${report.head ? `, head #${report.head.seq} ${report.head.hash}` : ''}\n`,
        );
      } else process.stdout.write(`audit chain BROKEN at event #${report.brokenAt}: ${report.reason}\n`);
      if (!report.valid) exitWith(1);
    });
}
