/**
 * Who is asking: people (form login, roles scoped to one customer) and machines (customer API keys,
 * the finance admin API token). The rest of the application asks {@link com.voiceledger.security.CurrentUser}.
 */
@org.jspecify.annotations.NullMarked
package com.voiceledger.security;
