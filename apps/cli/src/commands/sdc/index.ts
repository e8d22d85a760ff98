import type { Command } from 'commander';
import { registerSdcCheck } from './sdc-check';
import { registerSdcProtect } from './sdc-protect';
import { registerSdcTable } from './sdc-table';

/** `tre sdc ...`: statistical disclosure control of outputs, a thin shell over @tre/sdc. */
export function registerSdcCommands(program: Command): void {
  const sdc = program
    .command('sdc')
    .description('Statistical disclosure control: check outputs against the TRE rules and protect tables');
  registerSdcTable(sdc);
  registerSdcProtect(sdc);
  registerSdcCheck(sdc);
}
