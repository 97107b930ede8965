package com.voiceledger.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.voiceledger.support.Instances.Instance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The two-instance harness: two applications on one database, each with its own clock, one can die. */
class InstancesIT {

    @Test
    void twoInstancesShareTheDatabaseHaveTheirOwnClocksAndOneCanCrashWhileTheOtherGoesOn() {
        try (Instances instances = Instances.start(2)) {
            Instance a = instances.get(0);
            Instance b = instances.get(1);
            assertThat(a.port()).isNotEqualTo(b.port());

            String externalId = "inst-" + UUID.randomUUID().toString().substring(0, 8);
            Http.Response created = a.http().post("/api/admin/v1/customers", "application/json",
                    "{\"externalId\":\"" + externalId + "\",\"name\":\"Two\",\"currency\":\"USD\",\"billingTimeZone\":\"UTC\"}")
                    .bearer(TestFixtures.ADMIN_TOKEN).send();
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            assertThat(b.http().get("/api/admin/v1/customers/" + externalId).bearer(TestFixtures.ADMIN_TOKEN).send().status())
                    .isEqualTo(200);

            a.clock().advance(Duration.ofHours(2));
            assertThat(a.bean(Clock.class).instant()).isAfter(Instant.now().plus(Duration.ofMinutes(119)));
            assertThat(b.bean(Clock.class).instant()).isBefore(Instant.now().plus(Duration.ofMinutes(1)));

            a.crash();
            assertThat(a.running()).isFalse();
            assertThatThrownBy(() -> new Http(a.port()).get("/api/admin/v1/customers").send())
                    .isInstanceOf(IllegalStateException.class);
            assertThat(b.http().get("/api/admin/v1/customers/" + externalId).bearer(TestFixtures.ADMIN_TOKEN).send().status())
                    .isEqualTo(200);
        }
    }
}
