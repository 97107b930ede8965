package com.voiceledger.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;

class TransientRetryTest {

    @Test
    void aDeadlockVictimIsRunAgainUntilItSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        String result = TransientRetry.run(() -> {
            if (attempts.incrementAndGet() < 3) {
                throw new CannotAcquireLockException("deadlock detected");
            }
            return "done";
        });
        assertThat(result).isEqualTo("done");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void itGivesUpAfterFiveAttempts() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> TransientRetry.run(() -> {
            attempts.incrementAndGet();
            throw new CannotAcquireLockException("deadlock detected");
        })).isInstanceOf(CannotAcquireLockException.class);
        assertThat(attempts).hasValue(5);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        assertThatThrownBy(() -> TransientRetry.run(() -> {
            attempts.incrementAndGet();
            throw new DataIntegrityViolationException("duplicate");
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(attempts).hasValue(1);
    }
}
