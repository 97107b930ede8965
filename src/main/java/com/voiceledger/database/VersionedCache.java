package com.voiceledger.database;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Values read from settings rows, kept while {@link SettingsVersion} does not move. Bounded: when full it
 * starts again (the values are small and cheap to read again; the bound only stops a stream of unknown
 * keys, e.g. assistants nobody mapped, from growing it without end).
 */
public final class VersionedCache<K, V> {

    private record Entry<V>(long version, @Nullable V value) {
    }

    private final SettingsVersion version;
    private final int maxEntries;
    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();

    VersionedCache(SettingsVersion version, int maxEntries) {
        this.version = version;
        this.maxEntries = maxEntries;
    }

    public static <K, V> VersionedCache<K, V> of(SettingsVersion version, int maxEntries) {
        return new VersionedCache<>(version, maxEntries);
    }

    /** The cached value while the settings have not changed since it was read; else read again. */
    public @Nullable V get(K key, Function<K, @Nullable V> loader) {
        long now = version.current();
        Entry<V> entry = entries.get(key);
        if (entry != null && entry.version() >= now) {
            return entry.value();
        }
        V value = loader.apply(key);
        if (entries.size() >= maxEntries) {
            entries.clear();
        }
        entries.put(key, new Entry<>(now, value));
        return value;
    }

    /**
     * Drops a key this instance is changing, now and when the changing transaction ends (so that a value
     * read inside it, possibly rolled back, is not kept).
     */
    public void forget(K key) {
        entries.remove(key);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    entries.remove(key);
                }
            });
        }
    }

    public void clear() {
        entries.clear();
    }
}
