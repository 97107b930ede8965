package com.voiceledger.shared.web;

import com.voiceledger.shared.ApiError;
import com.voiceledger.shared.BadRequestException;
import com.voiceledger.shared.ConflictException;
import com.voiceledger.shared.NotFoundException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;
import tools.jackson.core.JacksonException;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Every error of the JSON API in one shape, {@code {"error": "...", "detail": ...}}; never a stack trace. */
@RestControllerAdvice
public class ApiExceptionHandler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ApiExceptionHandler.class);

    @ExceptionHandler(BadRequestException.class)
    ResponseEntity<ApiError> badRequest(BadRequestException e) {
        return ResponseEntity.badRequest().body(ApiError.of(e.getMessage()));
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ApiError> notFound(NotFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.of(e.getMessage()));
    }

    @ExceptionHandler(ConflictException.class)
    ResponseEntity<ApiError> conflict(ConflictException e) {
        return ResponseEntity.status(HttpStatus.CONFLICT).body(ApiError.of(e.getMessage()));
    }

    /**
     * A body Jackson could not turn into the request: if a value object refused a field, its own
     * message says what is wrong; otherwise Jackson's message (which field, which type) is the detail.
     */
    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<ApiError> unreadable(HttpMessageNotReadableException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return tooLarge(tooLarge);
            }
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof BadRequestException refused) {
                return ResponseEntity.badRequest().body(ApiError.of(refused.getMessage()));
            }
            if (cause instanceof JacksonException jackson && !(jackson.getCause() instanceof BadRequestException)) {
                // only where in the body, in the caller's terms: Jackson's own message names our classes and
                // its internals (issue 25)
                String where = where(jackson);
                return ResponseEntity.badRequest().body(new ApiError("request body is not valid JSON for this endpoint",
                        where.isEmpty() ? null : "at " + where));
            }
        }
        return ResponseEntity.badRequest().body(ApiError.of("request body is not valid JSON for this endpoint"));
    }

    private static String where(JacksonException e) {
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : e.getPath()) {
            if (reference.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
            } else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.length() > 200 ? path.substring(0, 200) : path.toString();
    }

    /** A date or month that parsed but lies beyond what the calendar arithmetic can reach. */
    @ExceptionHandler(java.time.DateTimeException.class)
    ResponseEntity<ApiError> dateOutOfRange(java.time.DateTimeException e) {
        log.info("date out of range: {}", e.getMessage());
        return ResponseEntity.badRequest().body(ApiError.of("a date or month is out of range (years "
                + com.voiceledger.shared.InputBounds.FIRST_YEAR + "–" + com.voiceledger.shared.InputBounds.LAST_YEAR + ")"));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ApiError> tooLarge(PayloadTooLargeException e) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(ApiError.of(e.getMessage()));
    }

    @ExceptionHandler(MissingServletRequestParameterException.class)
    ResponseEntity<ApiError> missingParameter(MissingServletRequestParameterException e) {
        return ResponseEntity.badRequest().body(ApiError.of("missing parameter '" + e.getParameterName() + "'"));
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ResponseEntity<ApiError> typeMismatch(MethodArgumentTypeMismatchException e) {
        return ResponseEntity.badRequest().body(ApiError.of("parameter '" + e.getName() + "' has a wrong format"));
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ApiError> mediaType(HttpMediaTypeNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
                .body(ApiError.of("Content-Type must be application/json"));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ApiError> method(HttpRequestMethodNotSupportedException e) {
        return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED)
                .body(ApiError.of("method " + e.getMethod() + " is not supported here"));
    }

    /**
     * The database could not be reached (or dropped the connection mid-transaction): not the caller's
     * fault and not a bug, so a 503 with {@code Retry-After}; a sender that retries is safe, since every
     * write path is idempotent. See docs/decisions/0021-database-outages.md.
     */
    @ExceptionHandler({DataAccessResourceFailureException.class, TransientDataAccessException.class,
            RecoverableDataAccessException.class, CannotCreateTransactionException.class,
            TransactionSystemException.class})
    ResponseEntity<ApiError> databaseUnavailable(Exception e) {
        log.warn("Database unavailable: {}", e.getMessage());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .body(ApiError.of("the database is unavailable at the moment; nothing was accepted, send the request again"));
    }

    /**
     * Any other data access or transaction failure is a 503 too when a lost connection is behind it
     * (a rollback on a connection that died mid-transaction, say); anything else stays a 500.
     */
    @ExceptionHandler({org.springframework.dao.DataAccessException.class,
            org.springframework.transaction.TransactionException.class})
    ResponseEntity<ApiError> dataAccess(RuntimeException e) {
        if (lostConnection(e)) {
            return databaseUnavailable(e);
        }
        throw e;
    }

    static boolean lostConnection(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.sql.SQLTransientConnectionException
                    || cause instanceof java.sql.SQLRecoverableException
                    || cause instanceof java.sql.SQLNonTransientConnectionException
                    || cause instanceof java.io.IOException
                    || cause instanceof java.sql.SQLException sql && sql.getSQLState() != null
                            && sql.getSQLState().startsWith("08")
                    // the pool's stand-in for a connection it already evicted: no SQL state, this message
                    || cause instanceof java.sql.SQLException closed && closed.getSQLState() == null
                            && "Connection is closed".equals(closed.getMessage())) {
                return true;
            }
        }
        return false;
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ApiError> noSuchEndpoint(NoResourceFoundException e) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(ApiError.of("no such endpoint"));
    }
}
