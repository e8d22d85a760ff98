import { settings, type SettingSpec } from './settings';

/** The README's configuration table, generated from the settings themselves. */
export function settingsMarkdownTable(): string {
  const rows = (Object.values(settings) as SettingSpec<unknown>[]).map((spec) => {
    const fallback =
      spec.defaultLabel ??
      (typeof spec.default === 'string' ? (spec.default ? `\`${spec.default}\`` : '(empty)') : '(required)');
    return `| \`${spec.name}\` | ${fallback} | ${spec.description} |`;
  });
  return ['| Setting | Default | What it is for |', '|---|---|---|', ...rows].join('\n');
}
