package com.voiceledger.spendcap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.shared.BadRequestException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Alert webhooks go to global unicast addresses only. Each refused address below reaches loopback or another
 * internal IPv4 address through a translation or tunnel (issue #25, item 6), and was accepted before; the
 * accepted ones are public resolvers' addresses, the positive control that the policy is not refusing everything.
 * Literal addresses: no DNS is asked.
 */
class OutboundUrlPolicyTest {

    final OutboundUrlPolicy strict = new OutboundUrlPolicy(false, List.of());

    @ParameterizedTest
    @ValueSource(strings = {"[::7f00:1]", "[::127.0.0.1]", "[::ffff:0:127.0.0.1]", "[64:ff9b::7f00:1]",
            "[64:ff9b:1::7f00:1]", "[2002:7f00:1::]", "[2001:0:4136:e378:8000:63bf:80ff:fffe]", "[2001:db8::1]",
            "[3fff::1]", "[::ffff:169.254.169.254]", "[fe80::1]", "[fd00::5]", "[ff02::1]", "192.0.2.10",
            "198.51.100.7", "203.0.113.9", "192.88.99.1", "127.0.0.1", "10.0.0.5"})
    void anAddressThatLeadsInsideIsRefused(String host) {
        assertThatThrownBy(() -> strict.check("https://" + host + "/hook"))
                .isInstanceOf(BadRequestException.class)
                .hasMessageContaining("private or internal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[2606:4700:4700::1111]", "[2001:4860:4860::8888]", "1.1.1.1", "8.8.8.8"})
    void aGlobalUnicastAddressIsAccepted(String host) {
        assertThat(strict.check("https://" + host + "/hook").getHost()).isEqualTo(host);
    }
}
