package com.voiceledger.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A previous release built from this repository's history: its sources as of a commit ({@code git archive}, no
 * work tree registered), compiled with its own Maven build, and the classpath to run it as {@link AppProcess} runs
 * this one. Built once into {@code target/previous-release-<commit>} and reused by later runs.
 */
final class PreviousRelease {

    private PreviousRelease() {
    }

    static String classpath(String commit) throws Exception {
        Path dir = Path.of("target", "previous-release-" + commit).toAbsolutePath();
        Path classpathFile = dir.resolve("target/classpath.txt");
        if (!Files.exists(classpathFile)) {
            Files.createDirectories(dir);
            if (!known(commit)) {
                // a shallow clone (CI) lacks the history: fetch the one commit, or else the whole history
                attempt(List.of("git", "fetch", "--quiet", "origin", commit));
                if (!known(commit)) {
                    attempt(List.of("git", "fetch", "--quiet", "--unshallow", "origin"));
                }
            }
            Path archive = dir.resolveSibling("previous-release-" + commit + ".tar");
            run(Path.of("."), List.of("git", "archive", "--output=" + archive, commit));
            run(dir, List.of("tar", "-xf", archive.toString()));
            // its own wrapper and build: the release as it was, dependencies as it declared them
            run(dir, List.of("bash", "./mvnw", "-B", "-q", "-ntp", "test-compile", "dependency:build-classpath",
                    "-Dmdep.includeScope=test", "-Dmdep.outputFile=" + classpathFile));
        }
        return dir.resolve("target/classes") + File.pathSeparator + dir.resolve("target/test-classes")
                + File.pathSeparator + Files.readString(classpathFile).strip();
    }

    private static boolean known(String commit) throws Exception {
        return attempt(List.of("git", "cat-file", "-e", commit + "^{commit}"));
    }

    /** Runs a git command in this repository; whether it succeeded (its output goes to the build log). */
    private static boolean attempt(List<String> command) throws Exception {
        Path log = Path.of("target", "previous-release-build.log").toAbsolutePath();
        Files.createDirectories(log.getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return process.waitFor(5, TimeUnit.MINUTES) && process.exitValue() == 0;
    }

    private static void run(Path directory, List<String> command) throws Exception {
        Path log = Path.of("target", "previous-release-build.log").toAbsolutePath();
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        assertThat(process.waitFor(15, TimeUnit.MINUTES)).as("%s within 15 minutes; see %s", command, log).isTrue();
        assertThat(process.exitValue()).as("%s (a clone without this commit cannot run the upgrade test); see %s",
                command, log).isZero();
    }
}
