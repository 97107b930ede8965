package com.voiceledger.spendcap;

import java.math.BigDecimal;
import java.time.YearMonth;
import org.jspecify.annotations.Nullable;

/**
 * Where a customer stands against its cap this month. {@code cap} is the lower of finance's (the
 * contract's spend cap) and the customer's own; null when there is none.
 */
public record SpendStatus(YearMonth month, String currency, BigDecimal rated, BigDecimal reserved, BigDecimal spend,
        @Nullable BigDecimal cap, @Nullable BigDecimal contractCap, @Nullable BigDecimal customerCap,
        @Nullable BigDecimal remaining, @Nullable Integer percent, boolean suspended, @Nullable String suspendedReason) {
}
