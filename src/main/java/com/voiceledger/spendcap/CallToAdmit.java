package com.voiceledger.spendcap;

import com.voiceledger.contract.ContractLimits.ModelInUse;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the caller knows of a call about to start: its assistant and the models, voices and transcribers it will
 * use (empty when unknown: admission then looks at the assistant's latest call).
 */
public record CallToAdmit(@Nullable String assistantId, List<ModelInUse> models) {

    public static final CallToAdmit UNKNOWN = new CallToAdmit(null, List.of());

    public CallToAdmit {
        models = models == null ? List.of() : List.copyOf(models);
    }
}
