package dev.cairn.server.kafka;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Collections;
import java.util.Enumeration;
import java.util.function.Predicate;

/**
 * A class loader that loads the classes {@code ownsClass} accepts from its own URLs, never from
 * its parent, and every other class from its parent: so that tests compiled against one
 * kafka-clients can run with another in the same JVM as the server's.
 *
 * <p>An owned class missing from the URLs is missing (never taken from the parent, where a class
 * of the other version would be found), and resources under {@code kafka/} and
 * {@code org/apache/kafka/} (such as the client's version file) come from the URLs only.
 * Thread-safe, as {@link URLClassLoader} is.
 */
final class ChildFirstClassLoader extends URLClassLoader {
    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final Predicate<String> ownsClass;

    ChildFirstClassLoader(URL[] urls, ClassLoader parent, Predicate<String> ownsClass) {
        super("child-first", urls, parent);
        this.ownsClass = ownsClass;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!ownsClass.test(name)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private static boolean ownsResource(String name) {
        return name.startsWith("kafka/") || name.startsWith("org/apache/kafka/");
    }

    @Override
    public URL getResource(String name) {
        return ownsResource(name) ? findResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (ownsResource(name)) {
            Enumeration<URL> found = findResources(name);
            return found == null ? Collections.emptyEnumeration() : found;
        }
        return super.getResources(name);
    }
}
