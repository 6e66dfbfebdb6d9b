package dev.cairn;

/**
 * The rates of one counter as Kafka's JMX meters show them: the mean rate since the meter was
 * made, and exponentially weighted moving averages over one, five and fifteen minutes, all in
 * events per second. The counter is sampled (it belongs to the part that counts; this class
 * never sees an event): every {@link #TICK_NANOS} the owner calls {@link #sample} with the
 * counter's value, and each average moves towards the rate of that interval by the weight
 * {@code 1 - e^(-5 s / window)}.
 *
 * <p>The first sample only sets the starting point, the second gives each average its first
 * value (so a steady rate reads right after five seconds, not after minutes of climbing from 0).
 * A sample that comes several intervals late spreads the difference evenly over them: the
 * counter alone cannot tell when within them the events came. A counter that went down (a
 * deleted topic made again) restarts from its new value.
 *
 * <p>Thread-safe: synchronized; {@link #sample} runs on one thread, the readers on any.
 */
final class MovingRate {
    /** Five seconds, the interval of Kafka's (Yammer's) meters. */
    static final long TICK_NANOS = 5_000_000_000L;
    private static final double TICK_SECONDS = TICK_NANOS / 1e9;
    private static final double ONE_MINUTE = weight(60);
    private static final double FIVE_MINUTES = weight(5 * 60);
    private static final double FIFTEEN_MINUTES = weight(15 * 60);

    private final long madeAtNanos;
    private boolean started;
    private boolean averaging;
    private long lastCount;
    private long lastTickNanos;
    private double oneMinute;
    private double fiveMinutes;
    private double fifteenMinutes;

    MovingRate(long nowNanos) {
        this.madeAtNanos = nowNanos;
    }

    private static double weight(int windowSeconds) {
        return 1 - Math.exp(-TICK_SECONDS / windowSeconds);
    }

    /**
     * Takes the counter's value at {@code nowNanos}; moves the averages by each whole interval
     * passed since the last tick (none if less than one has).
     */
    synchronized void sample(long count, long nowNanos) {
        if (!started || count < lastCount) {
            started = true;
            lastCount = count;
            lastTickNanos = nowNanos;
            return;
        }
        long intervals = (nowNanos - lastTickNanos) / TICK_NANOS;
        if (intervals <= 0) {
            return;
        }
        double perInterval = (double) (count - lastCount) / intervals;
        double rate = perInterval / TICK_SECONDS;
        for (long i = 0; i < intervals; i++) {
            if (!averaging) {
                oneMinute = rate;
                fiveMinutes = rate;
                fifteenMinutes = rate;
                averaging = true;
            } else {
                oneMinute += ONE_MINUTE * (rate - oneMinute);
                fiveMinutes += FIVE_MINUTES * (rate - fiveMinutes);
                fifteenMinutes += FIFTEEN_MINUTES * (rate - fifteenMinutes);
            }
        }
        lastCount = count;
        lastTickNanos += intervals * TICK_NANOS;
    }

    /** {@code count} events over the time since this meter was made, per second; 0 at once. */
    double meanRate(long count, long nowNanos) {
        long elapsed = nowNanos - madeAtNanos;
        return elapsed <= 0 ? 0 : count / (elapsed / 1e9);
    }

    synchronized double oneMinuteRate() {
        return oneMinute;
    }

    synchronized double fiveMinuteRate() {
        return fiveMinutes;
    }

    synchronized double fifteenMinuteRate() {
        return fifteenMinutes;
    }
}
