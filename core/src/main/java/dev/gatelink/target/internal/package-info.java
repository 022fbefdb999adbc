/**
 * Machinery behind the targets: a DNS lookup that returns every address of a name with the records' TTL, so that
 * a target can keep its own snapshot and refresh it when the TTL says. Not part of Gatelink's API: nothing
 * outside {@code gatelink-core} may use it, and it changes without notice.
 *
 * <p>Starting points: {@link dev.gatelink.target.internal.DnsLookup} looks a host up and answers a
 * {@link dev.gatelink.target.internal.DnsAnswer}, or fails with a
 * {@link dev.gatelink.target.internal.DnsLookupException}; {@link dev.gatelink.target.internal.DnsLookupOptions}
 * chooses the name servers and the query timeout.
 */
@NullMarked
package dev.gatelink.target.internal;

import org.jspecify.annotations.NullMarked;
