package com.voiceledger.demo;

import org.springframework.stereotype.Component;

/**
 * Whether demo data is still being loaded on this first start, so that screens can say so instead of
 * showing zeros (docs/decisions/0044).
 */
@Component
public class DemoDataStatus {

    private volatile boolean loading;

    public boolean loading() {
        return loading;
    }

    void loading(boolean loading) {
        this.loading = loading;
    }
}
