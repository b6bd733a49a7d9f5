/** Cells a spreadsheet would run as a formula start with one of these; they get a leading quote. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field (RFC 4180), guarded against formula injection when opened in a spreadsheet. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function csvRow(values: string[]): string {
  return `${values.map(csvField).join(",")}\r\n`;
}
