/**
 * Where the data lives: an embedded PostgreSQL in the data directory when no
 * {@code spring.datasource.url} is configured, any PostgreSQL otherwise.
 */
package com.voiceledger.database;
