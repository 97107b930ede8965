package com.voiceledger.bench;

import com.voiceledger.support.TestFixtures;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The crash tests' sender: one end-of-call report to an application in another JVM, which may be killed mid-request. */
final class WebhookSender {

    private WebhookSender() {
    }

    /** 200, 503, ..., or -1 when no answer came (the process was killed). */
    static int post(HttpClient client, int port, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/vapi"))
                .header("Content-Type", "application/json").header("X-Vapi-Secret", TestFixtures.VAPI_SECRET)
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
