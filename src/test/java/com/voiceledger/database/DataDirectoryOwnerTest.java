package com.voiceledger.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded default refuses to start on a data directory that another live process owns, and takes it
 * over once that process is gone, killed with {@code -9} included (the kernel drops its lock). The other
 * process is a real second JVM holding the claim as the application does.
 */
class DataDirectoryOwnerTest {

    /** A second JVM that claims the directory the way the application does and waits to be killed. */
    static final String HOLDER = """
            import java.nio.channels.FileChannel;
            import java.nio.file.*;
            public class Holder {
                public static void main(String[] args) throws Exception {
                    FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                            StandardOpenOption.READ, StandardOpenOption.WRITE);
                    if (channel.tryLock() == null) { System.out.println("refused"); return; }
                    channel.write(java.nio.ByteBuffer.wrap(("pid " + ProcessHandle.current().pid()).getBytes()), 0);
                    System.out.println("owned");
                    Thread.sleep(120_000);
                }
            }
            """;

    @TempDir
    Path temp;

    @Test
    void aDirectoryOwnedByAnotherLiveProcessIsRefusedWithItsPidAndTakenOverOnceThatProcessIsKilled() throws Exception {
        Path data = temp.resolve("postgres");
        Path holder = temp.resolve("Holder.java");
        Files.writeString(holder, HOLDER);
        Process other = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                holder.toString(), DataDirectoryOwner.ownerFile(data).toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("owned");

            assertThatThrownBy(() -> DataDirectoryOwner.claim(data))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(data.toString())
                    .hasMessageContaining("in use by another running VoiceLedger (pid " + other.pid() + ")");

            // kill -9: no clean-up runs in the other process, the kernel releases its lock
            new ProcessBuilder("kill", "-9", Long.toString(other.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertThat(other.waitFor(10, TimeUnit.SECONDS)).isTrue();

            DataDirectoryOwner owner = DataDirectoryOwner.claim(data);
            assertThat(Files.readString(DataDirectoryOwner.ownerFile(data)))
                    .isEqualTo("pid " + ProcessHandle.current().pid());
            owner.release();
        } finally {
            other.destroyForcibly();
        }
    }

    @Test
    void theSameDirectoryIsNotStartedTwiceInOneProcessEither() {
        Path data = temp.resolve("postgres");
        DataDirectoryOwner owner = DataDirectoryOwner.claim(data);
        try {
            assertThatThrownBy(() -> DataDirectoryOwner.claim(data)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("in use by another running VoiceLedger");
        } finally {
            owner.release();
        }
        DataDirectoryOwner.claim(data).release();
    }
}
