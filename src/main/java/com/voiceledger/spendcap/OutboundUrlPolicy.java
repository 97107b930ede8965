package com.voiceledger.spendcap;

import com.voiceledger.shared.BadRequestException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where this server may post on a customer's behalf (alert webhooks). A customer chooses the URL, so
 * without this check they could make the server call what only it can reach: its own admin ports,
 * the database, the cloud's metadata service (169.254.169.254). Refused: loopback, private (RFC 1918),
 * shared (100.64/10), link-local, multicast, documentation and unspecified IPv4 addresses, every IPv6 address
 * that is not global unicast (and the tunnels and translators within it: 6to4, Teredo, NAT64, IPv4-mapped),
 * and names that resolve to any of them. Checked when the URL is saved and again before every delivery,
 * because DNS answers can change. Hosts listed in {@code voiceledger.alerts.allowed-webhook-hosts}
 * are exempt (tests, a demo receiver on the same machine). Decision 0034.
 */
@Component
public class OutboundUrlPolicy {

    /** Names to addresses: the system's DNS, or a fixed answer in tests. */
    @FunctionalInterface
    interface HostResolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A URL this server may post to, with the addresses that were checked: connect to these, not to a new answer. */
    record Target(URI uri, List<InetAddress> addresses) {
        Target {
            addresses = List.copyOf(addresses);
        }
    }

    private final boolean allowHttp;
    private final Set<String> allowedHosts;
    private final HostResolver resolver;

    @Autowired
    OutboundUrlPolicy(@Value("${voiceledger.alerts.allow-insecure-webhooks:false}") boolean allowHttp,
            @Value("${voiceledger.alerts.allowed-webhook-hosts:}") List<String> allowedHosts) {
        this(allowHttp, allowedHosts, InetAddress::getAllByName);
    }

    OutboundUrlPolicy(boolean allowHttp, List<String> allowedHosts, HostResolver resolver) {
        this.resolver = resolver;
        this.allowHttp = allowHttp;
        this.allowedHosts = allowedHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The URL when this server may post to it; a {@link BadRequestException} saying why not otherwise. */
    public URI check(String url) {
        return resolve(url).uri();
    }

    /**
     * The URL and the addresses its host has now, each checked; a {@link BadRequestException} saying why not
     * otherwise. The name is asked once: the caller connects to exactly these addresses.
     */
    Target resolve(String url) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("the webhook URL is not a URL");
        }
        boolean https = "https".equalsIgnoreCase(uri.getScheme());
        boolean http = "http".equalsIgnoreCase(uri.getScheme());
        if (uri.getHost() == null || !(https || (http && allowHttp))) {
            throw new BadRequestException("the webhook URL must be an https:// URL");
        }
        if (uri.getRawUserInfo() != null) {
            throw new BadRequestException("the webhook URL may not carry a user name or password");
        }
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            throw new BadRequestException("the webhook host '" + host + "' does not resolve");
        }
        if (!allowedHosts.contains(host)) {
            for (InetAddress address : addresses) {
                if (internal(address)) {
                    throw new BadRequestException("the webhook URL points to a private or internal address, "
                            + "which this server does not call");
                }
            }
        }
        return new Target(uri, List.of(addresses));
    }

    static boolean internal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isAnyLocalAddress() || address.isLinkLocalAddress()
                || address.isSiteLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 // "this network"
                    || (first == 100 && second >= 64 && second < 128) // shared address space (carrier NAT)
                    || (first == 192 && second == 0 && (bytes[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || (first == 192 && second == 0 && (bytes[2] & 0xff) == 2) // documentation (TEST-NET-1)
                    || (first == 198 && second == 51 && (bytes[2] & 0xff) == 100) // TEST-NET-2
                    || (first == 203 && second == 0 && (bytes[2] & 0xff) == 113) // TEST-NET-3
                    || (first == 192 && second == 88 && (bytes[2] & 0xff) == 99) // 6to4 relay anycast
                    || first >= 240; // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            return !globalUnicast6(bytes);
        }
        return false;
    }

    /**
     * Only global unicast IPv6 (2000::/3) is called, and within it not the ranges that lead elsewhere: every
     * address that embeds an IPv4 one (::/96 compatible, ::ffff:0:0/96 mapped, ::ffff:0:0:0/96 translated,
     * 64:ff9b::/96 and 64:ff9b:1::/48 NAT64 — all outside 2000::/3), 6to4 (2002::/16), Teredo and the other IETF
     * protocol assignments (2001::/23), and documentation (2001:db8::/32, 3fff::/20). A tunnel or translator
     * would otherwise carry the request to an internal IPv4 address.
     */
    static boolean globalUnicast6(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        int third = bytes[2] & 0xff;
        int fourth = bytes[3] & 0xff;
        if ((first & 0xe0) != 0x20) {
            return false;
        }
        boolean ietf = first == 0x20 && second == 0x01 && third <= 0x01; // 2001::/23, Teredo 2001::/32 within
        boolean documentation = (first == 0x20 && second == 0x01 && third == 0x0d && fourth == 0xb8)
                || (first == 0x3f && second == 0xff && (third & 0xf0) == 0);
        boolean sixToFour = first == 0x20 && second == 0x02;
        return !ietf && !documentation && !sixToFour;
    }
}
