import { createHash } from 'node:crypto';

/**
 * The web app's page carries one inline script (the public pages' early data request, see
 * apps/web/src/early-data/early-request.mts). The content security policy allows it by its SHA-256, computed here
 * from the page as served, so whatever the build wrote is what is allowed, and nothing else inline is.
 */
const INLINE_SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/** `'sha256-…'` of each inline script's text, exactly as the browser hashes it. Scripts with a `src` are not inline. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const [, attributes, text] of html.matchAll(INLINE_SCRIPT)) {
    if (/\bsrc\s*=/i.test(attributes) || !text) continue;
    hashes.push(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
  }
  return hashes;
}

/** The policy with the hashes added to its `script-src`; a policy without one is left as strict as it was. */
export function allowingInlineScripts(policy: string, hashes: string[]): string {
  if (hashes.length === 0) return policy;
  return policy
    .split(';')
    .map((directive) =>
      directive.trim().split(/\s+/)[0]?.toLowerCase() === 'script-src'
        ? `${directive.trim()} ${hashes.join(' ')}`
        : directive,
    )
    .join(';');
}
