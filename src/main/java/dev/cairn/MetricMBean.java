package dev.cairn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;

/**
 * One read-only MBean of {@link JmxMetrics}: named attributes, each read from a fresh
 * {@link CairnMetrics} snapshot (one snapshot per {@link #getAttributes} call, so the attributes
 * read together agree). An attribute whose part has gone (a topic deleted, a Cairn closed) reads
 * as null.
 *
 * <p>Thread-safe: immutable after construction; the snapshot source is {@link Cairn#metrics()}.
 */
final class MetricMBean implements DynamicMBean {
    private final String description;
    private final java.util.function.Supplier<CairnMetrics> source;
    private final Map<String, Function<CairnMetrics, Optional<? extends Number>>> attributes;
    private final Map<String, Class<?>> types;
    /** The counter's rates, or null for a gauge. */
    private final MovingRate rate;
    private final Function<CairnMetrics, Optional<Long>> rateCount;

    private MetricMBean(Builder builder) {
        this.description = builder.description;
        this.source = builder.source;
        this.attributes = Map.copyOf(builder.attributes);
        this.types = Map.copyOf(builder.types);
        this.rate = builder.rate;
        this.rateCount = builder.rateCount;
    }

    /**
     * Gives this MBean's rates, if it has them, the counter's value in {@code metrics}; the owner
     * calls it every {@link MovingRate#TICK_NANOS}.
     */
    void sample(CairnMetrics metrics, long nowNanos) {
        if (rate != null) {
            rateCount.apply(metrics).ifPresent(count -> rate.sample(count, nowNanos));
        }
    }

    /** Builds a {@link MetricMBean}. Not thread-safe. */
    static final class Builder {
        private final String description;
        private final java.util.function.Supplier<CairnMetrics> source;
        private final Map<String, Function<CairnMetrics, Optional<? extends Number>>> attributes = new LinkedHashMap<>();
        private final Map<String, Class<?>> types = new LinkedHashMap<>();
        private MovingRate rate;
        private Function<CairnMetrics, Optional<Long>> rateCount;

        Builder(String description, java.util.function.Supplier<CairnMetrics> source) {
            this.description = description;
            this.source = source;
        }

        Builder longAttribute(String name, Function<CairnMetrics, Optional<Long>> read) {
            attributes.put(name, read::apply);
            types.put(name, Long.class);
            return this;
        }

        Builder doubleAttribute(String name, Function<CairnMetrics, Optional<Double>> read) {
            attributes.put(name, read::apply);
            types.put(name, Double.class);
            return this;
        }

        /**
         * Adds Kafka's meter attributes for the counter {@code count}, in events per second:
         * {@code MeanRate} since now, and {@code OneMinuteRate}, {@code FiveMinuteRate} and
         * {@code FifteenMinuteRate}, which move when {@link MetricMBean#sample} is called.
         */
        Builder rates(Function<CairnMetrics, Optional<Long>> count, long nowNanos) {
            MovingRate meter = new MovingRate(nowNanos);
            doubleAttribute("MeanRate", m -> count.apply(m).map(c -> meter.meanRate(c, System.nanoTime())));
            doubleAttribute("OneMinuteRate", m -> count.apply(m).map(c -> meter.oneMinuteRate()));
            doubleAttribute("FiveMinuteRate", m -> count.apply(m).map(c -> meter.fiveMinuteRate()));
            doubleAttribute("FifteenMinuteRate", m -> count.apply(m).map(c -> meter.fifteenMinuteRate()));
            this.rate = meter;
            this.rateCount = count;
            return this;
        }

        MetricMBean build() {
            return new MetricMBean(this);
        }
    }

    private CairnMetrics snapshot() {
        try {
            return source.get();
        } catch (dev.cairn.common.ClosedException closed) {
            return null;
        }
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        Function<CairnMetrics, Optional<? extends Number>> read = attributes.get(attribute);
        if (read == null) {
            throw new AttributeNotFoundException("no attribute " + attribute + "; there are " + attributes.keySet());
        }
        CairnMetrics metrics = snapshot();
        return metrics == null ? null : read.apply(metrics).orElse(null);
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        CairnMetrics metrics = snapshot();
        for (String name : names) {
            Function<CairnMetrics, Optional<? extends Number>> read = attributes.get(name);
            if (read != null) {
                list.add(new Attribute(name, metrics == null ? null : read.apply(metrics).orElse(null)));
            }
        }
        return list;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("metrics are read-only: " + attribute.getName());
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList(); // read-only: nothing set, as the interface reports it
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) {
        throw new IllegalArgumentException("metrics MBeans have no operations: " + actionName);
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanAttributeInfo[] infos = types.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> new MBeanAttributeInfo(e.getKey(), e.getValue().getName(), e.getKey(), true, false, false))
                .toArray(MBeanAttributeInfo[]::new);
        return new MBeanInfo(MetricMBean.class.getName(), description, infos, null, new MBeanOperationInfo[0], null);
    }
}
