package com.voiceledger.shared.web;

import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Documents served as downloads, with a file name safe in any browser. */
public final class Downloads {

    private Downloads() {
    }

    /** A PDF named {@code <name>.pdf} (characters outside letters, digits, dot, dash and underscore become _). */
    public static ResponseEntity<byte[]> pdf(String name, byte[] bytes) {
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                        .filename(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".pdf").build().toString())
                .body(bytes);
    }
}
