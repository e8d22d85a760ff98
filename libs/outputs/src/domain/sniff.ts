import { CsvError, parseCsv } from '@tre/sdc';

/** The file types an output may be, by the name's extension, with the media type we record and serve. */
export const OUTPUT_TYPES = {
  csv: 'text/csv',
  json: 'application/json',
  txt: 'text/plain',
  png: 'image/png',
  pdf: 'application/pdf',
} as const;
export type OutputKind = keyof typeof OUTPUT_TYPES;

export type SniffResult = { ok: true; kind: OutputKind; mediaType: string } | { ok: false; reason: string };

const bytes = (...values: number[]): Buffer => Buffer.from(values);
const ascii = (text: string): Buffer => Buffer.from(text, 'latin1');

/**
 * Signatures of executables, scripts and archives: refused whatever the file is called, since an archive
 * could smuggle anything past the checks and an executable has no business leaving a workspace.
 */
const REFUSED: readonly { what: string; offset: number; magic: Buffer }[] = [
  { what: 'an ELF executable', offset: 0, magic: bytes(0x7f, 0x45, 0x4c, 0x46) },
  { what: 'a Windows executable (MZ)', offset: 0, magic: ascii('MZ') },
  { what: 'a Mach-O executable', offset: 0, magic: bytes(0xfe, 0xed, 0xfa, 0xce) },
  { what: 'a Mach-O executable', offset: 0, magic: bytes(0xfe, 0xed, 0xfa, 0xcf) },
  { what: 'a Mach-O executable', offset: 0, magic: bytes(0xce, 0xfa, 0xed, 0xfe) },
  { what: 'a Mach-O executable', offset: 0, magic: bytes(0xcf, 0xfa, 0xed, 0xfe) },
  { what: 'a Mach-O universal binary or Java class', offset: 0, magic: bytes(0xca, 0xfe, 0xba, 0xbe) },
  { what: 'a WebAssembly module', offset: 0, magic: bytes(0x00, 0x61, 0x73, 0x6d) },
  { what: 'a ZIP archive', offset: 0, magic: ascii('PK\x03\x04') },
  { what: 'a ZIP archive', offset: 0, magic: ascii('PK\x05\x06') },
  { what: 'a ZIP archive', offset: 0, magic: ascii('PK\x07\x08') },
  { what: 'a gzip archive', offset: 0, magic: bytes(0x1f, 0x8b) },
  { what: 'a bzip2 archive', offset: 0, magic: ascii('BZh') },
  { what: 'an xz archive', offset: 0, magic: bytes(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00) },
  { what: 'a zstd archive', offset: 0, magic: bytes(0x28, 0xb5, 0x2f, 0xfd) },
  { what: 'a 7z archive', offset: 0, magic: bytes(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c) },
  { what: 'a RAR archive', offset: 0, magic: ascii('Rar!\x1a\x07') },
  { what: 'a tar archive', offset: 257, magic: ascii('ustar') },
  { what: 'a script (#!)', offset: 0, magic: ascii('#!') },
];

const PNG = bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a);
const PDF = ascii('%PDF-');
const BOM = bytes(0xef, 0xbb, 0xbf);

const startsWith = (content: Buffer, magic: Buffer, offset = 0): boolean =>
  content.length >= offset + magic.length && content.subarray(offset, offset + magic.length).equals(magic);

export function kindOfName(fileName: string): OutputKind | undefined {
  const match = /\.([A-Za-z0-9]+)$/.exec(fileName);
  const extension = match?.[1].toLowerCase();
  return extension !== undefined && extension in OUTPUT_TYPES ? (extension as OutputKind) : undefined;
}

/** UTF-8 text without NUL bytes (a leading byte-order mark is allowed), or why not. */
export function decodeText(content: Buffer): { text: string } | { reason: string } {
  if (content.includes(0)) return { reason: 'it holds NUL bytes, so it is not text' };
  const body = startsWith(content, BOM) ? content.subarray(BOM.length) : content;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body) };
  } catch {
    return { reason: 'it is not valid UTF-8 text' };
  }
}

function textProblem(kind: 'csv' | 'json' | 'txt', content: Buffer): string | undefined {
  const decoded = decodeText(content);
  if ('reason' in decoded) return decoded.reason;
  if (kind === 'json') {
    try {
      JSON.parse(decoded.text);
    } catch (error: unknown) {
      return `it is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  if (kind === 'csv') {
    let rows: string[][];
    try {
      rows = parseCsv(decoded.text);
    } catch (error: unknown) {
      if (error instanceof CsvError) return `it is not valid CSV (${error.message})`;
      throw error;
    }
    const filled = rows.filter((row) => row.some((cell) => cell.trim() !== ''));
    if (filled.length === 0) return 'it is an empty CSV file';
    const width = filled[0].length;
    const ragged = filled.findIndex((row) => row.length !== width);
    if (ragged >= 0)
      return `it is not a rectangular CSV table (record ${ragged + 1} has ${filled[ragged].length} fields, the first has ${width})`;
  }
  return undefined;
}

/**
 * Decides what a file is from its bytes, and refuses it unless that agrees with its name. Safety-critical and
 * small on purpose: only five types are allowed, binary ones by signature, text ones by decoding in full.
 */
export function sniffOutputFile(fileName: string, content: Buffer): SniffResult {
  const kind = kindOfName(fileName);
  const refused = REFUSED.find((r) => startsWith(content, r.magic, r.offset));
  if (refused)
    return { ok: false, reason: `${fileName} is ${refused.what}: executables and archives cannot leave` };
  if (!kind) {
    return {
      ok: false,
      reason: `${fileName}: only ${Object.keys(OUTPUT_TYPES).join(', ')} files may leave (by extension and content)`,
    };
  }
  if (content.length === 0) return { ok: false, reason: `${fileName} is empty` };
  const isPng = startsWith(content, PNG);
  const isPdf = startsWith(content, PDF);
  if (kind === 'png' || kind === 'pdf') {
    const matches = kind === 'png' ? isPng : isPdf;
    if (!matches)
      return {
        ok: false,
        reason: `${fileName} is named .${kind} but its content is not a ${kind.toUpperCase()} file`,
      };
    return { ok: true, kind, mediaType: OUTPUT_TYPES[kind] };
  }
  if (isPng || isPdf)
    return {
      ok: false,
      reason: `${fileName} is named .${kind} but its content is a ${isPng ? 'PNG' : 'PDF'} file`,
    };
  const problem = textProblem(kind, content);
  if (problem) return { ok: false, reason: `${fileName} is named .${kind} but ${problem}` };
  return { ok: true, kind, mediaType: OUTPUT_TYPES[kind] };
}
