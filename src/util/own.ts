/**
 * The value stored under `key` in `record` itself, or undefined. Every lookup whose key comes from
 * outside (a kiosk's choice, a classifier's label, a code read from a card) goes through here, so
 * "constructor" or "toString" never finds what every plain object inherits.
 */
export function ownValue<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
