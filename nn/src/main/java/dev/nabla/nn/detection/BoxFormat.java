package dev.nabla.nn.detection;

import java.util.Locale;

/**
 * The three box layouts torchvision's {@code box_convert} knows, each a last axis of four numbers.
 * Immutable and thread-safe (an enum).
 */
public enum BoxFormat {
    /** {@code (x1, y1, x2, y2)}: the top-left and bottom-right corners (torchvision's {@code "xyxy"}). */
    XYXY,
    /** {@code (x1, y1, w, h)}: the top-left corner, width and height ({@code "xywh"}). */
    XYWH,
    /** {@code (cx, cy, w, h)}: the centre, width and height ({@code "cxcywh"}). */
    CXCYWH;

    /** torchvision's name of the format: {@code "xyxy"}, {@code "xywh"} or {@code "cxcywh"}. */
    public String torchName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The format torchvision calls {@code name} (case-insensitive); an unknown name fails listing the known ones. */
    public static BoxFormat of(String name) {
        for (BoxFormat f : values()) {
            if (f.torchName().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("box_convert: unsupported box format \"" + name
                + "\"; expected one of xyxy, xywh, cxcywh");
    }
}
