package com.voiceledger.spendcap;

import java.math.BigDecimal;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param defaultReservation reserved per admitted call when the customer has no recent calls
 * @param reservationTimeout when a reservation without an end-of-call report stops counting
 * @param refusalMessage what a caller hears when a call is refused
 */
@ConfigurationProperties("voiceledger.spendcap")
public record SpendCapProperties(@DefaultValue("0.50") BigDecimal defaultReservation,
        @DefaultValue("30m") Duration reservationTimeout,
        @DefaultValue("We're sorry, this line is not available right now. Please try again later.") String refusalMessage) {
}
