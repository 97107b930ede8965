/** Finance's Revenue page: the month's roll-forward, its trend, per customer, lock and journal. */
@org.jspecify.annotations.NullMarked
package com.voiceledger.revenue.ui;
