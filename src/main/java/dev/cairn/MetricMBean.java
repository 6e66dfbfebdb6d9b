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

    private MetricMBean(String description, java.util.function.Supplier<CairnMetrics> source,
            Map<String, Function<CairnMetrics, Optional<? extends Number>>> attributes, Map<String, Class<?>> types) {
        this.description = description;
        this.source = source;
        this.attributes = attributes;
        this.types = types;
    }

    /** Builds a {@link MetricMBean}. Not thread-safe. */
    static final class Builder {
        private final String description;
        private final java.util.function.Supplier<CairnMetrics> source;
        private final Map<String, Function<CairnMetrics, Optional<? extends Number>>> attributes = new LinkedHashMap<>();
        private final Map<String, Class<?>> types = new LinkedHashMap<>();

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

        MetricMBean build() {
            return new MetricMBean(description, source, Map.copyOf(attributes), Map.copyOf(types));
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
