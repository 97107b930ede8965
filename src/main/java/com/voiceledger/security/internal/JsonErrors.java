package com.voiceledger.security.internal;

import com.voiceledger.shared.ApiError;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/** Writes the API's error shape from filters, where no controller advice reaches. */
@Component
public class JsonErrors {

    private final JsonMapper json;

    JsonErrors(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, int status, String message) throws IOException {
        response.setStatus(status);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), ApiError.of(message));
    }
}
