/**
 * The trusted usage store: calls, their cost components, status timelines and Twilio's view of
 * each call; attribution of calls to customers; the queries portal and console read.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.usage;
