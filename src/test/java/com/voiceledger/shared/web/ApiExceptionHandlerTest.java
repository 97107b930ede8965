package com.voiceledger.shared.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.orm.jpa.JpaSystemException;

class ApiExceptionHandlerTest {

    @Test
    void aRollbackOnAConnectionThePoolAlreadyClosedIsALostConnection() {
        // what Hikari throws when a transaction rolls back on a connection it evicted mid-request
        var rollbackFailed = new JpaSystemException(new RuntimeException("Unable to rollback against JDBC Connection",
                new SQLException("Connection is closed")));
        assertThat(ApiExceptionHandler.lostConnection(rollbackFailed)).isTrue();
    }

    @Test
    void aConnectionSqlStateIsALostConnectionButABadStatementIsNot() {
        assertThat(ApiExceptionHandler.lostConnection(new SQLException("I/O error", "08006"))).isTrue();
        assertThat(ApiExceptionHandler.lostConnection(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(ApiExceptionHandler.lostConnection(new SQLException("Connection is closed", "42601"))).isFalse();
    }
}
