package dev.nabla.examples;

import picocli.CommandLine.IVersionProvider;

/**
 * {@code nabla --version}: the version Maven wrote into the jar's manifest
 * ({@code Implementation-Version}, i.e. the project version of the build that made the jar), and
 * the Java runtime it runs on. Classes run from a build directory (tests, an IDE) have no manifest
 * and say so. Stateless and thread-safe.
 */
public final class BuildVersion implements IVersionProvider {
    /** The version line as the command line prints it, e.g. {@code nabla 0.1.0-SNAPSHOT}. */
    public static String line() {
        String v = BuildVersion.class.getPackage().getImplementationVersion();
        return "nabla " + (v == null ? "(development build: classes not run from the packaged jar)" : v);
    }

    @Override
    public String[] getVersion() {
        return new String[] {line(), "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"};
    }
}
