package org.munet.evolution;

import java.time.Duration;

/**
 * How much one run may do: a wall-clock budget and a generation count, either optional. Checked at
 * generation boundaries only, so a run always stops with its last generation committed.
 *
 * @param time wall-clock budget of the run, or null
 * @param maxGenerations generations the run may train, or null
 */
public record RunBudget(Duration time, Integer maxGenerations) {

    /** Margin on the estimate of the next generation: wall times vary by a few percent. */
    static final double SAFETY = 1.25;

    public RunBudget {
        if (time != null && (time.isNegative() || time.isZero())) {
            throw new IllegalArgumentException("--time-budget must be positive, got " + time);
        }
        if (maxGenerations != null && maxGenerations < 1) {
            throw new IllegalArgumentException("--max-generations must be at least 1, got " + maxGenerations);
        }
    }

    public static RunBudget unlimited() {
        return new RunBudget(null, null);
    }

    public boolean isLimited() {
        return time != null || maxGenerations != null;
    }

    /**
     * Why the run must stop before another generation, or null if it may run one.
     *
     * @param generationsRun generations this run has trained
     * @param elapsedSeconds wall time since the run began
     * @param nextSeconds estimated wall time of the next generation (and the end of task after it,
     *     if it is the visit's last); 0 when nothing is known yet
     */
    public String stopBefore(int generationsRun, double elapsedSeconds, double nextSeconds) {
        if (maxGenerations != null && generationsRun >= maxGenerations) {
            return "max generations (" + maxGenerations + ") reached";
        }
        if (time != null) {
            double budget = time.toMillis() / 1000.0;
            if (elapsedSeconds + nextSeconds * SAFETY > budget) {
                return String.format(java.util.Locale.ROOT,
                        "time budget: %.0fs used of %.0fs, the next generation needs about %.0fs",
                        elapsedSeconds, budget, nextSeconds * SAFETY);
            }
        }
        return null;
    }

    /** Parses "90s", "45m", "6h", "1h30m", "2d" or an ISO-8601 duration ("PT6H"). */
    public static Duration parseDuration(String text) {
        String s = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (s.startsWith("p")) {
                return Duration.parse(s.toUpperCase(java.util.Locale.ROOT));
            }
            if (!s.matches("(\\d+[dhms])+")) {
                throw new IllegalArgumentException();
            }
            Duration d = Duration.ZERO;
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)([dhms])").matcher(s);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "d" -> Duration.ofDays(n);
                    case "h" -> Duration.ofHours(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofSeconds(n);
                });
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot read the duration '" + text
                    + "': write e.g. 90s, 45m, 6h, 1h30m, 2d or PT6H", e);
        }
    }
}
