import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { settingsMarkdownTable } from './settings-table';

describe('README configuration table', () => {
  it('lists exactly the settings the service reads (regenerate with `npm run tre -- config --markdown`)', () => {
    const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');
    expect(readme).toContain(settingsMarkdownTable());
  });
});
