/** Times render the same on server and client: UTC, to the second. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

export function formatHour(iso: string): string {
  return `${iso.slice(11, 16)}`;
}

export function formatDay(iso: string): string {
  return iso.slice(5, 10);
}

const numbers = new Intl.NumberFormat("en-US");

export function formatCount(value: number): string {
  return numbers.format(value);
}
