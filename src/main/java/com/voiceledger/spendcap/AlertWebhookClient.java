package com.voiceledger.spendcap;

import com.voiceledger.shared.BadRequestException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.support.ClassicRequestBuilder;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Posts a customer's webhook to the addresses {@link OutboundUrlPolicy} checked for this delivery, and to
 * nothing else. The JDK's client asks DNS again when it connects, so a name that answered a public address to the
 * check and a private one a moment later (DNS rebinding) would have been called inside the network. Here the
 * connection's resolver answers with the checked addresses only; TLS still verifies the certificate against the
 * name. No proxy from the environment, no redirects followed (a redirect is a new, unchecked URL), and connect and
 * answer each bounded so a slow receiver cannot hold a scheduler thread. Decision 0083.
 */
class AlertWebhookClient {

    private static final Logger log = LoggerFactory.getLogger(AlertWebhookClient.class);

    private final OutboundUrlPolicy policy;
    private final Duration timeout;

    AlertWebhookClient(OutboundUrlPolicy policy, Duration timeout) {
        this.policy = policy;
        this.timeout = timeout;
    }

    /**
     * Posts the JSON body with the given headers; the error, or null when the receiver answered 2xx. The error is
     * shown to the customer, so it says what happened in general words and never carries exception text.
     */
    @Nullable String post(String url, Map<String, String> headers, String body) {
        OutboundUrlPolicy.Target target;
        try {
            target = policy.resolve(url); // again at every delivery: DNS may now point somewhere internal
        } catch (BadRequestException e) {
            return "not sent: " + e.getMessage();
        }
        ClassicRequestBuilder builder = ClassicRequestBuilder.post(target.uri())
                .setEntity(body, ContentType.APPLICATION_JSON.withCharset(StandardCharsets.UTF_8));
        headers.forEach(builder::setHeader);
        ClassicHttpRequest request = builder.build();
        try (CloseableHttpClient client = clientPinnedTo(target)) {
            int status = client.execute(request, response -> response.getCode());
            return status / 100 == 2 ? null : "answered " + status;
        } catch (SocketTimeoutException e) {
            log.info("alert webhook {} timed out", url);
            return "no answer in time";
        } catch (IOException e) {
            log.info("alert webhook {} failed: {}", url, e.toString());
            return "could not connect";
        }
    }

    /** A one-delivery client whose only name is the target's host, answered with the checked addresses. */
    private CloseableHttpClient clientPinnedTo(OutboundUrlPolicy.Target target) {
        String host = target.uri().getHost();
        InetAddress[] checked = target.addresses().toArray(InetAddress[]::new);
        DnsResolver pinned = new DnsResolver() {
            @Override
            public InetAddress[] resolve(String name) throws UnknownHostException {
                if (!name.equalsIgnoreCase(host)) {
                    throw new UnknownHostException("only " + host + " was checked for this delivery");
                }
                return checked.clone();
            }

            @Override
            public String resolveCanonicalHostname(String name) {
                return name;
            }
        };
        Timeout bound = Timeout.of(timeout);
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setDnsResolver(pinned)
                        .setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(bound)
                                .setSocketTimeout(bound).build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(bound).build())
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .build();
    }
}
