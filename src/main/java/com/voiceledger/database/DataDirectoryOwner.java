package com.voiceledger.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which running application owns an embedded data directory: the one holding an operating-system lock on
 * {@code <data directory>.owner} for as long as it lives. The kernel drops the lock when that process ends,
 * also by {@code kill -9}, so a PostgreSQL found running from a directory nobody owns was left by a dead
 * application and may be stopped ({@link LeftoverPostgres}); one found while another live application owns
 * the directory is that application's database and is never touched: this start is refused instead.
 */
final class DataDirectoryOwner {

    /** Directories this process owns: a second channel on the same file would drop the lock when closed. */
    private static final Set<Path> OWNED = ConcurrentHashMap.newKeySet();
    /** Strongly held, so that no channel is collected (and closed, dropping its lock) while the process lives. */
    private static final Set<DataDirectoryOwner> HELD = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirectoryOwner(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Owns {@code dataDirectory} for this process until {@link #release()} or its end; refused while another owns it. */
    static DataDirectoryOwner claim(Path dataDirectory) {
        Path file = ownerFile(dataDirectory);
        if (!OWNED.add(file)) {
            throw new IllegalStateException("The embedded database in " + dataDirectory + " is in use by another "
                    + "running VoiceLedger (this process, pid " + ProcessHandle.current().pid() + ")");
        }
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                OWNED.remove(file);
                String owner = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
                channel.close();
                throw new IllegalStateException("The embedded database in " + dataDirectory + " is in use by another "
                        + "running VoiceLedger" + (owner.isEmpty() ? "" : " (" + owner + ")") + ". Stop that one first, "
                        + "give this one another directory (voiceledger.data-dir), or run both on one PostgreSQL "
                        + "server (SPRING_DATASOURCE_URL).");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(true);
            DataDirectoryOwner owner = new DataDirectoryOwner(file, channel, lock);
            HELD.add(owner);
            return owner;
        } catch (IOException e) {
            OWNED.remove(file);
            throw new UncheckedIOException("Could not claim the embedded database directory " + dataDirectory, e);
        }
    }

    static Path ownerFile(Path dataDirectory) {
        Path absolute = dataDirectory.toAbsolutePath().normalize();
        return absolute.resolveSibling(absolute.getFileName() + ".owner");
    }

    void release() {
        try {
            lock.release();
            channel.close();
            HELD.remove(this);
            OWNED.remove(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
