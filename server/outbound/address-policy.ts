/**
 * Which IP addresses the server may connect to on a user's behalf (model endpoints). Public unicast always;
 * loopback and private networks only when the operator allows them; everything else never: link-local (cloud
 * metadata at 169.254.169.254), unspecified, broadcast, multicast, reserved and documentation ranges.
 */
import ipaddr from 'ipaddr.js';

/** What an address is, for the policy: public, a network the operator may open, or never allowed. */
export type AddressClass = 'public' | 'private' | 'denied';

/** ipaddr.js range names that CS_OUTBOUND_ALLOW_PRIVATE opens (127/8, ::1, RFC 1918, 100.64/10, fc00::/7). */
const PRIVATE_RANGES = new Set(['loopback', 'private', 'carrierGradeNat', 'uniqueLocal']);

/** Global unicast IPv6 is 2000::/3; anything outside it (IPv4-compatible ::/96 and the like) is not public. */
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

const v4From = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 255, lo >> 8, lo & 255]);

/** The IPv4 address an IPv6 address carries (mapped, translated, NAT64, 6to4), judged as that IPv4 address. */
function embeddedIPv4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  const p = ip.parts;
  switch (ip.range()) {
    case 'ipv4Mapped':
      return ip.toIPv4Address();
    case 'rfc6145':
    case 'rfc6052':
      return v4From(p[6], p[7]);
    case '6to4':
      return v4From(p[1], p[2]);
    default:
      return null;
  }
}

function classifyIPv4(ip: ipaddr.IPv4): AddressClass {
  const range = ip.range();
  if (range === 'unicast') return 'public';
  return PRIVATE_RANGES.has(range) ? 'private' : 'denied';
}

/** Classifies one address as DNS or an URL gives it (canonical text); anything unparsable is denied. */
export function classifyAddress(address: string): AddressClass {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return 'denied';
  }
  if (ip.kind() === 'ipv4') return classifyIPv4(ip as ipaddr.IPv4);
  const v6 = ip as ipaddr.IPv6;
  const embedded = embeddedIPv4(v6);
  if (embedded) return classifyIPv4(embedded);
  const range = v6.range();
  if (PRIVATE_RANGES.has(range)) return 'private';
  return range === 'unicast' && v6.match(GLOBAL_UNICAST_V6) ? 'public' : 'denied';
}

export const addressAllowed = (address: string, allowPrivate: boolean): boolean => {
  const c = classifyAddress(address);
  return c === 'public' || (c === 'private' && allowPrivate);
};
