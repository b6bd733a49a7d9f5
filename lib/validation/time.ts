/**
 * The moments Keyward stores and asks its databases about: years 0001 to 9999, as ISO-8601 writes
 * them without a sign. Prisma refuses a date past them (`+010000-01-01`) with an error of its own,
 * and PostgreSQL has no year 0000 ("date/time field value out of range").
 */
export const FIRST_STORABLE_TIME = Date.parse("0001-01-01T00:00:00.000Z");
export const LAST_STORABLE_TIME = Date.parse("9999-12-31T23:59:59.999Z");

/** Whether `date` is a valid date within the years that can be stored. */
export function isStorableTime(date: Date): boolean {
  const time = date.getTime();
  return time >= FIRST_STORABLE_TIME && time <= LAST_STORABLE_TIME;
}
