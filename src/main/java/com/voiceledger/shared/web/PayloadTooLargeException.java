package com.voiceledger.shared.web;

import java.io.IOException;

/**
 * A request body past the API's limit (413). An {@link IOException}, so that it surfaces from the read that
 * crossed the limit, through whatever was parsing the body, to {@link ApiExceptionHandler}.
 */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("request body too large: at most " + limit + " bytes");
    }
}
