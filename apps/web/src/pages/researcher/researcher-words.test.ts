import { describe, expect, it } from 'vitest';
import type { Schemas } from '../../api/client';
import {
  detailWords,
  extractSettled,
  extractSteps,
  workspaceSettled,
  workspaceSteps,
} from './researcher-words';
import { sectionWords } from './versions-page';

describe('long work in words', () => {
  it("gives an extract's steps their state and counts", () => {
    const extract = {
      status: 'running',
      steps: [
        { name: 'check sources', state: 'done', detail: { datasets: 1 } },
        {
          name: 'extract GP_REGISTRATIONS',
          state: 'running',
          detail: { rowsRead: 12430, national: 87 },
        },
        { name: 'gate', state: 'pending' },
      ],
    } as unknown as Schemas['ExtractDto'];
    expect(extractSteps(extract)).toEqual([
      { key: 'check sources', label: 'Check sources', state: 'done', detail: 'Datasets: 1' },
      {
        key: 'extract GP_REGISTRATIONS',
        label: 'Extract GP_REGISTRATIONS',
        state: 'running',
        detail: 'Rows read: 12,430, National: 87',
      },
      { key: 'gate', label: 'Gate', state: 'waiting', detail: undefined },
    ]);
    expect(extractSettled(extract)).toBe(false);
    expect(detailWords({ nested: { no: 1 } })).toBeUndefined();
  });

  it("gives a workspace's steps their state, note, error and retries; settled only when no operation runs", () => {
    const workspace = {
      state: 'provisioning',
      operation: 'provision',
      steps: [
        { name: 'namespace', state: 'done', attempts: 1, note: 'created', error: null, nextRetryAt: null },
        {
          name: 'load-extract',
          state: 'skipped',
          attempts: 1,
          note: 'no cluster',
          error: null,
          nextRetryAt: null,
        },
        { name: 'tool', state: 'failed', attempts: 3, note: null, error: 'quota', nextRetryAt: null },
      ],
    } as unknown as Schemas['WorkspaceDto'];
    expect(workspaceSteps(workspace).map((s) => [s.label, s.state, s.detail])).toEqual([
      ['Namespace', 'done', 'created'],
      ['Load extract', 'done', 'Skipped; no cluster'],
      ['Tool', 'failed', 'Error: quota; 3 attempts'],
    ]);
    expect(workspaceSettled(workspace)).toBe(false);
    expect(workspaceSettled({ ...workspace, state: 'ready', operation: null })).toBe(true);
  });

  it('writes a version’s sections in words for the comparison', () => {
    expect(sectionWords([{ datasetCode: 'GP', fields: ['sex', 'nhs_number'], legalBasis: 's251' }])).toBe(
      'datasetCode: GP; fields: sex, nhs_number; legalBasis: s251',
    );
    expect(sectionWords([])).toBe('None');
    expect(sectionWords(undefined)).toBe('Not given');
  });
});
