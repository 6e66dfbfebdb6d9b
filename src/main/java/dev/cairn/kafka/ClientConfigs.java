package dev.cairn.kafka;

import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;

/**
 * A client's configs as kafka-clients takes them: a map of names to values, where a value may be
 * given as its type or as a string (as in a {@link Properties} file), and a class as a
 * {@link Class} or its name. Bad values are a {@link ConfigException} naming the config and the
 * value, as Kafka's own clients report them.
 *
 * <p>Immutable after construction; thread-safe.
 */
final class ClientConfigs {
    private final Map<String, Object> values;

    ClientConfigs(Map<String, ?> configs) {
        if (configs == null) {
            throw new ConfigException("configs must not be null");
        }
        Map<String, Object> copy = new HashMap<>();
        for (Map.Entry<String, ?> e : configs.entrySet()) {
            if (e.getKey() == null) {
                throw new ConfigException("a config name is null");
            }
            copy.put(e.getKey(), e.getValue());
        }
        this.values = copy;
    }

    /** The configs of a {@link Properties}, whose names must be strings as Kafka requires. */
    static Map<String, Object> fromProperties(Properties properties) {
        if (properties == null) {
            throw new ConfigException("properties must not be null");
        }
        Map<String, Object> map = new HashMap<>();
        for (Map.Entry<Object, Object> e : properties.entrySet()) {
            if (!(e.getKey() instanceof String name)) {
                throw new ConfigException(String.valueOf(e.getKey()), e.getValue(), "config names must be strings");
            }
            map.put(name, e.getValue());
        }
        return map;
    }

    /** Every config as given plus {@code extra}: what serializers and partitioners are configured with. */
    Map<String, Object> originalsWith(String name, Object value) {
        Map<String, Object> map = new HashMap<>(values);
        map.put(name, value);
        return map;
    }

    /**
     * Refuses {@code interceptor.classes}: the in-process clients do not call interceptors, and
     * ones that were silently skipped would lose what they exist for (tracing, auditing).
     *
     * @throws ConfigException if interceptors are configured
     */
    void refuseInterceptors(String client) {
        Object value = values.get("interceptor.classes");
        boolean none = value == null || (value instanceof String s && s.isBlank())
                || (value instanceof java.util.Collection<?> c && c.isEmpty());
        if (!none) {
            throw new ConfigException("interceptor.classes", value, "the in-process " + client
                    + " does not run interceptors; leave interceptor.classes unset");
        }
    }

    boolean has(String name) {
        return values.get(name) != null;
    }

    String string(String name, String defaultValue) {
        Object value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (!(value instanceof String s)) {
            throw new ConfigException(name, value, "expected a string");
        }
        return s.trim();
    }

    long longValue(String name, long defaultValue, long min) {
        Object value = values.get(name);
        long parsed;
        if (value == null) {
            return defaultValue;
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short) {
            parsed = ((Number) value).longValue();
        } else if (value instanceof String s) {
            try {
                parsed = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new ConfigException(name, value, "expected a whole number");
            }
        } else {
            throw new ConfigException(name, value, "expected a whole number");
        }
        if (parsed < min) {
            throw new ConfigException(name, value, "must be at least " + min);
        }
        return parsed;
    }

    int intValue(String name, int defaultValue, int min) {
        long parsed = longValue(name, defaultValue, min);
        if (parsed > Integer.MAX_VALUE) {
            throw new ConfigException(name, values.get(name), "must be at most " + Integer.MAX_VALUE);
        }
        return (int) parsed;
    }

    boolean bool(String name, boolean defaultValue) {
        Object value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof String s) {
            String t = s.trim();
            if (t.equalsIgnoreCase("true")) {
                return true;
            }
            if (t.equalsIgnoreCase("false")) {
                return false;
            }
        }
        throw new ConfigException(name, value, "expected true or false");
    }

    /**
     * A new instance of the class the config names (a {@link Class} or a class name, loaded by the
     * thread's context class loader as kafka-clients loads it), made with its public no-argument
     * constructor; null if the config is not set.
     *
     * @throws ConfigException if the class cannot be found
     * @throws KafkaException if it is not a {@code type} or cannot be made
     */
    <T> T instance(String name, Class<T> type) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        Class<?> c;
        if (value instanceof Class<?> given) {
            c = given;
        } else if (value instanceof String className) {
            c = load(name, className.trim());
        } else {
            throw new ConfigException(name, value, "expected a class or a class name");
        }
        if (!type.isAssignableFrom(c)) {
            throw new KafkaException(c.getName() + " (config " + name + ") is not an instance of " + type.getName());
        }
        try {
            return type.cast(c.getDeclaredConstructor().newInstance());
        } catch (InvocationTargetException e) {
            throw new KafkaException("could not make an instance of " + c.getName() + " (config " + name + ")",
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new KafkaException("could not make an instance of " + c.getName() + " (config " + name
                    + "): it needs a public constructor without arguments", e);
        }
    }

    private static Class<?> load(String name, String className) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ClientConfigs.class.getClassLoader();
        }
        try {
            return Class.forName(className, true, loader);
        } catch (ClassNotFoundException e) {
            throw new ConfigException(name, className, "class " + className + " could not be found");
        }
    }
}
