/**
 * Cost guards: every call is analysed on ingest for the patterns that burn money unnoticed (silence
 * loops, endpointing storms, duplicate tool calls, outbound retry amplification, duration outliers,
 * max-duration endings, expensive calls); each finding keeps its evidence and an estimate of the
 * spend wasted.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.guard;
