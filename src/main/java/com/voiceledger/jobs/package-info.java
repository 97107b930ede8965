/**
 * Background jobs that go on past one failing item: a failure of one customer, invoice or delivery is logged,
 * counted and shown to finance until that item next succeeds, and the job moves to the next item.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.jobs;
