import type { INestApplication } from '@nestjs/common';
import { SYSTEM_ACTOR } from '@tre/audit';
import { OptOutService } from '@tre/datasets';

/** Loads an opt-out list as `tre optouts load` does (replacing the list in force). */
export async function loadOptOutList(
  app: INestApplication,
  list: 'national' | 'type1',
  nhsNumbers: string[],
): Promise<void> {
  await app
    .get(OptOutService)
    .load(
      { id: SYSTEM_ACTOR.cli, roles: ['data_custodian'] },
      list,
      `nhs_number\n${nhsNumbers.join('\n')}\n`,
    );
}
