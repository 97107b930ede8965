package com.voiceledger.security.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A start refuses an admin API token that could be guessed. */
class AdminTokenPolicyTest {

    @Test
    void aShortTokenStopsTheStart() {
        assertThatThrownBy(() -> AdminTokenPolicy.requireStrong("demo-admin-token", false))
                .hasMessageContaining("too short");
    }

    @Test
    void aLongButRepetitiveTokenStopsTheStart() {
        assertThatThrownBy(() -> AdminTokenPolicy.requireStrong("ab".repeat(40), false))
                .hasMessageContaining("too predictable");
        assertThatThrownBy(() -> AdminTokenPolicy.requireStrong("password".repeat(5), false))
                .hasMessageContaining("too predictable");
    }

    @Test
    void aRandomTokenPassesAndSoDoesNoTokenAtAll() {
        assertThatCode(() -> AdminTokenPolicy.requireStrong(
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", false)).doesNotThrowAnyException();
        assertThatCode(() -> AdminTokenPolicy.requireStrong("", false)).doesNotThrowAnyException();
        assertThatCode(() -> AdminTokenPolicy.requireStrong(null, false)).doesNotThrowAnyException();
    }

    @Test
    void demoModeKeepsItsWellKnownToken() {
        assertThatCode(() -> AdminTokenPolicy.requireStrong("demo-admin-token", true)).doesNotThrowAnyException();
    }
}
