package com.voiceledger.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;

/**
 * A test against the whole application on a random port, backed by the JVM's one embedded
 * PostgreSQL. All such tests share one Spring context; each makes its own customers and call ids so
 * they never see each other's data.
 *
 * <p>The rate card is global, and a version stays in force until the next one: a test that publishes
 * prices keeps to dates no other test publishes in, and fences its prices off with a later version.
 * Taken: 2001-06 (CurrencyMixingIT), 2003-04 (BrowserFlowIT), 2004-06 (AccessibilityIT), 2005-04 (RedeliveryIT), 2007-02 (ReconciliationIT), 2008-06
 * (MarginIT), 2010-01 … 2016-08 (BillingScreensTest, a random odd month each), 2019-05 (StripeIT), 2021
 * (BillingIT), 2024-01 … 2024-02 (RevenueIT: per-minute contracts, no card prices; it locks revenue through
 * 2024-02, which locks every earlier month too: a test that needs an open revenue month takes a later one),
 * 2024-03 … 2024-09 (reliability/*: per-minute contracts, no card prices), 2031 … (RatingIT), 2035 …
 * (PricingScreensTest), 2045-03 (WhatIfIT), 2056-03 (TwoInstancesIT), 2070–2071
 * (BrowserFlowIT), 2090 … (ReRatingBesideIngestIT: its correction re-rates every call from 2090-01-01 on, so
 * its test hook holds only its own customer), 2091 … (ReRatingPauseIT); the current month and 2026–2028 for
 * tests that do not depend on prices.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
public @interface IntegrationTest {
}
