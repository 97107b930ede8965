/**
 * Webhook endpoints of the voice platform (Vapi) and of Twilio: sender verification, the raw event
 * log (stored before anything else), normalisation into the usage store, and backfill from the
 * platform's API.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.ingestion;
