const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Quotes a catalogue-checked identifier; refuses anything else rather than trusting it into SQL. */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`refusing unsafe SQL identifier ${JSON.stringify(name)}`);
  return `"${name}"`;
}
