/** Revenue's own storage: month locks and the entries locked with them. */
@org.jspecify.annotations.NullMarked
package com.voiceledger.revenue.internal;
