/**
 * Defence in depth against copying data out through the tool's own features (the real controls stay: no
 * egress, outputs only through the airlock): per tool, the paths that download or upload files are refused
 * before anything reaches the tool. Paths are matched relative to the workspace's gateway path.
 */
export type Refusal = 'blocked_download' | 'blocked_upload' | 'blocked_path';

export interface ToolProfile {
  /** Whether the tool serves under the gateway path (its base URL is set) or at its root. */
  keepPrefix: boolean;
  /** Headers that tell a tool served at its root where it appears to the browser. */
  rootPathHeader?: string;
  rules: readonly { methods?: readonly string[]; pattern: RegExp; refusal: Refusal }[];
  /** Requests whose JSON body must be looked at before they are let through (an upload through an API). */
  inspectBody?: { methods: readonly string[]; pattern: RegExp };
}

const WRITE = ['PUT', 'POST', 'PATCH'] as const;

const JUPYTER: ToolProfile = {
  keepPrefix: true,
  rules: [
    // Files served raw (and as attachments with ?download=1), notebooks converted to any format, and the
    // classic and Lab views that serve a file as it is.
    { pattern: /^files(\/|$)/, refusal: 'blocked_download' },
    { pattern: /^nbconvert(\/|$)/, refusal: 'blocked_download' },
    { pattern: /^view(\/|$)/, refusal: 'blocked_download' },
    { pattern: /^(lab\/)?api\/contents\/.*[?&]format=base64(&|$)/, refusal: 'blocked_download' },
    { pattern: /[?&]download=(1|true)(&|$)/i, refusal: 'blocked_download' },
  ],
  inspectBody: { methods: WRITE, pattern: /^api\/contents(\/|$)/ },
};

const RSTUDIO: ToolProfile = {
  keepPrefix: false,
  rootPathHeader: 'X-RStudio-Root-Path',
  rules: [
    { pattern: /^export(\/|$)/, refusal: 'blocked_download' },
    { pattern: /^file_download(\/|$)/, refusal: 'blocked_download' },
    { pattern: /^file_show(\/|$|\?)/, refusal: 'blocked_download' },
    { pattern: /^files(\/|$)/, refusal: 'blocked_download' },
    { pattern: /^upload(\/|$|\?)/, refusal: 'blocked_upload' },
    { pattern: /^upload_file(\/|$|\?)/, refusal: 'blocked_upload' },
  ],
};

const CODE_SERVER: ToolProfile = {
  keepPrefix: false,
  rules: [
    // Raw file reads by path (the download command and "open in browser").
    { pattern: /^vscode-remote-resource(\/|$|\?)/, refusal: 'blocked_download' },
    { pattern: /^(stable-[^/]+\/)?static\/.*[?&]path=/, refusal: 'blocked_download' },
  ],
};

export const TOOL_PROFILES: Record<string, ToolProfile> = {
  jupyterlab: JUPYTER,
  rstudio: RSTUDIO,
  'code-server': CODE_SERVER,
};

/** A tool without a profile is refused whole: no profile, no idea what it serves. */
export function profileOf(tool: string): ToolProfile | undefined {
  return TOOL_PROFILES[tool];
}

/** The refusal for a request (its path after the workspace prefix, with its query), or undefined. */
export function refusalFor(profile: ToolProfile, method: string, relativeUrl: string): Refusal | undefined {
  const decoded = safeDecode(relativeUrl)
    .replace(/^\/+/, '')
    .replace(/\/{2,}/g, '/');
  for (const rule of profile.rules) {
    if (rule.methods && !rule.methods.includes(method)) continue;
    if (rule.pattern.test(decoded)) return rule.refusal;
  }
  return undefined;
}

/**
 * Whether a request path (its query aside) is the path the tool will be asked for. The gateway forwards the
 * path as it judged it (http-proxy-3's `toProxy`), but a tool's own URL parser resolves dot segments (`..`, `.`,
 * `%2e%2e`), may turn `\` into `/` and drop tabs and newlines, as http-proxy-3's did when it rebuilt every path:
 * `/w/<id>/tree/../files/x.csv` passed every rule above and reached the tool as `/w/<id>/files/x.csv`. Browsers
 * resolve dot segments before they send a path, so one that has any (or a backslash, a tab or a newline, encoded
 * or not) is refused rather than judged on one spelling and read as another. So is a fragment (`#`, anywhere):
 * browsers never send one, and a parser that drops it reads less than was judged (`?format=base64#` is not
 * `format=base64` to the rules, and was exactly that once the URL parser had dropped the `#`).
 */
export function isCanonicalPath(url: string): boolean {
  if (url.includes('#')) return false;
  const query = url.indexOf('?');
  const path = query === -1 ? url : url.slice(0, query);
  // Most paths have none of the characters any of that needs: no decoding, no split.
  if (!/[.%\\\t\n\r]/.test(path)) return true;
  const decoded = safeDecode(path);
  if (/[\\\t\n\r]/.test(decoded)) return false;
  return !decoded.split('/').some((segment) => segment === '.' || segment === '..');
}

/** Whether the body of this request must be read and judged before it is proxied. */
export function needsBodyCheck(profile: ToolProfile, method: string, relativeUrl: string): boolean {
  const check = profile.inspectBody;
  return (
    !!check &&
    check.methods.includes(method) &&
    check.pattern.test(safeDecode(relativeUrl).replace(/^\/+/, ''))
  );
}

/**
 * An upload through Jupyter's contents API: a file sent as base64 or in chunks (how the upload button sends
 * files). Saving a notebook or a text file typed in the editor is not refused: that is working in the tool.
 */
export function isUploadBody(body: Buffer): boolean {
  if (body.length === 0) return false;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    // Not JSON: the contents API would refuse it anyway; refusing it here costs nothing.
    return true;
  }
  if (typeof parsed !== 'object' || parsed === null) return false;
  const model = parsed as Record<string, unknown>;
  return model.format === 'base64' || 'chunk' in model;
}

/** `Content-Disposition: attachment` makes the browser save the response as a file: a download. */
export function isAttachment(header: string | string[] | undefined): boolean {
  const values = Array.isArray(header) ? header : header ? [header] : [];
  return values.some((value) => /^\s*attachment\b/i.test(value));
}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url);
  } catch {
    return url;
  }
}
