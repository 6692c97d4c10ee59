package dev.nabla.examples;

/** Entry point of the {@code nabla} command: until the full command line lands, trains XOR from the core. */
public final class Main {
    private Main() {}

    /** Runs the default job. */
    public static void main(String[] args) {
        XorCore.main(args);
    }
}
