package dev.tally.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of the PostgreSQL processes on this machine, from /proc: with PostgreSQL on the same two cores,
 * a call's cost is the server's CPU and the database's, and only both together explain its calls/s.
 */
final class PostgresCpu {

    /** Linux reports process times in clock ticks of 1/100 s (USER_HZ). */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private PostgresCpu() {
    }

    /** CPU time (user + system) that every process named postgres has used so far. */
    static long nanos() {
        long ticks = 0;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"),
                path -> path.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                String stat;
                try {
                    stat = Files.readString(process.resolve("stat"));
                } catch (IOException exited) {
                    continue;
                }
                // pid (comm) state ppid ...: utime and stime are the 14th and 15th fields, 11th and 12th after comm.
                int close = stat.lastIndexOf(')');
                if (!stat.substring(stat.indexOf('(') + 1, close).equals("postgres")) {
                    continue;
                }
                String[] fields = stat.substring(close + 2).split(" ");
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc", e);
        }
        return ticks * NANOS_PER_TICK;
    }
}
