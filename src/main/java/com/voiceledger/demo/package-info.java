/**
 * Demo data for a newcomer's first start on the embedded database: customers, logins and three
 * months of calls sent through the real ingest path. Never runs against a configured database
 * unless VOICELEDGER_DEMO_DATA=true.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.demo;
