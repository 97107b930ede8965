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
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Where this server may post on a customer's behalf (alert webhooks). A customer chooses the URL, so
 * without this check they could make the server call what only it can reach: its own admin ports,
 * the database, the cloud's metadata service (169.254.169.254). Refused: loopback, private (RFC 1918),
 * shared (100.64/10), link-local, unique-local (fc00::/7), multicast and unspecified addresses, and
 * names that resolve to any of them. Checked when the URL is saved and again before every delivery,
 * because DNS answers can change. Hosts listed in {@code voiceledger.alerts.allowed-webhook-hosts}
 * are exempt (tests, a demo receiver on the same machine). Decision 0034.
 */
@Component
public class OutboundUrlPolicy {

    private final boolean allowHttp;
    private final Set<String> allowedHosts;

    OutboundUrlPolicy(@Value("${voiceledger.alerts.allow-insecure-webhooks:false}") boolean allowHttp,
            @Value("${voiceledger.alerts.allowed-webhook-hosts:}") List<String> allowedHosts) {
        this.allowHttp = allowHttp;
        this.allowedHosts = allowedHosts.stream().map(host -> host.strip().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The URL when this server may post to it; a {@link BadRequestException} saying why not otherwise. */
    public URI check(String url) {
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
        if (allowedHosts.contains(host)) {
            return uri;
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            throw new BadRequestException("the webhook host '" + host + "' does not resolve");
        }
        for (InetAddress address : addresses) {
            if (internal(address)) {
                throw new BadRequestException("the webhook URL points to a private or internal address, "
                        + "which this server does not call");
            }
        }
        return uri;
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
                    || first >= 240; // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            int first = bytes[0] & 0xff;
            if ((first & 0xfe) == 0xfc) { // unique local fc00::/7
                return true;
            }
            if (first == 0xfe && (bytes[1] & 0xc0) == 0xc0) { // deprecated site-local fec0::/10
                return true;
            }
            // IPv4 embedded in IPv6 (::ffff:a.b.c.d mapped, 64:ff9b::/96 NAT64): judge the IPv4 address
            boolean mapped = isZero(bytes, 0, 10) && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff;
            boolean nat64 = (bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff
                    && (bytes[3] & 0xff) == 0x9b && isZero(bytes, 4, 12);
            if (mapped || nat64) {
                try {
                    return internal(InetAddress.getByAddress(new byte[] {bytes[12], bytes[13], bytes[14], bytes[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
