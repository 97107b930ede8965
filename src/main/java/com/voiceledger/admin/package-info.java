/** The finance console: admin JSON API and screens, built on the other modules' APIs. */
@org.jspecify.annotations.NullMarked
package com.voiceledger.admin;
