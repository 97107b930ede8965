package com.voiceledger.guard.internal;

import com.voiceledger.guard.CallFacts;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the conversation out of a call's artifact ({@code messages[]} of the platform's format). */
public final class ArtifactTurns {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ArtifactTurns() {
    }

    public static List<CallFacts.Turn> parse(@Nullable String artifactJson) {
        List<CallFacts.Turn> turns = new ArrayList<>();
        if (artifactJson == null || artifactJson.isBlank()) {
            return turns;
        }
        JsonNode messages;
        try {
            messages = JSON.readTree(artifactJson).path("messages");
        } catch (JacksonException e) {
            return turns;
        }
        for (JsonNode message : messages) {
            List<String> tools = new ArrayList<>();
            JsonNode calls = message.has("toolCalls") ? message.path("toolCalls") : message.path("toolCallList");
            for (JsonNode call : calls) {
                JsonNode function = call.path("function");
                JsonNode arguments = function.path("arguments");
                tools.add(function.path("name").asString("?") + "(" + (arguments.isString() ? arguments.asString()
                        : arguments.toString()) + ")");
            }
            long offset = Math.round(message.path("secondsFromStart").asDouble(0) * 1000);
            turns.add(new CallFacts.Turn(message.path("role").asString(""), message.path("message").asString(""),
                    offset, message.path("duration").asLong(0), tools));
        }
        return turns;
    }
}
