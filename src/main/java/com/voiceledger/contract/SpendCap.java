package com.voiceledger.contract;

import com.voiceledger.shared.BadRequestException;
import java.math.BigDecimal;
import java.util.List;

/** A monthly spend cap and the percentages at which to alert (default 50, 80, 100). */
public record SpendCap(BigDecimal monthlyAmount, List<Integer> alertThresholds) {

    public SpendCap {
        if (monthlyAmount == null || monthlyAmount.signum() <= 0) {
            throw new BadRequestException("spendCap.monthlyAmount must be more than 0");
        }
        alertThresholds = alertThresholds == null || alertThresholds.isEmpty() ? List.of(50, 80, 100)
                : List.copyOf(alertThresholds);
        int previous = 0;
        for (int threshold : alertThresholds) {
            if (threshold <= previous || threshold > 100) {
                throw new BadRequestException("spendCap.alertThresholds must rise from 1 to 100, got " + alertThresholds);
            }
            previous = threshold;
        }
    }
}
