import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFileOnce } from './create-file-once';

describe('createFileOnce', () => {
  it('keeps exactly one racer’s content, private to its owner, and leaves no temporary files', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tre-once-')), 'keys');
    const path = join(dir, 'key');
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((content) => createFileOnce(path, content)));
    expect(['a', 'b', 'c', 'd', 'e']).toContain(readFileSync(path, 'utf8'));
    expect(readdirSync(dir)).toEqual(['key']);
    expect(statSync(path).mode & 0o077).toBe(0);
    await createFileOnce(path, 'later');
    expect(readFileSync(path, 'utf8')).not.toBe('later');
  });
});
