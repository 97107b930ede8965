/** The customer portal: customer JSON API and screens, always scoped to the signed-in customer. */
@org.jspecify.annotations.NullMarked
package com.voiceledger.portal;
