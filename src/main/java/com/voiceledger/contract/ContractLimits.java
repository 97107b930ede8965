package com.voiceledger.contract;

import com.voiceledger.shared.BadRequestException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What a contract allows a call, decided at admission before any money is spent (issue #29, decision 0069):
 * how many calls may be in progress at once (for the customer, and for each of its assistants), how long one
 * call may run, and which models, voices and transcribers it may use ({@code provider/model}, {@code *} a
 * wildcard within one part, matched against the layer's provider and model as rating sees them). Each limit
 * is optional; none means no limit.
 */
public record ContractLimits(@Nullable Integer concurrentCalls, @Nullable Integer concurrentCallsPerAssistant,
        @Nullable Integer maxCallSeconds, List<String> allowedModels) {

    /** The longest cap a contract may set: twelve hours, longer than any voice call the platform allows. */
    public static final int MAX_CALL_SECONDS = 12 * 3600;
    private static final Pattern ENTRY = Pattern.compile("[A-Za-z0-9._:*-]{1,100}/[A-Za-z0-9._:*@-]{1,200}");

    public ContractLimits {
        positive("limits.concurrentCalls", concurrentCalls, 100_000);
        positive("limits.concurrentCallsPerAssistant", concurrentCallsPerAssistant, 100_000);
        positive("limits.maxCallSeconds", maxCallSeconds, MAX_CALL_SECONDS);
        if (concurrentCalls != null && concurrentCallsPerAssistant != null && concurrentCallsPerAssistant > concurrentCalls) {
            throw new BadRequestException("limits.concurrentCallsPerAssistant cannot be more than limits.concurrentCalls");
        }
        allowedModels = allowedModels == null ? List.of() : List.copyOf(allowedModels);
        for (String entry : allowedModels) {
            if (entry == null || !ENTRY.matcher(entry).matches()) {
                throw new BadRequestException("limits.allowedModels entries are provider/model, with * as a wildcard "
                        + "(for example openai/gpt-4o or anthropic/*)");
            }
        }
    }

    private static void positive(String field, @Nullable Integer value, int most) {
        if (value != null && (value < 1 || value > most)) {
            throw new BadRequestException(field + " must be between 1 and " + most);
        }
    }

    /** True when nothing restricts models: every provider and model is allowed. */
    public boolean allowsEveryModel() {
        return allowedModels.isEmpty();
    }

    /** Is {@code provider}/{@code model} on the allow-list (case-insensitive, {@code *} within one part)? */
    public boolean allows(String provider, String model) {
        if (allowsEveryModel()) {
            return true;
        }
        for (String entry : allowedModels) {
            int slash = entry.indexOf('/');
            if (matches(entry.substring(0, slash), provider) && matches(entry.substring(slash + 1), model)) {
                return true;
            }
        }
        return false;
    }

    /** The first of {@code used} not allowed, as {@code provider/model}. */
    public Optional<String> firstNotAllowed(List<ModelInUse> used) {
        return used.stream().filter(m -> !allows(m.provider(), m.model())).map(ModelInUse::name).findFirst();
    }

    static boolean matches(String pattern, String value) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.toLowerCase(java.util.Locale.ROOT).split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.matches(regex.toString(), value.toLowerCase(java.util.Locale.ROOT));
    }

    /** A model (or voice, or transcriber) a call is about to use: its layer, provider and model. */
    public record ModelInUse(String layer, String provider, String model) {

        public String name() {
            return provider + "/" + model;
        }
    }
}
