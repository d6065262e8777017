/**
 * The string formats the real server checks (kube-openapi strfmt, after apiextensions strips unsupported ones).
 * Formats not listed here are not checked.
 */
import { isIP } from 'node:net';

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const HOSTNAME = /^([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\.?$/;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DURATION = /^(-?\d+(\.\d+)?(ns|us|µs|ms|s|m|h|d|w))+$/;

const CHECKS: Record<string, (s: string) => boolean> = {
  datetime: (s) => RFC3339.test(s) && !Number.isNaN(Date.parse(s.replace(' ', 'T'))),
  date: (s) => DATE.test(s) && !Number.isNaN(Date.parse(s)),
  uuid: (s) => UUID.test(s),
  uuid3: (s) => UUID.test(s),
  uuid4: (s) => UUID.test(s),
  uuid5: (s) => UUID.test(s),
  hostname: (s) => s.length <= 255 && HOSTNAME.test(s),
  ipv4: (s) => isIP(s) === 4,
  ipv6: (s) => isIP(s) === 6,
  byte: (s) => BASE64.test(s),
  email: (s) => EMAIL.test(s),
  duration: (s) => DURATION.test(s),
};

/** Whether `value` is valid for `format`; unknown formats pass. Names normalize like strfmt (`date-time`). */
export function formatValid(format: string, value: string): boolean {
  const check = CHECKS[format.replace(/[-_]/g, '').toLowerCase()];
  return check ? check(value) : true;
}
